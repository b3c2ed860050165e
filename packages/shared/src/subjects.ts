/**
 * Every NATS subject and JetStream name Paddock uses, spelled once.
 *
 * `paddock.task.<taskId>.lifecycle`  — TaskQueued ... TaskFinished/TaskAborted/TaskFailed
 * `paddock.task.<taskId>.iterations` — IterationsRecorded batches
 * `paddock.task.<taskId>.progress`   — ProgressReported, about once a second
 * `paddock.runner.<runnerId>.heartbeat` — RunnerHeartbeat (core NATS, not stored)
 * `paddock.control.task.<taskId>.abort` — abort requests (core NATS request/reply); the runner
 *   holding the task answers
 *
 * Distributed workloads (runner to runner, not part of the event contract; docs/distribution.md):
 * `paddock.share.assign.<runnerId>` — shares handed to a runner (stream `PADDOCK_SHARES`)
 * `paddock.share.report.<taskId>`   — what the runners holding shares of a task report back (same stream)
 * `paddock.control.share.<taskId>`  — stop/abort orders to those runners (core NATS)
 */

export const EVENTS_STREAM = "PADDOCK_EVENTS";
export const TASKS_STREAM = "PADDOCK_TASKS";
/** Shares of distributed workloads and their reports (runner to runner). */
export const SHARES_STREAM = "PADDOCK_SHARES";

/** Durable consumer name of the results service on `PADDOCK_EVENTS`. */
export const RESULTS_CONSUMER = "paddock-results";
/** Durable consumer name the runners share on `PADDOCK_TASKS`. */
export const RUNNERS_CONSUMER = "paddock-runners";

export const TASK_SUBJECT_PREFIX = "paddock.task";
export const ALL_TASK_EVENTS = `${TASK_SUBJECT_PREFIX}.>`;
export const ALL_HEARTBEATS = "paddock.runner.*.heartbeat";
export const SUBMITTED_TASKS = "paddock.submit.task";
/** Every task's abort-request subject, for a runner serving them. */
export const ALL_TASK_ABORTS = "paddock.control.task.*.abort";
/** The subjects of `PADDOCK_SHARES`. */
export const SHARE_SUBJECTS = ["paddock.share.assign.*", "paddock.share.report.*"] as const;
/** Every task's share-control subject, for a runner holding shares. */
export const ALL_SHARE_CONTROLS = "paddock.control.share.*";

export type TaskChannel = "lifecycle" | "iterations" | "progress";

const TOKEN = /^[A-Za-z0-9_-]+$/;

function token(kind: string, value: string): string {
  if (!TOKEN.test(value)) throw new Error(`${kind} '${value}' cannot be used in a NATS subject`);
  return value;
}

export const subjects = {
  task: (taskId: string, channel: TaskChannel): string =>
    `${TASK_SUBJECT_PREFIX}.${token("task id", taskId)}.${channel}`,
  /** Every subject of one task, for a subscriber following it. */
  taskAll: (taskId: string): string => `${TASK_SUBJECT_PREFIX}.${token("task id", taskId)}.>`,
  heartbeat: (runnerId: string): string => `paddock.runner.${token("runner id", runnerId)}.heartbeat`,
  /** Abort requests for one task (core NATS request/reply). */
  taskAbort: (taskId: string): string => `paddock.control.task.${token("task id", taskId)}.abort`,
  /** Shares handed to one runner (JetStream, `PADDOCK_SHARES`). */
  shareAssignments: (runnerId: string): string => `paddock.share.assign.${token("runner id", runnerId)}`,
  /** Reports of the runners holding shares of one task (JetStream, `PADDOCK_SHARES`). */
  shareReports: (taskId: string): string => `paddock.share.report.${token("task id", taskId)}`,
  /** Stop/abort orders to the runners holding shares of one task (core NATS). */
  shareControl: (taskId: string): string => `paddock.control.share.${token("task id", taskId)}`,
} as const;

/** The task id a task subject is about, or undefined for any other subject. */
export function taskIdOf(subject: string): string | undefined {
  const parts = subject.split(".");
  return parts.length === 4 && parts[0] === "paddock" && parts[1] === "task" ? parts[2] : undefined;
}
