/**
 * The results store port. Every adapter (embedded SQLite now, MongoDB later) implements
 * `ResultStore`, and one contract suite (`test/store-contract.ts`) runs against each.
 *
 * Shape of the data, chosen to map one-to-one onto documents as well as tables:
 * - a task record (one row/document per task, what lists and searches need);
 * - a workload record per workload (counts, SLA, contexts/hooks results, statistics);
 * - iterations in chunks (the bucket pattern): ordered JSON arrays of at most
 *   `ITERATION_CHUNK_SIZE` records keyed by (workload id, runner id, first seq) — never one
 *   row/document per iteration — each with its statistics digest (`iteration-digest.ts`);
 * - applied event ids, written in the same transaction as the change they caused, so applying
 *   an event twice changes nothing;
 * - parked events: messages that could not be applied, kept with the reason and their raw text;
 * - tombstones of deleted tasks, so a late event does not bring a deleted task back.
 *
 * Writes happen only inside `write(work)`, atomically; reads never see a half-written transaction.
 */
import type { WorkloadStatistics } from "@paddock/shared/api";
import type {
  ContextResult,
  HookResult,
  IterationRecord,
  SlaResult,
  TaskSource,
} from "@paddock/shared/events";
import type { TaskSpec, TaskStatus, WorkloadSpec } from "@paddock/shared/task-model";
import type { WorkloadFigures } from "../statistics/workload-figures.js";
import type { RallyIterationText } from "./iteration-lines.js";

/** Most iteration records one chunk holds. */
export const ITERATION_CHUNK_SIZE = 1000;

/** A task as stored. Times are ISO-8601 UTC strings. */
export interface TaskRecord {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  /** Name of the environment the task ran against. */
  readonly environment: string;
  readonly source: TaskSource;
  /** Template arguments the task was rendered with. */
  readonly args: Readonly<Record<string, unknown>>;
  /** The task file text as submitted. */
  readonly input: string;
  readonly task: TaskSpec;
  readonly status: TaskStatus;
  readonly passSla: boolean;
  /** The runner executing (or that executed) the task. */
  readonly runnerId: string | null;
  /** Why the task failed, was aborted or crashed. */
  readonly reason: string | null;
  /** When the task was queued (or first seen, for a placeholder). */
  readonly createdAt: string;
  /** Time of the last change. */
  readonly updatedAt: string;
  /** When the task started running. */
  readonly startedAt: string | null;
  /** When the task reached a final status. */
  readonly finishedAt: string | null;
  /** Scenario plugins the task runs, in order of first appearance. */
  readonly scenarios: readonly string[];
  /** Iterations stored so far, all workloads. */
  readonly iterations: number;
  /** Failed iterations stored so far, all workloads. */
  readonly failedIterations: number;
  /**
   * True while the task's `TaskQueued` has not been seen (the stream was trimmed, or events came
   * out of order): title, spec and source are empty until it arrives.
   */
  readonly placeholder: boolean;
}

