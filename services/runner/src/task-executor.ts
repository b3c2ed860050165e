/**
 * Executing a prepared task and publishing what happens, as plain functions over injected
 * dependencies (publisher, clock, logger):
 *
 *   TaskStarted → per workload: WorkloadStarted → ContextSetUp… → IterationsRecorded… (batched)
 *   + ProgressReported (≈1/s) + HookExecuted… → ContextCleanedUp… → WorkloadFinished → TaskFinished
 *
 * or TaskAborted after the running workload finished, or TaskFailed when the run itself broke.
 * Subtasks run in order; a subtask's workloads run in order unless it sets `run_in_parallel`.
 * Lifecycle events are awaited one by one (they stay in order); iteration batches and progress
 * go through a bounded queue, and each workload waits for its iterations to be stored before
 * publishing `WorkloadFinished`.
 */
import { randomUUID } from "node:crypto";
import type { EventPublisher } from "@paddock/bus";
import { describeError } from "@paddock/shared/errors";
import { createEvent } from "@paddock/shared/event-codec";
import type { ContextResult, EventDataOf, EventType, IterationRecord } from "@paddock/shared/events";
import type { Logger } from "pino";
import type { Clock } from "./clock.js";
import {
  type DistributionTiming,
  type LocalLoad,
  runDistributedLoad,
} from "./distribution/share-coordinator.js";
import type { ShareNetwork } from "./distribution/share-network.js";
import type { ResolveEnvironment } from "./environments/environment-resolver.js";
import { WorkloadHooks } from "./hooks/workload-hooks.js";
import { type BatchLimits, IterationBatcher } from "./iteration-batcher.js";
import { NO_ENVIRONMENT } from "./iteration-context.js";
import type { ScenarioEnvironment } from "./plugin.js";
import { ProgressWindow } from "./progress-window.js";
import { PublishQueue, type PublishQueueOptions } from "./publish-queue.js";
import type { RunnerConfig, ShareSlice } from "./runners/index.js";
import type { Distribute } from "./runners/share-split.js";
import { SlaMonitor } from "./sla/index.js";
import type { PreparedTask, PreparedWorkload } from "./task-validator.js";
import { iterationError, WorkloadLoad } from "./workload-load.js";

export interface ExecutorDeps {
  readonly publisher: EventPublisher;
  readonly clock: Clock;
  readonly runnerId: string;
  readonly logger: Logger;
  /** Stamps events' `occurredAt`. Default: the system time. */
  readonly now?: () => Date;
  /** Milliseconds between two `ProgressReported` of a workload. Default 1000. */
  readonly progressIntervalMs?: number;
  readonly batch?: BatchLimits;
  readonly queue?: PublishQueueOptions;
  /**
   * Fetches and resolves a run's environment (by name) as the run starts. Default: every run
   * gets an empty `generic` environment with the name it asked for.
   */
  readonly resolveEnvironment?: ResolveEnvironment;
  /**
   * The other runner replicas, for distributed workloads (`distribute`). Without it every
   * workload runs whole on this runner.
   */
  readonly shares?: ShareNetwork | undefined;
  /** Timings of handing shares out. */
  readonly distribution?: DistributionTiming | undefined;
}

export type AbortMode = "soft" | "hard";

/** Why a task stops early: a request (`POST /tasks/:id/abort`) or a failed SLA (`abort_on_sla_failure`). */
export type AbortCause = "request" | "sla";

/** How one run of a task behaves, beyond the task file. */
export interface RunOptions {
  /** Stop the task (softly, as Rally does) as soon as an SLA criterion fails. Default false. */
  readonly abortOnSlaFailure?: boolean;
  /** `TaskStarted` was already published (by the queue's claim), so the executor does not. */
  readonly startPublished?: boolean;
  /** The environment's name (its secrets are resolved by `resolveEnvironment` only now). Default `local`. */
  readonly environment?: string;
  /**
   * Split each workload's load across runner replicas (a workload's own `distribute` wins).
   * Default: each workload runs whole here.
   */
  readonly distribute?: Distribute;
}

/** What `abort` reaches: a running load, or a distributed load's shares. */
export interface Stoppable {
  /** Soft: no new iteration. */
  stop(): void;
  /** Hard: interrupt running iterations too. */
  interrupt(): void;
}

