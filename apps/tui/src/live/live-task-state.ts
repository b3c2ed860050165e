/**
 * What is known about a running task from its events (lifecycle and progress), as a pure
 * reducer shared by `task start --wait` and the TUI's live screen. Events of the two channels
 * may interleave in any order (a late join replays them), so every step tolerates a progress
 * report before its workload's start and never lets counts go backwards.
 */
import type { AnyPaddockEvent, EventDataOf, LatencyHistogram, SlaResult } from "@paddock/shared/events";
import { mergeHistograms } from "@paddock/shared/histogram";
import type { TaskStatus } from "@paddock/shared/task-model";

/** Latencies over the last progress window, seconds. */
export type LatencyWindow = EventDataOf<"ProgressReported">["latency"];

type Progress = EventDataOf<"ProgressReported">;

/** Schedule lag of a rate-driven runner over the last window, seconds (`late`: iterations so far). */
export type ScheduleLag = NonNullable<Progress["scheduleLag"]>;

/** One runner's share of a distributed workload, as last reported. */
export type RunnerShare = NonNullable<Progress["shares"]>[number];

/** One atomic action's figures since the load started: the progress windows added up. */
export interface LiveAtomic {
  /** Rally's name, nested names joined as in the report. */
  readonly name: string;
  readonly count: number;
  readonly failed: number;
  /** Its durations since the start (the windows' histograms merged). */
  readonly histogram: LatencyHistogram;
}

/** How many recent p95 values a workload keeps for its sparkline. */
export const P95_HISTORY = 120;

/** One hook execution as it fired (`HookExecuted`). */
export interface LiveHook {
  /** Index of the hook in the workload's `hooks`. */
  readonly hookIndex: number;
  /** The hook's action, e.g. `sys_call`, when the workload's spec is known. */
  readonly action: string;
  readonly status: "success" | "failed" | "validation_failed";
  /** What fired it, e.g. `iteration 50` or `time 10`. */
  readonly trigger: string;
  /** Seconds it took. */
  readonly duration: number;
  /** `Type: message` when it failed. */
  readonly error: string | null;
}

export interface LiveWorkload {
  readonly workloadId: string;
  /** 0-based; -1 until `WorkloadStarted` has been seen. */
  readonly subtaskIndex: number;
  readonly position: number;
  readonly subtaskTitle: string;
  /** Scenario plugin, e.g. `Dummy.dummy`. */
  readonly scenario: string;
  /** Runner type, e.g. `constant`. */
  readonly runner: string;
  /** Iterations the runner will start; null when bounded by time. */
  readonly expected: number | null;
  readonly completed: number;
  readonly failed: number;
  readonly inFlight: number;
  /** Iterations per second over the last window. */
  readonly rate: number;
  /** Seconds since the load started. */
  readonly elapsed: number;
  readonly latency: LatencyWindow | null;
  /** The p95 of each progress window so far, oldest first, at most `P95_HISTORY`; seconds. */
  readonly p95History: readonly number[];
  /** Seconds the load lasts when the runner is bounded by time (`duration` in its config). */
  readonly durationLimit: number | null;
  /** Hook executions in the order they were reported. */
  readonly hooks: readonly LiveHook[];
  /** Hook actions of the spec, by index (`sys_call`), once `WorkloadStarted` is seen. */
  readonly hookActions: readonly string[];
  readonly errorsByType: Readonly<Record<string, number>>;
  /**
   * Iteration durations since the load started: every progress window's histogram merged (the
   * windows do not overlap). Null until a runner reports one.
   */
  readonly histogram: LatencyHistogram | null;
  /** Per atomic action since the start, in the order first reported. */
  readonly atomics: readonly LiveAtomic[];
  /** Each SLA criterion's verdict so far, from the latest progress report (live lights). */
  readonly liveSla: readonly SlaResult[];
  /** Rate-driven runners: the schedule lag of the latest window. */
  readonly scheduleLag: ScheduleLag | null;
  /** Distributed workloads: each runner's share as last reported (a `lost` one stays listed). */
  readonly shares: readonly RunnerShare[];
  /** Why each lost share was lost (`ShareLost`), by the runner that held it. */
  readonly lostReasons: Readonly<Record<string, string>>;
  readonly status: "running" | "finished";
  readonly passSla: boolean | null;
  readonly slaResults: readonly SlaResult[];
  /** Seconds, once finished. */
  readonly loadDuration: number | null;
  readonly fullDuration: number | null;
}

/** How the task ended. */
export type TaskOutcome =
  | { readonly kind: "finished"; readonly passSla: boolean }
  | { readonly kind: "aborted"; readonly mode: "soft" | "hard" | "sla"; readonly reason: string }
  | { readonly kind: "failed"; readonly message: string; readonly validation: boolean };