/** A workload as stored. Durations in seconds; times epoch seconds unless named `*At`. */
export interface WorkloadRecord {
  readonly id: string;
  readonly taskId: string;
  readonly subtaskIndex: number;
  /** Index of the workload in its subtask; Rally's `position`. */
  readonly position: number;
  readonly subtaskTitle: string;
  readonly spec: WorkloadSpec;
  /** Iterations the runner announced, or null when bounded by time. */
  readonly expectedIterations: number | null;
  readonly status: "running" | "finished";
  /** Start of the first iteration, epoch seconds. */
  readonly startTime: number | null;
  readonly loadDuration: number;
  readonly fullDuration: number;
  /** From `WorkloadFinished`: iterations the runner ran. */
  readonly totalIterationCount: number;
  /** From `WorkloadFinished`: iterations that failed. */
  readonly failedIterationCount: number;
  /** Iterations stored so far. */
  readonly storedIterationCount: number;
  /** Failed iterations stored so far. */
  readonly storedFailedCount: number;
  /** Shortest successful iteration; null until statistics are computed or when none succeeded. */
  readonly minDuration: number | null;
  readonly maxDuration: number | null;
  readonly passSla: boolean;
  readonly slaResults: readonly SlaResult[];
  readonly contextsResults: readonly ContextResult[];
  readonly hookResults: readonly { readonly hookIndex: number; readonly result: HookResult }[];
  /** Rally's statistics, once finished and every iteration is stored. */
  readonly statistics: WorkloadStatistics | null;
  /** True while the workload's `WorkloadStarted` has not been seen. */
  readonly placeholder: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A task without its heavy fields (submitted text, arguments, spec): what a listing returns. */
export type TaskSummaryRecord = Omit<TaskRecord, "args" | "input" | "task">;

export type TaskChanges = Partial<Omit<TaskRecord, "id">>;
export type WorkloadChanges = Partial<Omit<WorkloadRecord, "id" | "taskId">>;

/** A message that could not be applied, kept for an operator. */
export interface ParkedEvent {
  /** Stream sequence of the message in `PADDOCK_EVENTS`. */
  readonly streamSeq: number;
  readonly subject: string;
  /** The message id (`Nats-Msg-Id`) or the event id, when either could be read. */
  readonly eventId: string | null;
  readonly reason: string;
  /** The message payload as text. */
  readonly raw: string;
  readonly parkedAt: string;
}

/** Position after the last task of a page (tasks are listed newest first). */
export interface TaskCursor {
  readonly createdAt: string;
  readonly id: string;
}

/** Filters of a task listing; every given filter must match. */
export interface TaskQuery {
  readonly status?: TaskStatus | undefined;
  /** Tasks carrying this tag. */
  readonly tag?: string | undefined;
  /** Tasks running this scenario plugin. */
  readonly scenario?: string | undefined;
  readonly environment?: string | undefined;
  /** Words that must all appear (case-insensitive) in id, title, description, tags, environment or scenarios. */
  readonly text?: string | undefined;
  /** Tasks created at or after this time (ISO-8601 UTC). */
  readonly createdFrom?: string | undefined;
  /** Tasks created before this time (ISO-8601 UTC). */
  readonly createdTo?: string | undefined;
  /** Page size, at least 1. */
  readonly limit: number;
  readonly after?: TaskCursor | undefined;
}

export interface TaskPage {
  readonly tasks: readonly TaskSummaryRecord[];
  /** Where the next page starts; absent on the last page. */
  readonly next?: TaskCursor;
}

/** A task in `running`, for the heartbeat check. */
export interface RunningTask {
  readonly id: string;
  readonly runnerId: string | null;
  /** When it started running (ISO-8601). */
  readonly startedAt: string | null;
}

/** Outcome of appending a batch of iterations. */
export interface IterationsAppended {
  /** Records newly stored (records whose seq was already stored are skipped). */
  readonly stored: number;
  /** How many of the newly stored records are failed iterations. */
  readonly failed: number;
}

/** Where a batch of iterations belongs. */
export interface IterationsTarget {
  readonly taskId: string;
  readonly workloadId: string;
  readonly runnerId: string;
}

/** Writes (and the reads a write needs), all inside one atomic transaction. */
export interface StoreTransaction {
  /** True when the event with this id has been applied already. */
  isApplied(eventId: string): Promise<boolean>;
  /** Records that the event has been applied, as part of this transaction. */
  markApplied(eventId: string, taskId: string, appliedAt: string): Promise<void>;
  /** True when the task was deleted (its later events are ignored). */
  isDeleted(taskId: string): Promise<boolean>;

  getTask(taskId: string): Promise<TaskRecord | undefined>;
  insertTask(task: TaskRecord): Promise<void>;
  /** Changes the given fields of an existing task. */
  updateTask(taskId: string, changes: TaskChanges): Promise<void>;