/** A workload as `GET /tasks/active` shows it. */
export interface WorkloadState {
  readonly workloadId: string;
  readonly subtaskIndex: number;
  readonly position: number;
  readonly scenario: string;
  status: "running" | "finished";
  readonly expected: number | null;
  completed: number;
  failed: number;
  inFlight: number;
}

export type TaskOutcome =
  | { readonly status: "finished"; readonly passSla: boolean }
  | { readonly status: "aborted"; readonly mode: AbortMode | "sla" }
  | { readonly status: "failed"; readonly error: string };

/** The control and live state of one executing task. */
export class TaskRun {
  /** Epoch seconds the run started. */
  readonly startedAt: number;
  abortMode: AbortMode | undefined;
  /** Set with the first abort. */
  abortCause: AbortCause | undefined;
  /** The workload whose SLA failure aborted the task (`abort_on_sla_failure`). */
  slaAbortedWorkload: string | undefined;
  readonly workloads: WorkloadState[] = [];
  private readonly loads = new Set<Stoppable>();

  constructor(
    readonly taskId: string,
    readonly title: string,
    clock: Clock,
    readonly options: RunOptions = {},
  ) {
    this.startedAt = clock.now();
  }

  /** Soft: start no new iteration, let running ones end. Hard: interrupt them too. */
  abort(mode: AbortMode, cause: AbortCause = "request"): void {
    if (this.abortMode === "hard") return;
    this.abortCause ??= cause;
    this.abortMode = mode;
    for (const load of this.loads) {
      if (mode === "hard") load.interrupt();
      else load.stop();
    }
  }

  /** @internal the executor registers each running load so `abort` reaches it. */
  attach(load: Stoppable): void {
    this.loads.add(load);
    if (this.abortMode === "hard") load.interrupt();
    else if (this.abortMode === "soft") load.stop();
  }

  /** @internal */
  detach(load: Stoppable): void {
    this.loads.delete(load);
  }
}

function eventMaker(taskId: string, now: (() => Date) | undefined) {
  return <T extends EventType>(type: T, data: EventDataOf<T>) => createEvent(type, taskId, data, now);
}

type MakeEvent = ReturnType<typeof eventMaker>;

interface WorkloadScope {
  readonly deps: ExecutorDeps;
  readonly queue: PublishQueue;
  readonly event: MakeEvent;
  readonly run: TaskRun;
  /** Resolved secrets inside: handed to contexts and scenarios, never published or logged. */
  readonly environment: ScenarioEnvironment;
}

async function runContexts(
  scope: WorkloadScope,
  workload: PreparedWorkload,
  workloadId: string,
  stage: "setup" | "cleanup",
  contexts: PreparedWorkload["contexts"],
): Promise<{ done: number; error?: string }> {
  const { clock } = scope.deps;
  let done = 0;
  for (const context of contexts) {
    const startedAt = clock.now();
    let error: ContextResult["error"] = [];
    try {
      if (stage === "setup") await context.plugin.setup(context.config, scope.environment);
      else await context.plugin.cleanup(context.config, scope.environment);
    } catch (thrown) {
      error = iterationError(thrown);
      scope.deps.logger.warn(
        { taskId: scope.run.taskId, workloadId, context: context.name, stage },
        `context ${context.name} ${stage} failed in ${workload.path}: ${describeError(thrown)}`,
      );
    }
    const result: ContextResult = { name: context.name, stage, startedAt, finishedAt: clock.now(), error };
    await scope.queue.publish(
      stage === "setup"
        ? scope.event("ContextSetUp", { workloadId, result })
        : scope.event("ContextCleanedUp", { workloadId, result }),
    );
    if (error.length > 0 && stage === "setup") return { done, error: error[1] };
    done += 1;
  }
  return { done };
}

/** When and how a load ran: what `WorkloadFinished` reports. */
interface LoadSummary {
  readonly completed: number;
  readonly failed: number;
  /** Epoch seconds. */
  readonly firstStart: number | undefined;
  readonly lastEnd: number | undefined;
}

