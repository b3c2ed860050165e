/**
 * Where a validated task goes after `POST /tasks`, and how an abort finds it. The port has two
 * adapters: `createLocalDispatcher` (this process runs every task at once; tests and a single
 * runner without a queue) and `createNatsDispatcher` (the durable `PADDOCK_TASKS` work queue
 * shared by every runner replica, `nats-dispatcher.ts`).
 */
import { Distribute } from "@paddock/shared/api";
import { TaskSpec } from "@paddock/shared/task-model";
import type { Logger } from "pino";
import Type, { type Static } from "typebox";
import type { AbortMode, RunOptions } from "./task-executor.js";
import type { TaskSupervisor } from "./task-supervisor.js";
import type { Preparation } from "./task-validator.js";

/** A task on the queue: everything a runner needs to run it (already rendered and validated once). */
export const TaskSubmission = Type.Object({
  taskId: Type.String({ minLength: 1 }),
  title: Type.String(),
  /** The rendered task; the runner that pulls it validates it again against its own plugins. */
  task: TaskSpec,
  abortOnSlaFailure: Type.Boolean(),
  /** The environment's name; the runner that runs the task resolves its secrets then (never queued). */
  environment: Type.Optional(Type.String({ minLength: 1 })),
  /** The runner that accepted the submission. */
  submittedBy: Type.String(),
  /** Split each workload across runner replicas (`StartTaskRequest.distribute`). */
  distribute: Type.Optional(Distribute),
});
export type TaskSubmission = Static<typeof TaskSubmission>;

/** What an abort request found: the task running (`aborting`/`soft_aborting`) or queued and now ended (`aborted`). */
export type AbortAnswer = "aborting" | "soft_aborting" | "aborted";

export interface TaskDispatcher {
  /** Hands a submission over; resolves once it is durably queued (or started). */
  enqueue(submission: TaskSubmission): Promise<void>;
  /** Aborts the task wherever it is held; `undefined` when no runner and no queue holds it. */
  abort(taskId: string, mode: AbortMode): Promise<AbortAnswer | undefined>;
  /** Stops taking new tasks (running ones are the supervisor's business). */
  close(): Promise<void>;
  /** A share of a distributed workload started or ended here: the free slots changed. */
  slotsChanged?(): void;
}

/** What a dispatcher gets from the app it serves. */
export interface DispatchRuntime {
  readonly supervisor: TaskSupervisor;
  /** Validates a rendered task against this runner's plugins. */
  readonly prepare: (task: TaskSpec) => Preparation;
  readonly runnerId: string;
  readonly logger: Logger;
  /** Stamps events' `occurredAt`. Default: the system time. */
  readonly now?: (() => Date) | undefined;
  /** Shares of other runners' workloads running here; they take slots as tasks do. Default 0. */
  readonly sharesRunning?: () => number;
}

/** How one submission runs: the options the queue carried. */
export function runOptionsOf(
  submission: TaskSubmission,
): Pick<RunOptions, "abortOnSlaFailure" | "environment" | "distribute"> {
  return {
    abortOnSlaFailure: submission.abortOnSlaFailure,
    ...(submission.environment === undefined ? {} : { environment: submission.environment }),
    ...(submission.distribute === undefined ? {} : { distribute: submission.distribute }),
  };
}

export type DispatcherFactory = (runtime: DispatchRuntime) => TaskDispatcher | Promise<TaskDispatcher>;

export function abortAnswerOf(mode: AbortMode): AbortAnswer {
  return mode === "soft" ? "soft_aborting" : "aborting";
}

/** Runs every submission in this process at once, with no queue and no capacity limit. */
export const createLocalDispatcher: DispatcherFactory = (runtime) => ({
  async enqueue(submission) {
    const preparation = runtime.prepare(submission.task);
    if (!preparation.ok) throw new Error(`task ${submission.taskId} no longer validates`);
    void runtime.supervisor
      .start(submission.taskId, submission.title, preparation.task, runOptionsOf(submission))
      .then((outcome) => {
        runtime.logger.info(
          { taskId: submission.taskId, outcome },
          `task ${submission.taskId} ended: ${outcome.status}`,
        );
      });
  },
  async abort(taskId, mode) {
    if (!runtime.supervisor.has(taskId)) return undefined;
    runtime.supervisor.abort(taskId, mode);
    return abortAnswerOf(mode);
  },
  async close() {},
});
