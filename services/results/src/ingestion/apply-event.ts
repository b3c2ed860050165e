/**
 * The projection from Paddock's events to the results store. `applyEvent` applies one validated
 * event inside a store transaction and records its id there, so applying it again changes nothing.
 *
 * Events of a task whose `TaskQueued` was never seen (the stream was trimmed, or the results
 * service started after it expired) are not refused: the first such event creates a *placeholder*
 * task (`placeholder: true`, empty spec, status `queued` until it is seen running), and a
 * `WorkloadStarted` that is missing likewise gives a placeholder workload. Whatever arrives later
 * fills them in. Events of a deleted task are ignored, so it does not come back.
 *
 * Statistics of a workload are computed once it has finished and all `totalIterationCount`
 * iterations are stored — at `WorkloadFinished`, or when the last late iteration arrives — and its
 * iteration chunks are then compacted into full chunks in seq order.
 */
import type { AnyPaddockEvent, EventType, PaddockEvent } from "@paddock/shared/events";
import type { TaskSpec, TaskStatus } from "@paddock/shared/task-model";
import type { StoreTransaction, TaskChanges, TaskRecord, WorkloadRecord } from "../store/result-store.js";

/** `applied`: the store changed; `duplicate`: already applied; `ignored`: nothing to store. */
export type ApplyOutcome = "applied" | "duplicate" | "ignored";

type StoredEventType = Exclude<EventType, "ProgressReported" | "RunnerHeartbeat">;
type Handler<T extends StoredEventType> = (tx: StoreTransaction, event: PaddockEvent<T>) => Promise<void>;

/** Title a placeholder task carries until its `TaskQueued` arrives. */
export const PLACEHOLDER_TITLE = "(unknown task: TaskQueued not received)";

/** How a task's `reason` starts when a share of a distributed workload was lost (kept when it finishes). */
export const SHARE_LOST_REASON = "Share lost";

/** Statuses from which a `TaskStarted` moves the task to `running`. */
const STARTABLE: readonly TaskStatus[] = ["init", "queued", "validating", "validated", "crashed", "running"];

const EMPTY_SPEC: TaskSpec = { title: "", description: "", tags: [], subtasks: [] };

/** The later of two ISO-8601 UTC times (they compare as strings). */
function later(a: string, b: string): string {
  return a >= b ? a : b;
}

/** The earlier of two ISO-8601 UTC times. */
function earlier(a: string, b: string): string {
  return a <= b ? a : b;
}

function scenariosOf(spec: TaskSpec): string[] {
  return [
    ...new Set(spec.subtasks.flatMap((subtask) => subtask.workloads.map((workload) => workload.scenario))),
  ];
}

function placeholderTask(taskId: string, at: string): TaskRecord {
  return {
    id: taskId,
    title: PLACEHOLDER_TITLE,
    description: "",
    tags: [],
    environment: "",
    source: { kind: "inline", hash: "" },
    args: {},
    input: "",
    task: EMPTY_SPEC,
    status: "queued",
    passSla: true,
    runnerId: null,
    reason: null,
    createdAt: at,
    updatedAt: at,
    startedAt: null,
    finishedAt: null,
    scenarios: [],
    iterations: 0,
    failedIterations: 0,
    placeholder: true,
  };
}

function placeholderWorkload(taskId: string, workloadId: string, at: string): WorkloadRecord {
  return {
    id: workloadId,
    taskId,
    subtaskIndex: 0,
    position: 0,
    subtaskTitle: "",
    spec: {
      scenario: "",
      args: {},
      runner: { type: "", config: {} },
      contexts: {},
      sla: {},
      hooks: [],
      description: "",
    },
    expectedIterations: null,
    status: "running",
    startTime: null,
    loadDuration: 0,
    fullDuration: 0,
    totalIterationCount: 0,
    failedIterationCount: 0,
    storedIterationCount: 0,
    storedFailedCount: 0,
    minDuration: null,
    maxDuration: null,
    passSla: true,
    slaResults: [],
    contextsResults: [],
    hookResults: [],
    statistics: null,
    placeholder: true,
    createdAt: at,
    updatedAt: at,
  };
}

/** The task of the event, created as a placeholder when it is not known yet. */
async function ensureTask(tx: StoreTransaction, event: AnyPaddockEvent): Promise<TaskRecord> {
  const existing = await tx.getTask(event.taskId);
  if (existing) return existing;
  const task = placeholderTask(event.taskId, event.occurredAt);
  await tx.insertTask(task);
  return task;
}

async function updateTask(
  tx: StoreTransaction,
  task: TaskRecord,
  occurredAt: string,
  changes: TaskChanges = {},
): Promise<void> {
  await tx.updateTask(task.id, { ...changes, updatedAt: later(task.updatedAt, occurredAt) });
}