export interface LiveTask {
  readonly taskId: string;
  readonly title: string;
  /** `init` until the first event. */
  readonly status: TaskStatus;
  readonly environment: string | null;
  readonly runnerId: string | null;
  /** Workloads the task has in all, once `TaskQueued` is seen. */
  readonly workloadTotal: number | null;
  /** In task order. */
  readonly workloads: readonly LiveWorkload[];
  readonly outcome: TaskOutcome | null;
  /** Events applied so far. */
  readonly eventCount: number;
}

export function initialLiveTask(taskId: string): LiveTask {
  return {
    taskId,
    title: "",
    status: "init",
    environment: null,
    runnerId: null,
    workloadTotal: null,
    workloads: [],
    outcome: null,
    eventCount: 0,
  };
}

function blankWorkload(workloadId: string): LiveWorkload {
  return {
    workloadId,
    subtaskIndex: -1,
    position: 0,
    subtaskTitle: "",
    scenario: "",
    runner: "",
    expected: null,
    completed: 0,
    failed: 0,
    inFlight: 0,
    rate: 0,
    elapsed: 0,
    latency: null,
    p95History: [],
    durationLimit: null,
    hooks: [],
    hookActions: [],
    errorsByType: {},
    histogram: null,
    atomics: [],
    liveSla: [],
    scheduleLag: null,
    shares: [],
    lostReasons: {},
    status: "running",
    passSla: null,
    slaResults: [],
    loadDuration: null,
    fullDuration: null,
  };
}

function order(a: LiveWorkload, b: LiveWorkload): number {
  const ai = a.subtaskIndex < 0 ? Number.MAX_SAFE_INTEGER : a.subtaskIndex;
  const bi = b.subtaskIndex < 0 ? Number.MAX_SAFE_INTEGER : b.subtaskIndex;
  return ai - bi || a.position - b.position;
}

function updateWorkload(
  state: LiveTask,
  workloadId: string,
  change: (workload: LiveWorkload) => LiveWorkload,
): readonly LiveWorkload[] {
  const existing = state.workloads.find((workload) => workload.workloadId === workloadId);
  const updated = change(existing ?? blankWorkload(workloadId));
  const others = state.workloads.filter((workload) => workload.workloadId !== workloadId);
  return [...others, updated].sort(order);
}

function appendCapped(values: readonly number[], value: number, cap: number): readonly number[] {
  const next = values.length >= cap ? values.slice(values.length - cap + 1) : values.slice();
  next.push(value);
  return next;
}

/** `previous` and one more window's histogram, merged; `previous` when the window has none. */
function addWindow(previous: LatencyHistogram | null, window: LatencyHistogram | undefined) {
  if (window === undefined || window.buckets.length === 0) return previous;
  return previous === null ? window : mergeHistograms([previous, window]);
}

function addAtomics(previous: readonly LiveAtomic[], window: Progress["atomics"]): readonly LiveAtomic[] {
  if (window === undefined || window.length === 0) return previous;
  const next = [...previous];
  for (const atomic of window) {
    const index = next.findIndex((known) => known.name === atomic.name);
    const known = next[index];
    const merged: LiveAtomic = {
      name: atomic.name,
      count: (known?.count ?? 0) + atomic.count,
      failed: (known?.failed ?? 0) + atomic.failed,
      histogram: addWindow(known?.histogram ?? null, atomic.histogram) ?? atomic.histogram,
    };
    if (index >= 0) next[index] = merged;
    else next.push(merged);
  }
  return next;
}

/** The latest report of each runner, a share once `lost` staying lost. */
function mergeShares(previous: readonly RunnerShare[], reported: Progress["shares"]): readonly RunnerShare[] {
  if (reported === undefined) return previous;
  const next = reported.map((share) => {
    const before = previous.find((known) => known.runnerId === share.runnerId);
    return before?.state === "lost" && share.state !== "lost" ? { ...share, state: "lost" as const } : share;
  });
  for (const before of previous) {
    if (!next.some((share) => share.runnerId === before.runnerId)) next.push(before);
  }
  return next;
}

function errorText(error: unknown): string | null {
  if (error === undefined || error === null) return null;
  if (Array.isArray(error)) return error.slice(0, 2).map(String).join(": ");
  return typeof error === "string" ? error : JSON.stringify(error);
}

function hookOf(data: EventDataOf<"HookExecuted">, action: string): LiveHook {
  const { result } = data;
  const unit = result.triggered_by.event_type === "iteration" ? "iteration" : result.triggered_by.event_type;
  return {
    hookIndex: data.hookIndex,
    action,
    status: result.status,
    trigger: `${unit} ${result.triggered_by.value}`,
    duration: Math.max(0, result.finished_at - result.started_at),
    error: errorText(result.error),
  };
}

/**
 * Seconds until the workload's load should end: iterations left at the current rate, or the
 * time left of a duration-bound runner; null when neither is known.
 */
export function etaSeconds(workload: LiveWorkload): number | null {
  if (workload.status === "finished") return 0;
  if (workload.expected !== null && workload.rate > 0) {
    return Math.max(0, workload.expected - workload.completed) / workload.rate;
  }
  if (workload.durationLimit !== null) return Math.max(0, workload.durationLimit - workload.elapsed);
  return null;
}