/** Feeds one ended iteration to the SLA and aborts the task at the first failure when asked to. */
function slaWatcher(scope: WorkloadScope, workload: PreparedWorkload, state: WorkloadState, sla: SlaMonitor) {
  const { deps, run } = scope;
  const abortOnSla = run.options.abortOnSlaFailure === true;
  return (record: IterationRecord) => {
    sla.add(record);
    if (abortOnSla && run.abortMode === undefined && !sla.passing()) {
      run.slaAbortedWorkload = state.workloadId;
      run.abort("soft", "sla");
      deps.logger.info(
        { taskId: run.taskId, workloadId: state.workloadId },
        `task ${run.taskId}: SLA failed in ${workload.path}, aborting (abort_on_sla_failure)`,
      );
    }
  };
}

/**
 * Starts a load in this process: the whole workload, or one share of it (`slice`), its records
 * batched into `IterationsRecorded` as this runner's. Resolves `done` with the runner strategy's
 * error message, if it threw.
 */
function startLoad(
  scope: WorkloadScope,
  workload: PreparedWorkload,
  state: WorkloadState,
  options: {
    readonly config: RunnerConfig;
    readonly slice?: ShareSlice | undefined;
    readonly onRecord: (record: IterationRecord) => void;
    readonly onStart?: ((iteration: number) => void) | undefined;
  },
): LocalLoad {
  const { deps, queue, event, run } = scope;
  const { clock } = deps;
  const progress = new ProgressWindow(clock.monotonic());
  const batcher = new IterationBatcher((iterations) => {
    queue.send(
      event("IterationsRecorded", { workloadId: state.workloadId, runnerId: deps.runnerId, iterations }),
    );
  }, deps.batch);
  const load = new WorkloadLoad({
    scenario: workload.scenario,
    args: workload.args,
    timeout: workload.plan.timeout,
    clock,
    environment: scope.environment,
    onStart: options.onStart,
    onRecord(record: IterationRecord) {
      options.onRecord(record);
      progress.add(record);
      batcher.push(record);
    },
    backpressure: () => (queue.saturated ? queue.whenReady() : undefined),
    ...(options.slice === undefined
      ? {}
      : { share: { index: options.slice.index, count: options.slice.count }, runnerId: deps.runnerId }),
  });
  run.attach(load);
  const done = workload.runner
    .run(options.config, load, options.slice)
    .then(
      () => undefined,
      (error: unknown) => {
        deps.logger.error(
          { err: error, taskId: run.taskId, workloadId: state.workloadId },
          `runner ${workload.runner.type} failed in ${workload.path}: ${describeError(error)}`,
        );
        return describeError(error);
      },
    )
    .finally(() => {
      run.detach(load);
      batcher.flush();
    });
  return { load, progress, done };
}

/**
 * The replicas to hand shares of `workload` to: none when it runs whole here. Asked for n, it
 * waits a moment for n − 1 idle replicas before it settles for fewer.
 */
async function helpersFor(scope: WorkloadScope, workload: PreparedWorkload): Promise<string[]> {
  const { deps, run } = scope;
  const own = workload.spec.runner.config.distribute as Distribute;
  const wanted = own ?? run.options.distribute ?? 1;
  const network = deps.shares;
  if (network === undefined || wanted === 1 || !workload.distributable) return [];
  const deadline = deps.clock.monotonic() + (deps.distribution?.waitForReplicasMs ?? 2500);
  let idle = network.directory.idle(deps.runnerId);
  while (
    wanted !== "all" &&
    idle.length < wanted - 1 &&
    deps.clock.monotonic() < deadline &&
    run.abortMode === undefined
  ) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    idle = network.directory.idle(deps.runnerId);
  }
  const helpers = wanted === "all" ? idle : idle.slice(0, wanted - 1);
  const shares = workload.runner.split(workload.spec.runner.config, helpers.length + 1).length;
  if (wanted !== "all" && helpers.length < wanted - 1) {
    deps.logger.warn(
      { taskId: run.taskId },
      `${workload.path}: ${wanted} replicas asked for, ${helpers.length + 1} available (this one and ${helpers.length} idle)`,
    );
  }
  return helpers.slice(0, shares - 1);
}