  getWorkload(workloadId: string): Promise<WorkloadRecord | undefined>;
  insertWorkload(workload: WorkloadRecord): Promise<void>;
  updateWorkload(workloadId: string, changes: WorkloadChanges): Promise<void>;

  /**
   * Stores iteration records as chunks of at most `ITERATION_CHUNK_SIZE`, sorted by seq.
   * Records whose seq the workload already holds are skipped, so a replay stores nothing twice.
   */
  appendIterations(
    target: IterationsTarget,
    iterations: readonly IterationRecord[],
  ): Promise<IterationsAppended>;
  /** Calls `visit` with every stored iteration of the workload, chunk by chunk (any order). */
  scanIterations(workloadId: string, visit: (chunk: readonly IterationRecord[]) => void): Promise<void>;
  /**
   * The workload's figures (Rally statistics, successful duration range, counts) over every stored
   * iteration: the same as giving each scanned iteration to a `WorkloadFiguresCollector`, read from
   * the digests stored with the chunks instead of the records.
   */
  workloadFigures(workloadId: string): Promise<WorkloadFigures>;
  /** Rewrites the workload's chunks as full, non-overlapping chunks in seq order. Content is unchanged. */
  compactIterations(workloadId: string): Promise<void>;
  /**
   * Compacts the workload's chunks after this transaction commits, in a write of its own, so a
   * large workload's statistics are not held back by rewriting its chunks. Remembered durably: a
   * compaction interrupted by a stop runs when the store is opened again. Content is unchanged.
   */
  scheduleCompaction(workloadId: string): Promise<void>;

  /** Keeps a message that could not be applied. Parking the same stream sequence twice keeps one. */
  park(event: ParkedEvent): Promise<void>;
}

export interface ResultStore {
  /** Runs `work` in one transaction: all its writes are kept together, or none is when it throws. */
  write<T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T>;

  listTasks(query: TaskQuery): Promise<TaskPage>;
  getTask(taskId: string): Promise<TaskRecord | undefined>;
  /** The task's workloads by subtask index, then position. */
  listWorkloads(taskId: string): Promise<readonly WorkloadRecord[]>;
  getWorkload(workloadId: string): Promise<WorkloadRecord | undefined>;
  /** Stored iterations of a workload ordered by seq, `limit` of them from the `offset`-th. */
  readIterations(workloadId: string, offset: number, limit: number): Promise<readonly IterationRecord[]>;
  /**
   * The next `limit` stored iterations with a seq above `afterSeq`, in seq order, across every
   * runner's chunks: a cursor for reading a whole workload page by page (exports) without
   * re-ranking the chunks before each page.
   */
  readIterationsAfter(
    workloadId: string,
    afterSeq: number,
    limit: number,
  ): Promise<readonly IterationRecord[]>;
  /**
   * What `readIterationsAfter` reads, as Rally's report text of each iteration
   * (`rallyIterationJson`) with its start and seq: the JSON export's read, which an adapter can
   * serve without parsing the records it wrote (`iteration-lines.ts`).
   */
  readRallyIterationsAfter(
    workloadId: string,
    afterSeq: number,
    limit: number,
  ): Promise<readonly RallyIterationText[]>;
  listRunningTasks(): Promise<readonly RunningTask[]>;
  /** Parked messages, oldest first. */
  listParked(limit: number): Promise<readonly ParkedEvent[]>;
  /**
   * Removes the task, its workloads, iterations and applied-event ids, and leaves a tombstone so
   * its late events are ignored. False when there was no such task.
   */
  deleteTask(taskId: string, deletedAt: string): Promise<boolean>;

  /** True while the store can serve (for readiness). */
  isOpen(): boolean;
  /** Waits for the write in progress, then closes. */
  close(): Promise<void>;
}

/** Opens a store; the contract suite takes one of these. */
export type ResultStoreFactory = () => Promise<ResultStore>;
