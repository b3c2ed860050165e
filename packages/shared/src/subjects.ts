/**
 * Every NATS subject and JetStream name Paddock uses, spelled once.
 *
 * `paddock.task.<taskId>.lifecycle`  — TaskQueued ... TaskFinished/TaskAborted/TaskFailed
 * `paddock.task.<taskId>.iterations` — IterationsRecorded batches
 * `paddock.task.<taskId>.progress`   — ProgressReported, about once a second
 * `paddock.runner.<runnerId>.heartbeat` — RunnerHeartbeat (core NATS, not stored)
 * `paddock.control.task.<taskId>.abort` — abort requests (core NATS request/reply); the runner
 *   holding the task answers
 */

export const EVENTS_STREAM = "PADDOCK_EVENTS";
export const TASKS_STREAM = "PADDOCK_TASKS";

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
} as const;

/** The task id a task subject is about, or undefined for any other subject. */
export function taskIdOf(subject: string): string | undefined {
  const parts = subject.split(".");
  return parts.length === 4 && parts[0] === "paddock" && parts[1] === "task" ? parts[2] : undefined;
}