async function runLoad(
  scope: WorkloadScope,
  workload: PreparedWorkload,
  state: WorkloadState,
  sla: SlaMonitor,
): Promise<LoadSummary> {
  const { deps, queue, event, run } = scope;
  const { clock } = deps;
  const hooks =
    workload.hooks.length === 0
      ? undefined
      : new WorkloadHooks(workload.hooks, clock, (hookIndex, result) => {
          queue.send(event("HookExecuted", { workloadId: state.workloadId, hookIndex, result }));
        });
  const onRecord = slaWatcher(scope, workload, state, sla);
  const onStart = hooks === undefined ? undefined : (iteration: number) => hooks.onIterationStart(iteration);
  const helpers = await helpersFor(scope, workload);
  let summary: LoadSummary;
  if (helpers.length > 0 && deps.shares !== undefined) {
    summary = await runDistributedLoad(
      {
        network: deps.shares,
        runnerId: deps.runnerId,
        taskId: run.taskId,
        title: run.title,
        environment: scope.environment.name,
        workload,
        workloadId: state.workloadId,
        clock,
        logger: deps.logger,
        sla,
        progressIntervalMs: deps.progressIntervalMs ?? 1000,
        timing: deps.distribution,
        startLocal: (config, slice) =>
          startLoad(scope, workload, state, { config, slice, onRecord, onStart }),
        onRemoteRecord(record) {
          onRecord(record);
          onStart?.(record.seq + 1);
        },
        publishProgress(merged, elapsed) {
          state.completed = merged.completed;
          state.failed = merged.failed;
          state.inFlight = merged.inFlight;
          queue.send(
            event("ProgressReported", {
              workloadId: state.workloadId,
              runnerId: deps.runnerId,
              ...merged,
              expected: state.expected,
              elapsed,
              sla: sla.verdicts(),
            }),
          );
        },
        publishLost(data) {
          queue.send(event("ShareLost", data));
        },
        attach(control) {
          run.attach(control);
          return () => run.detach(control);
        },
      },
      helpers,
    );
  } else {
    const local = startLoad(scope, workload, state, {
      config: workload.spec.runner.config,
      onRecord,
      onStart,
    });
    const loadStarted = clock.monotonic();
    const report = () => {
      const figures = local.progress.take(clock.monotonic());
      state.completed = figures.completed;
      state.failed = figures.failed;
      state.inFlight = local.load.inFlight;
      queue.send(
        event("ProgressReported", {
          workloadId: state.workloadId,
          runnerId: deps.runnerId,
          completed: figures.completed,
          failed: figures.failed,
          expected: state.expected,
          inFlight: local.load.inFlight,
          elapsed: (clock.monotonic() - loadStarted) / 1000,
          rate: figures.rate,
          latency: figures.latency,
          errorsByType: figures.errorsByType,
          histogram: figures.histogram,
          atomics: figures.atomics,
          sla: sla.verdicts(),
          ...(figures.scheduleLag === undefined ? {} : { scheduleLag: figures.scheduleLag }),
        }),
      );
    };
    const ticker = setInterval(report, deps.progressIntervalMs ?? 1000);
    const error = await local.done;
    clearInterval(ticker);
    if (error !== undefined) sla.setUnexpectedFailure(error);
    report();
    summary = {
      completed: local.progress.completed,
      failed: local.progress.failed,
      firstStart: local.load.firstStart,
      lastEnd: local.load.lastEnd,
    };
  }
  if (hooks !== undefined) {
    if (run.abortMode === "hard") hooks.interrupt();
    else hooks.stop();
    await hooks.settled();
  }
  state.completed = summary.completed;
  state.failed = summary.failed;
  state.inFlight = 0;
  return summary;
}

