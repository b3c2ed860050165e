/**
 * What is known about a running task from its events (lifecycle and progress), as a pure
 * reducer shared by `task start --wait` and the TUI's live screen. Events of the two channels
 * may interleave in any order (a late join replays them), so every step tolerates a progress
 * report before its workload's start and never lets counts go backwards.
 */
import type { AnyPaddockEvent, EventDataOf, SlaResult } from "@paddock/shared/events";
import type { TaskStatus } from "@paddock/shared/task-model";

/** Latencies over the last progress window, seconds. */
export type LatencyWindow = EventDataOf<"ProgressReported">["latency"];

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
  readonly errorsByType: Readonly<Record<string, number>>;
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
    errorsByType: {},
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
                errorsByType: data.errorsByType,
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