/** True once the task has ended (finished, aborted or failed). */
export function isEnded(state: LiveTask): boolean {
  return state.outcome !== null;
}

export function applyEvent(state: LiveTask, event: AnyPaddockEvent): LiveTask {
  if (event.taskId !== state.taskId) return state;
  const next = { ...state, eventCount: state.eventCount + 1 };
  switch (event.type) {
    case "TaskQueued": {
      const total = event.data.task.subtasks.reduce((sum, subtask) => sum + subtask.workloads.length, 0);
      return {
        ...next,
        title: event.data.title,
        environment: event.data.environment,
        workloadTotal: total,
        status: state.status === "init" ? "queued" : state.status,
      };
    }
    case "TaskStarted":
      return {
        ...next,
        runnerId: event.data.runnerId,
        status: state.outcome === null ? "running" : state.status,
      };
    case "WorkloadStarted": {
      const { data } = event;
      return {
        ...next,
        status: state.outcome === null ? "running" : state.status,
        workloads: updateWorkload(state, data.workloadId, (workload) => ({
          ...workload,
          subtaskIndex: data.subtaskIndex,
          position: data.position,
          subtaskTitle: data.subtaskTitle,
          scenario: data.spec.scenario,
          runner: data.spec.runner.type,
          expected: data.expectedIterations,
          durationLimit:
            typeof data.spec.runner.config.duration === "number" ? data.spec.runner.config.duration : null,
          hookActions: data.spec.hooks.map((hook) => hook.action.name),
          hooks: workload.hooks.map((hook) => ({
            ...hook,
            action: data.spec.hooks[hook.hookIndex]?.action.name ?? hook.action,
          })),
        })),
      };
    }
    case "ProgressReported": {
      const { data } = event;
      return {
        ...next,
        workloads: updateWorkload(state, data.workloadId, (workload) =>
          data.completed < workload.completed
            ? workload
            : {
                ...workload,
                completed: data.completed,
                failed: Math.max(workload.failed, data.failed),
                expected: data.expected ?? workload.expected,
                inFlight: data.inFlight,
                rate: data.rate,
                elapsed: Math.max(workload.elapsed, data.elapsed),
                latency: data.latency,
                p95History: appendCapped(workload.p95History, data.latency.p95, P95_HISTORY),
                errorsByType: data.errorsByType,
                histogram: addWindow(workload.histogram, data.histogram),
                atomics: addAtomics(workload.atomics, data.atomics),
                liveSla: data.sla ?? workload.liveSla,
                scheduleLag: data.scheduleLag ?? workload.scheduleLag,
                shares: mergeShares(workload.shares, data.shares),
              },
        ),
      };
    }
    case "WorkloadFinished": {
      const { data } = event;
      return {
        ...next,
        workloads: updateWorkload(state, data.workloadId, (workload) => ({
          ...workload,
          status: "finished",
          completed: data.totalIterationCount,
          failed: data.failedIterationCount,
          inFlight: 0,
          elapsed: Math.max(workload.elapsed, data.loadDuration),
          passSla: data.passSla,
          slaResults: data.slaResults,
          loadDuration: data.loadDuration,
          fullDuration: data.fullDuration,
        })),
      };
    }
    case "HookExecuted": {
      const { data } = event;
      return {
        ...next,
        workloads: updateWorkload(state, data.workloadId, (workload) => ({
          ...workload,
          hooks: [...workload.hooks, hookOf(data, workload.hookActions[data.hookIndex] ?? "")],
        })),
      };
    }
    case "ShareLost": {
      const { data } = event;
      return {
        ...next,
        workloads: updateWorkload(state, data.workloadId, (workload) => {
          const known = workload.shares.find((share) => share.runnerId === data.runnerId);
          const lost: RunnerShare = {
            runnerId: data.runnerId,
            completed: Math.max(known?.completed ?? 0, data.completed),
            failed: Math.max(known?.failed ?? 0, data.failed),
            inFlight: 0,
            rate: 0,
            state: "lost",
          };
          return {
            ...workload,
            shares: known
              ? workload.shares.map((share) => (share === known ? lost : share))
              : [...workload.shares, lost],
            lostReasons: { ...workload.lostReasons, [data.runnerId]: data.reason },
          };
        }),
      };
    }
    case "TaskFinished":
      return { ...next, status: "finished", outcome: { kind: "finished", passSla: event.data.passSla } };
    case "TaskAborted":
      return {
        ...next,
        status: "aborted",
        outcome: { kind: "aborted", mode: event.data.mode, reason: event.data.reason },
      };
    case "TaskFailed": {
      const [type, message] = event.data.error;
      return {
        ...next,
        status: event.data.validation ? "validation_failed" : "crashed",
        outcome: { kind: "failed", message: `${type}: ${message}`, validation: event.data.validation },
      };
    }
    default:
      return next;
  }
}