async function executeWorkload(runScope: WorkloadScope, workload: PreparedWorkload): Promise<boolean> {
  // Each workload gets its own copy of the environment: contexts key what they create to it.
  const scope: WorkloadScope = { ...runScope, environment: { ...runScope.environment } };
  const { deps, queue, event, run } = scope;
  const { clock } = deps;
  const state: WorkloadState = {
    workloadId: randomUUID(),
    subtaskIndex: workload.subtaskIndex,
    position: workload.position,
    scenario: workload.spec.scenario,
    status: "running",
    expected: workload.plan.expectedIterations,
    completed: 0,
    failed: 0,
    inFlight: 0,
  };
  run.workloads.push(state);
  await queue.publish(
    event("WorkloadStarted", {
      workloadId: state.workloadId,
      subtaskIndex: workload.subtaskIndex,
      position: workload.position,
      subtaskTitle: workload.subtaskTitle,
      spec: workload.spec,
      expectedIterations: workload.plan.expectedIterations,
    }),
  );
  const fullStart = clock.monotonic();
  const sla = new SlaMonitor(workload.spec.sla);
  const setup = await runContexts(scope, workload, state.workloadId, "setup", workload.contexts);
  let load: LoadSummary | undefined;
  if (setup.error !== undefined) sla.setUnexpectedFailure(setup.error);
  else if (run.abortMode === undefined) load = await runLoad(scope, workload, state, sla);
  const cleanup = workload.contexts.slice(0, setup.done).reverse();
  await runContexts(scope, workload, state.workloadId, "cleanup", cleanup);
  if (run.slaAbortedWorkload === state.workloadId) sla.setAbortedOnSla();
  else if (run.abortMode !== undefined && run.abortCause === "request") sla.setAbortedManually();
  await queue.drain();
  const first = load?.firstStart;
  const passSla = sla.passed();
  await queue.publish(
    event("WorkloadFinished", {
      workloadId: state.workloadId,
      startTime: first ?? null,
      loadDuration: first !== undefined && load?.lastEnd !== undefined ? load.lastEnd - first : 0,
      fullDuration: (clock.monotonic() - fullStart) / 1000,
      totalIterationCount: state.completed,
      failedIterationCount: state.failed,
      passSla,
      slaResults: sla.results(),
    }),
  );
  state.status = "finished";
  return passSla;
}

/**
 * Runs `task` to its end and publishes its events. Never throws: the outcome says how it ended
 * (and a `TaskFailed` was published when the run broke, if the bus still took it).
 */
export async function executeTask(
  deps: ExecutorDeps,
  task: PreparedTask,
  run: TaskRun,
): Promise<TaskOutcome> {
  const queue = new PublishQueue(deps.publisher, { now: deps.now, ...deps.queue });
  const event = eventMaker(run.taskId, deps.now);
  try {
    if (run.options.startPublished !== true) {
      await queue.publish(event("TaskStarted", { runnerId: deps.runnerId }));
    }
    const environmentName = run.options.environment ?? NO_ENVIRONMENT.name;
    const environment =
      deps.resolveEnvironment === undefined
        ? { ...NO_ENVIRONMENT, name: environmentName }
        : await deps.resolveEnvironment(environmentName);
    const scope: WorkloadScope = { deps, queue, event, run, environment };
    let passSla = true;
    for (const subtask of task.subtasks) {
      if (run.abortMode !== undefined) break;
      if (subtask.runInParallel) {
        const verdicts = await Promise.all(
          subtask.workloads.map((workload) => executeWorkload(scope, workload)),
        );
        passSla &&= verdicts.every(Boolean);
        continue;
      }
      for (const workload of subtask.workloads) {
        if (run.abortMode !== undefined) break;
        passSla = (await executeWorkload(scope, workload)) && passSla;
      }
    }
    await queue.drain();
    if (run.abortMode !== undefined) {
      const mode = run.abortCause === "sla" ? "sla" : run.abortMode;
      await queue.publish(
        event("TaskAborted", {
          mode,
          reason:
            mode === "sla"
              ? "Aborted due to SLA failure(s) (abort_on_sla_failure): no new iteration was started, later workloads were skipped."
              : mode === "soft"
                ? "Aborted on request: no new iteration was started, running ones finished."
                : "Aborted on request: running iterations were interrupted.",
        }),
      );
      return { status: "aborted", mode };
    }
    await queue.publish(event("TaskFinished", { status: "finished", passSla }));
    return { status: "finished", passSla };
  } catch (error) {
    deps.logger.error(
      { err: error, taskId: run.taskId },
      `task ${run.taskId} failed: ${describeError(error)}`,
    );
    const [type, message, traceback] = iterationError(error);
    try {
      await deps.publisher.publish(
        event("TaskFailed", { error: [type, message, traceback], validation: false }),
      );
    } catch (publishError) {
      deps.logger.error(
        { err: publishError, taskId: run.taskId },
        `TaskFailed could not be published: ${describeError(publishError)}`,
      );
    }
    return { status: "failed", error: message };
  }
}