async function ensureWorkload(
  tx: StoreTransaction,
  event: AnyPaddockEvent,
  workloadId: string,
): Promise<WorkloadRecord> {
  const existing = await tx.getWorkload(workloadId);
  if (existing) return existing;
  await ensureTask(tx, event);
  const workload = placeholderWorkload(event.taskId, workloadId, event.occurredAt);
  await tx.insertWorkload(workload);
  return workload;
}

/**
 * Computes statistics when the workload has finished and holds every iteration (again when
 * iterations arrive after that), and schedules the compaction of its chunks after the commit.
 */
async function finalizeWorkload(
  tx: StoreTransaction,
  workloadId: string,
  newIterations: boolean,
): Promise<void> {
  const workload = await tx.getWorkload(workloadId);
  if (workload?.status !== "finished") return;
  if (workload.storedIterationCount < workload.totalIterationCount) return;
  if (workload.statistics !== null && !newIterations) return;
  const figures = await tx.workloadFigures(workloadId);
  await tx.updateWorkload(workloadId, {
    statistics: figures.statistics,
    minDuration: figures.minDuration,
    maxDuration: figures.maxDuration,
  });
  await tx.scheduleCompaction(workloadId);
}

const HANDLERS = {
  async TaskQueued(tx, event) {
    const { data } = event;
    const details = {
      title: data.title,
      description: data.description,
      tags: data.tags,
      environment: data.environment,
      source: data.source,
      args: data.args,
      input: data.input,
      task: data.task,
      placeholder: false,
    };
    const existing = await tx.getTask(event.taskId);
    if (!existing) {
      await tx.insertTask({
        ...placeholderTask(event.taskId, event.occurredAt),
        ...details,
        scenarios: scenariosOf(data.task),
      });
      return;
    }
    if (!existing.placeholder) return;
    await updateTask(tx, existing, event.occurredAt, {
      ...details,
      createdAt: earlier(existing.createdAt, event.occurredAt),
      scenarios: [...new Set([...scenariosOf(data.task), ...existing.scenarios])],
    });
  },

  async TaskStarted(tx, event) {
    const task = await ensureTask(tx, event);
    if (!STARTABLE.includes(task.status)) {
      await updateTask(
        tx,
        task,
        event.occurredAt,
        task.runnerId === null ? { runnerId: event.data.runnerId } : {},
      );
      return;
    }
    const restarted = task.status !== "running";
    await updateTask(tx, task, event.occurredAt, {
      status: "running",
      runnerId: event.data.runnerId,
      ...(restarted ? { startedAt: event.occurredAt, finishedAt: null, reason: null } : {}),
    });
  },

  async WorkloadStarted(tx, event) {
    const { data } = event;
    const task = await ensureTask(tx, event);
    const details = {
      subtaskIndex: data.subtaskIndex,
      position: data.position,
      subtaskTitle: data.subtaskTitle,
      spec: data.spec,
      expectedIterations: data.expectedIterations,
      placeholder: false,
    };
    const existing = await tx.getWorkload(data.workloadId);
    if (!existing) {
      await tx.insertWorkload({
        ...placeholderWorkload(event.taskId, data.workloadId, event.occurredAt),
        ...details,
      });
    } else if (existing.placeholder) {
      await tx.updateWorkload(data.workloadId, {
        ...details,
        updatedAt: later(existing.updatedAt, event.occurredAt),
      });
    }
    const scenarios = task.scenarios.includes(data.spec.scenario)
      ? {}
      : { scenarios: [...task.scenarios, data.spec.scenario] };
    await updateTask(tx, task, event.occurredAt, scenarios);
  },

  async ContextSetUp(tx, event) {
    const workload = await ensureWorkload(tx, event, event.data.workloadId);
    await tx.updateWorkload(workload.id, {
      contextsResults: [...workload.contextsResults, event.data.result],
      updatedAt: later(workload.updatedAt, event.occurredAt),
    });
  },

  async ContextCleanedUp(tx, event) {
    const workload = await ensureWorkload(tx, event, event.data.workloadId);
    await tx.updateWorkload(workload.id, {
      contextsResults: [...workload.contextsResults, event.data.result],
      updatedAt: later(workload.updatedAt, event.occurredAt),
    });
  },

  async HookExecuted(tx, event) {
    const workload = await ensureWorkload(tx, event, event.data.workloadId);
    await tx.updateWorkload(workload.id, {
      hookResults: [...workload.hookResults, { hookIndex: event.data.hookIndex, result: event.data.result }],
      updatedAt: later(workload.updatedAt, event.occurredAt),
    });
  },

  async IterationsRecorded(tx, event) {
    const { data } = event;
    const workload = await ensureWorkload(tx, event, data.workloadId);
    const appended = await tx.appendIterations(
      { taskId: event.taskId, workloadId: data.workloadId, runnerId: data.runnerId },
      data.iterations,
    );
    const task = (await tx.getTask(event.taskId)) as TaskRecord;
    // Iterations are proof the task runs, even when its TaskStarted was never seen.
    const running = task.status === "queued" ? { status: "running" as const, runnerId: data.runnerId } : {};
    if (appended.stored === 0) {
      await updateTask(tx, task, event.occurredAt, running);
      return;
    }
    await tx.updateWorkload(workload.id, {
      storedIterationCount: workload.storedIterationCount + appended.stored,
      storedFailedCount: workload.storedFailedCount + appended.failed,
      updatedAt: later(workload.updatedAt, event.occurredAt),
    });
    await updateTask(tx, task, event.occurredAt, {
      ...running,
      iterations: task.iterations + appended.stored,
      failedIterations: task.failedIterations + appended.failed,
    });
    await finalizeWorkload(tx, workload.id, true);
  },

  async WorkloadFinished(tx, event) {
    const { data } = event;
    const workload = await ensureWorkload(tx, event, data.workloadId);
    await tx.updateWorkload(workload.id, {
      status: "finished",
      startTime: data.startTime,
      loadDuration: data.loadDuration,
      fullDuration: data.fullDuration,
      totalIterationCount: data.totalIterationCount,
      failedIterationCount: data.failedIterationCount,
      passSla: data.passSla,
      slaResults: data.slaResults,
      updatedAt: later(workload.updatedAt, event.occurredAt),
    });
    const task = (await tx.getTask(event.taskId)) as TaskRecord;
    await updateTask(tx, task, event.occurredAt, data.passSla ? {} : { passSla: false });
    await finalizeWorkload(tx, workload.id, false);
  },

  async TaskFinished(tx, event) {
    const task = await ensureTask(tx, event);
    await updateTask(tx, task, event.occurredAt, {
      status: "finished",
      passSla: event.data.passSla,
      finishedAt: event.occurredAt,
      // A lost share is why a finished task did less than its definition: keep saying so.
      reason: task.reason?.startsWith(SHARE_LOST_REASON) ? task.reason : null,
    });
  },

  async ShareLost(tx, event) {
    const task = await ensureTask(tx, event);
    const { data } = event;
    const workload = await tx.getWorkload(data.workloadId);
    const scenario = workload?.spec.scenario ? ` of ${workload.spec.scenario}` : "";
    const lost = `${SHARE_LOST_REASON}: share ${data.shareIndex + 1}/${data.shares}${scenario} on runner ${data.runnerId} after ${data.completed} iterations (${data.reason}); the rest of the workload went on without it.`;
    const earlier = task.reason?.startsWith(SHARE_LOST_REASON) ? `${task.reason} ` : "";
    await updateTask(tx, task, event.occurredAt, { passSla: false, reason: `${earlier}${lost}` });
  },

  async TaskAborted(tx, event) {
    const task = await ensureTask(tx, event);
    await updateTask(tx, task, event.occurredAt, {
      status: "aborted",
      passSla: false,
      finishedAt: event.occurredAt,
      reason: `Aborted (${event.data.mode}): ${event.data.reason}`,
    });
  },

  async TaskFailed(tx, event) {
    const task = await ensureTask(tx, event);
    const [type, message] = event.data.error;
    await updateTask(tx, task, event.occurredAt, {
      status: event.data.validation ? "validation_failed" : "crashed",
      passSla: false,
      finishedAt: event.occurredAt,
      reason: `${type}: ${message}`,
    });
  },
} satisfies { [T in StoredEventType]: Handler<T> };

/** Applies one validated event; `now` stamps the applied-event record. */
export async function applyEvent(
  tx: StoreTransaction,
  event: AnyPaddockEvent,
  now: () => Date = () => new Date(),
): Promise<ApplyOutcome> {
  if (event.type === "ProgressReported" || event.type === "RunnerHeartbeat") return "ignored";
  if (await tx.isApplied(event.id)) return "duplicate";
  if (await tx.isDeleted(event.taskId)) return "ignored";
  const handler = HANDLERS[event.type] as Handler<StoredEventType>;
  await handler(tx, event as PaddockEvent<StoredEventType>);
  await tx.markApplied(event.id, event.taskId, now().toISOString());
  return "applied";
}

/**
 * Marks a running task `crashed` (its runner stopped heart-beating), keeping everything stored
 * so far. False when the task is no longer running.
 */
export async function markTaskCrashed(
  tx: StoreTransaction,
  taskId: string,
  reason: string,
  at: string,
): Promise<boolean> {
  const task = await tx.getTask(taskId);
  if (task?.status !== "running") return false;
  await tx.updateTask(taskId, {
    status: "crashed",
    passSla: false,
    reason,
    finishedAt: at,
    updatedAt: later(task.updatedAt, at),
  });
  return true;
}
