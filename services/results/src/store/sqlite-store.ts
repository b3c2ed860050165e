/**
 * The embedded results store: one SQLite file (`node:sqlite`), WAL journal. Writes go through one
 * connection, one transaction at a time (queued); reads use a second connection, so a read never
 * sees a transaction that is still open. Iterations are stored as ordered chunks (see
 * `result-store.ts`).
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import { describeError } from "@paddock/shared/errors";
import type { IterationRecord } from "@paddock/shared/events";
import { StoreIncompatible, StoreUnavailable } from "../errors.js";
import {
  type DigestEntry,
  digestBytes,
  digestIterations,
  digestValues,
  type IterationDigest,
  joinDigest,
  replayDigest,
  splitDigest,
} from "../statistics/iteration-digest.js";
import { type WorkloadFigures, WorkloadFiguresCollector } from "../statistics/workload-figures.js";
import {
  chunkLines,
  chunkText,
  encodeIterationLine,
  type RallyIterationText,
  rallyIterationOfRecord,
  rallyIterationsOfChunk,
} from "./iteration-lines.js";
import {
  ITERATION_CHUNK_SIZE,
  type IterationsAppended,
  type IterationsTarget,
  type ParkedEvent,
  type ResultStore,
  type RunningTask,
  type StoreTransaction,
  type TaskChanges,
  type TaskPage,
  type TaskQuery,
  type TaskRecord,
  type TaskSummaryRecord,
  type WorkloadChanges,
  type WorkloadRecord,
} from "./result-store.js";
import { SeqWindow } from "./seq-window.js";
import { migrate } from "./sqlite-schema.js";

/** How a record field is kept in a column. */
interface Field {
  readonly column: string;
  encode(value: unknown): SQLInputValue;
  decode(value: unknown): unknown;
}

const plain = (column: string): Field => ({
  column,
  encode: (value) => (value === undefined ? null : (value as SQLInputValue)),
  decode: (value) => value,
});
const json = (column: string): Field => ({
  column,
  encode: (value) => (value === null || value === undefined ? null : JSON.stringify(value)),
  decode: (value) => (value === null ? null : JSON.parse(value as string)),
});
const flag = (column: string): Field => ({
  column,
  encode: (value) => (value ? 1 : 0),
  decode: (value) => value === 1,
});

const TASK_FIELDS = {
  title: plain("title"),
  description: plain("description"),
  tags: json("tags"),
  environment: plain("environment"),
  source: json("source"),
  args: json("args"),
  input: plain("input"),
  task: json("task"),
  status: plain("status"),
  passSla: flag("pass_sla"),
  runnerId: plain("runner_id"),
  reason: plain("reason"),
  createdAt: plain("created_at"),
  updatedAt: plain("updated_at"),
  startedAt: plain("started_at"),
  finishedAt: plain("finished_at"),
  scenarios: json("scenarios"),
  iterations: plain("iterations"),
  failedIterations: plain("failed_iterations"),
  placeholder: flag("placeholder"),
} as const satisfies Record<keyof Omit<TaskRecord, "id">, Field>;

const WORKLOAD_FIELDS = {
  subtaskIndex: plain("subtask_index"),
  position: plain("position"),
  subtaskTitle: plain("subtask_title"),
  spec: json("spec"),
  expectedIterations: plain("expected_iterations"),
  status: plain("status"),
  startTime: plain("start_time"),
  loadDuration: plain("load_duration"),
  fullDuration: plain("full_duration"),
  totalIterationCount: plain("total_iteration_count"),
  failedIterationCount: plain("failed_iteration_count"),
  storedIterationCount: plain("stored_iteration_count"),
  storedFailedCount: plain("stored_failed_count"),
  minDuration: plain("min_duration"),
  maxDuration: plain("max_duration"),
  passSla: flag("pass_sla"),
  slaResults: json("sla_results"),
  contextsResults: json("contexts_results"),
  hookResults: json("hook_results"),
  statistics: json("statistics"),
  placeholder: flag("placeholder"),
  createdAt: plain("created_at"),
  updatedAt: plain("updated_at"),
} as const satisfies Record<keyof Omit<WorkloadRecord, "id" | "taskId">, Field>;

type Row = Record<string, unknown>;

const HEAVY_TASK_FIELDS = new Set(["args", "input", "task"]);
const SUMMARY_COLUMNS = [
  "id",
  ...Object.entries(TASK_FIELDS)
    .filter(([key]) => !HEAVY_TASK_FIELDS.has(key))
    .map(([, field]) => field.column),
].join(", ");
/** Fields whose change alters what free-text search and the tag/scenario filters see. */
const SEARCHED_FIELDS = new Set(["title", "description", "environment", "tags", "scenarios"]);

function decodeFields<T>(row: Row, fields: Record<string, Field>, base: Record<string, unknown>): T {
  const record: Record<string, unknown> = { ...base };
  for (const [key, field] of Object.entries(fields)) {
    if (field.column in row) record[key] = field.decode(row[field.column]);
  }
  return record as T;
}

function taskFromRow<T extends TaskSummaryRecord>(row: Row): T {
  return decodeFields<T>(row, TASK_FIELDS, { id: row.id });
}

function workloadFromRow(row: Row): WorkloadRecord {
  return decodeFields<WorkloadRecord>(row, WORKLOAD_FIELDS, { id: row.id, taskId: row.task_id });
}

function searchText(
  task: Pick<TaskRecord, "id" | "title" | "description" | "environment" | "tags" | "scenarios">,
) {
  return [task.id, task.title, task.description, task.environment, ...task.tags, ...task.scenarios]
    .join("\n")
    .toLowerCase();
}

function likePattern(word: string): string {
  return `%${word.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

interface ChunkKey {
  readonly first_seq: number;
  readonly last_seq: number;
  readonly runner_id: string;
  readonly record_count: number;
}

/** Merges two arrays sorted by seq. */
function mergeBySeq<T extends { readonly seq: number }>(a: readonly T[], b: readonly T[]): T[] {
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    out.push((a[i] as T).seq <= (b[j] as T).seq ? (a[i++] as T) : (b[j++] as T));
  }
  while (i < a.length) out.push(a[i++] as T);
  while (j < b.length) out.push(b[j++] as T);
  return out;
}

/** `line_format` of chunks written by `iteration-lines.ts`. */
const LINE_FORMAT = 1;

/**
 * One record of a chunk as stored: its seq, its line (`encodeIterationLine`; chunks are re-cut
 * without parsing them) and its digest part.
 */
interface ChunkEntry {
  readonly seq: number;
  readonly line: string;
  readonly digest: DigestEntry;
}

/** Chunks (of `ITERATION_CHUNK_SIZE` iterations) merged per compaction step: ≈ 0.1 s of writing. */
export const COMPACTION_STEP_CHUNKS = 32;

/** A chunk as `readRallyIterationsAfter` reads it: its records as UTF-8 bytes. */
interface ChunkBytes {
  readonly seqs: string;
  readonly records: Uint8Array;
  readonly line_format: number;
}

/** A chunk's iterations as Rally's report text; only chunks written before `LINE_FORMAT` are parsed. */
function rallyIterationsOfRow(row: ChunkBytes): readonly RallyIterationText[] {
  if (row.line_format !== LINE_FORMAT) {
    const records = JSON.parse(Buffer.from(row.records).toString("utf8")) as IterationRecord[];
    return records.map(rallyIterationOfRecord);
  }
  return rallyIterationsOfChunk(JSON.parse(row.seqs) as number[], row.records);
}

class Statements {
  readonly #cache = new Map<string, StatementSync>();
  constructor(readonly db: DatabaseSync) {}
  get(sql: string): StatementSync {
    let statement = this.#cache.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.#cache.set(sql, statement);
    }
    return statement;
  }
}

export class SqliteResultStore implements ResultStore {
  readonly #file: string;
  readonly #writer: Statements;
  readonly #reader: Statements;
  #queue: Promise<unknown> = Promise.resolve();
  #open = true;

  private constructor(file: string, writer: DatabaseSync, reader: DatabaseSync) {
    this.#file = file;
    this.#writer = new Statements(writer);
    this.#reader = new Statements(reader);
  }

  /** Opens (creating when missing) the store at `file`, bringing its schema up to date. */
  static open(file: string): SqliteResultStore {
    let writer: DatabaseSync | undefined;
    let reader: DatabaseSync | undefined;
    try {
      mkdirSync(dirname(file), { recursive: true });
      writer = new DatabaseSync(file);
      writer.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 10000;");
      migrate(writer, file);
      reader = new DatabaseSync(file);
      reader.exec("PRAGMA busy_timeout = 10000; PRAGMA query_only = 1;");
      const store = new SqliteResultStore(file, writer, reader);
      const pending = writer.prepare("SELECT workload_id FROM pending_compactions").all() as {
        workload_id: string;
      }[];
      for (const row of pending) store.#compactLater(row.workload_id);
      return store;
    } catch (error) {
      reader?.close();
      writer?.close();
      if (error instanceof StoreIncompatible) throw error;
      throw new StoreUnavailable(`Cannot open the results store ${file}: ${describeError(error)}`, {
        cause: error,
      });
    }
  }

  get file(): string {
    return this.#file;
  }

  isOpen(): boolean {
    return this.#open && this.#writer.db.isOpen && this.#reader.db.isOpen;
  }

  #ensureOpen(): void {
    if (!this.#open) throw new StoreUnavailable(`The results store ${this.#file} is closed`);
  }

  write<T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      this.#ensureOpen();
      const db = this.#writer.db;
      const tx = new SqliteTransaction(this.#writer);
      db.exec("BEGIN IMMEDIATE");
      try {
        const result = await work(tx);
        tx.end();
        db.exec("COMMIT");
        for (const workloadId of tx.scheduled) this.#compactLater(workloadId);
        return result;
      } catch (error) {
        tx.end();
        if (db.isTransaction) db.exec("ROLLBACK");
        throw error;
      }
    };
    const result = this.#queue.then(run, run);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  /**
   * Queues the compaction of a scheduled workload as writes of their own, a step of at most
   * `COMPACTION_STEP_CHUNKS` chunks each, so writes queued meanwhile (ingestion of other tasks)
   * wait for one step, not for the whole workload. Should a step fail, the `pending_compactions`
   * row stays and the next open starts again; reads are correct after every step.
   */
  #compactLater(workloadId: string): void {
    this.write(async (tx) =>
      (tx as SqliteTransaction).runScheduledCompactionStep(workloadId, COMPACTION_STEP_CHUNKS),
    )
      .then((done) => {
        if (!done && this.#open) this.#compactLater(workloadId);
      })
      .catch(() => undefined);
  }

  /** Runs synchronous reads as one snapshot. */
  #read<T>(work: (statements: Statements) => T): T {
    this.#ensureOpen();
    const db = this.#reader.db;
    db.exec("BEGIN");
    try {
      return work(this.#reader);
    } finally {
      db.exec("COMMIT");
    }
  }

  async listTasks(query: TaskQuery): Promise<TaskPage> {
    const where: string[] = [];
    const params: SQLInputValue[] = [];
    if (query.status !== undefined) {
      where.push("t.status = ?");
      params.push(query.status);
    }
    if (query.environment !== undefined) {
      where.push("t.environment = ?");
      params.push(query.environment);
    }
    if (query.tag !== undefined) {
      where.push("EXISTS (SELECT 1 FROM task_tags g WHERE g.tag = ? AND g.task_id = t.id)");
      params.push(query.tag);
    }
    if (query.scenario !== undefined) {
      where.push("EXISTS (SELECT 1 FROM task_scenarios s WHERE s.scenario = ? AND s.task_id = t.id)");
      params.push(query.scenario);
    }
    for (const word of (query.text ?? "").split(/\s+/).filter((w) => w.length > 0)) {
      where.push("t.search_text LIKE ? ESCAPE '\\'");
      params.push(likePattern(word));
    }
    if (query.createdFrom !== undefined) {
      where.push("t.created_at >= ?");
      params.push(query.createdFrom);
    }
    if (query.createdTo !== undefined) {
      where.push("t.created_at < ?");
      params.push(query.createdTo);
    }
    if (query.after !== undefined) {
      where.push("(t.created_at < ? OR (t.created_at = ? AND t.id < ?))");
      params.push(query.after.createdAt, query.after.createdAt, query.after.id);
    }
    const sql = `SELECT ${SUMMARY_COLUMNS.split(", ")
      .map((c) => `t.${c}`)
      .join(", ")} FROM tasks t ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
      ORDER BY t.created_at DESC, t.id DESC LIMIT ?`;
    params.push(query.limit + 1);
    const rows = this.#read((s) => s.get(sql).all(...params) as Row[]);
    const tasks = rows.slice(0, query.limit).map((row) => taskFromRow<TaskSummaryRecord>(row));
    const last = tasks.at(-1);
    return rows.length > query.limit && last
      ? { tasks, next: { createdAt: last.createdAt, id: last.id } }
      : { tasks };
  }

  async getTask(taskId: string): Promise<TaskRecord | undefined> {
    const row = this.#read((s) => s.get("SELECT * FROM tasks WHERE id = ?").get(taskId) as Row | undefined);
    return row ? taskFromRow<TaskRecord>(row) : undefined;
  }

  async listWorkloads(taskId: string): Promise<readonly WorkloadRecord[]> {
    const rows = this.#read(
      (s) =>
        s
          .get("SELECT * FROM workloads WHERE task_id = ? ORDER BY subtask_index, position, created_at, id")
          .all(taskId) as Row[],
    );
    return rows.map(workloadFromRow);
  }

  async getWorkload(workloadId: string): Promise<WorkloadRecord | undefined> {
    const row = this.#read(
      (s) => s.get("SELECT * FROM workloads WHERE id = ?").get(workloadId) as Row | undefined,
    );
    return row ? workloadFromRow(row) : undefined;
  }

  async readIterationsAfter(
    workloadId: string,
    afterSeq: number,
    limit: number,
  ): Promise<readonly IterationRecord[]> {
    return this.#readAfter(
      workloadId,
      afterSeq,
      limit,
      "records",
      (row: { records: string }) => JSON.parse(row.records) as IterationRecord[],
    );
  }

  async readRallyIterationsAfter(
    workloadId: string,
    afterSeq: number,
    limit: number,
  ): Promise<readonly RallyIterationText[]> {
    // As bytes (a BLOB reads into a Uint8Array): Rally-first lines go out without becoming strings.
    return this.#readAfter(
      workloadId,
      afterSeq,
      limit,
      "seqs, CAST(records AS BLOB) AS records, line_format",
      rallyIterationsOfRow,
    );
  }

  /**
   * The `limit` entries with the smallest seqs above `afterSeq`: the chunks straddling the
   * cursor, then chunks in first-seq order — their keys read lazily, a chunk's `columns` loaded
   * only when it can still hold a wanted seq — decoded by `decode`.
   */
  #readAfter<Row, T extends { readonly seq: number }>(
    workloadId: string,
    afterSeq: number,
    limit: number,
    columns: string,
    decode: (row: Row) => readonly T[],
  ): T[] {
    if (limit <= 0) return [];
    return this.#read((s) => {
      const window = new SeqWindow<T>(afterSeq, limit);
      const straddling = s
        .get(
          `SELECT ${columns} FROM iteration_chunks WHERE workload_id = ? AND last_seq > ? AND first_seq <= ?`,
        )
        .all(workloadId, afterSeq, afterSeq) as unknown as Row[];
      for (const row of straddling) window.add(decode(row));
      const load = s.get(
        `SELECT ${columns} FROM iteration_chunks WHERE workload_id = ? AND first_seq = ? AND runner_id = ?`,
      );
      const following = s
        .get(
          "SELECT first_seq, runner_id FROM iteration_chunks WHERE workload_id = ? AND first_seq > ? ORDER BY first_seq",
        )
        .iterate(workloadId, afterSeq) as IterableIterator<{ first_seq: number; runner_id: string }>;
      for (const key of following) {
        if (window.full(key.first_seq)) break;
        window.add(decode(load.get(workloadId, key.first_seq, key.runner_id) as unknown as Row));
      }
      return window.records();
    });
  }

  async readIterations(
    workloadId: string,
    offset: number,
    limit: number,
  ): Promise<readonly IterationRecord[]> {
    if (limit <= 0) return [];
    return this.#read((s) => {
      const keys = s
        .get(
          "SELECT first_seq, last_seq, runner_id, record_count FROM iteration_chunks WHERE workload_id = ? ORDER BY first_seq, runner_id",
        )
        .all(workloadId) as unknown as ChunkKey[];
      const load = (key: ChunkKey): IterationRecord[] => {
        const row = s
          .get(
            "SELECT records FROM iteration_chunks WHERE workload_id = ? AND first_seq = ? AND runner_id = ?",
          )
          .get(workloadId, key.first_seq, key.runner_id) as { records: string };
        return JSON.parse(row.records) as IterationRecord[];
      };
      const disjoint = keys.every((key, i) => i === 0 || key.first_seq > (keys[i - 1] as ChunkKey).last_seq);
      if (disjoint) {
        const out: IterationRecord[] = [];
        let start = 0;
        for (const key of keys) {
          const end = start + key.record_count;
          if (end > offset && out.length < limit) {
            const records = load(key);
            out.push(
              ...records.slice(Math.max(0, offset - start), Math.max(0, offset - start) + limit - out.length),
            );
          }
          start = end;
          if (out.length >= limit) break;
        }
        return out;
      }
      // Chunks overlap while a concurrent workload is still arriving: rank seqs without loading records.
      const located: { seq: number; chunk: number }[] = [];
      keys.forEach((key, chunk) => {
        const row = s
          .get("SELECT seqs FROM iteration_chunks WHERE workload_id = ? AND first_seq = ? AND runner_id = ?")
          .get(workloadId, key.first_seq, key.runner_id) as { seqs: string };
        for (const seq of JSON.parse(row.seqs) as number[]) located.push({ seq, chunk });
      });
      located.sort((a, b) => a.seq - b.seq);
      const wanted = located.slice(offset, offset + limit);
      const bySeq = new Map<number, IterationRecord>();
      for (const chunk of new Set(wanted.map((entry) => entry.chunk))) {
        for (const record of load(keys[chunk] as ChunkKey)) bySeq.set(record.seq, record);
      }
      return wanted.map((entry) => bySeq.get(entry.seq) as IterationRecord);
    });
  }

  async listRunningTasks(): Promise<readonly RunningTask[]> {
    const rows = this.#read(
      (s) =>
        s.get("SELECT id, runner_id, started_at FROM tasks WHERE status = 'running' ORDER BY id").all() as {
          id: string;
          runner_id: string | null;
          started_at: string | null;
        }[],
    );
    return rows.map((row) => ({ id: row.id, runnerId: row.runner_id, startedAt: row.started_at }));
  }

  async listParked(limit: number): Promise<readonly ParkedEvent[]> {
    const rows = this.#read(
      (s) => s.get("SELECT * FROM parked_events ORDER BY stream_seq LIMIT ?").all(limit) as Row[],
    );
    return rows.map((row) => ({
      streamSeq: row.stream_seq as number,
      subject: row.subject as string,
      eventId: row.event_id as string | null,
      reason: row.reason as string,
      raw: row.raw as string,
      parkedAt: row.parked_at as string,
    }));
  }

  deleteTask(taskId: string, deletedAt: string): Promise<boolean> {
    return this.write(async () => {
      const s = this.#writer;
      const exists = s.get("SELECT 1 AS found FROM tasks WHERE id = ?").get(taskId) !== undefined;
      if (!exists) return false;
      for (const table of [
        "iteration_chunks",
        "workloads",
        "applied_events",
        "task_tags",
        "task_scenarios",
      ]) {
        s.get(`DELETE FROM ${table} WHERE task_id = ?`).run(taskId);
      }
      s.get("DELETE FROM tasks WHERE id = ?").run(taskId);
      s.get("INSERT OR REPLACE INTO deleted_tasks (task_id, deleted_at) VALUES (?, ?)").run(
        taskId,
        deletedAt,
      );
      return true;
    });
  }

  async close(): Promise<void> {
    if (!this.#open) return;
    await this.#queue;
    this.#open = false;
    this.#reader.db.close();
    this.#writer.db.close();
  }
}

class SqliteTransaction implements StoreTransaction {
  readonly #s: Statements;
  #active = true;
  /** Workloads to compact once this transaction has committed. */
  readonly scheduled = new Set<string>();

  constructor(statements: Statements) {
    this.#s = statements;
  }

  end(): void {
    this.#active = false;
  }

  #statement(sql: string): StatementSync {
    if (!this.#active) throw new Error("store transaction used after it ended");
    return this.#s.get(sql);
  }

  async isApplied(eventId: string): Promise<boolean> {
    return (
      this.#statement("SELECT 1 AS found FROM applied_events WHERE event_id = ?").get(eventId) !== undefined
    );
  }

  async markApplied(eventId: string, taskId: string, appliedAt: string): Promise<void> {
    this.#statement(
      "INSERT OR IGNORE INTO applied_events (event_id, task_id, applied_at) VALUES (?, ?, ?)",
    ).run(eventId, taskId, appliedAt);
  }

  async isDeleted(taskId: string): Promise<boolean> {
    return (
      this.#statement("SELECT 1 AS found FROM deleted_tasks WHERE task_id = ?").get(taskId) !== undefined
    );
  }

  #readTask(taskId: string): TaskRecord | undefined {
    const row = this.#statement("SELECT * FROM tasks WHERE id = ?").get(taskId) as Row | undefined;
    return row ? taskFromRow<TaskRecord>(row) : undefined;
  }

  async getTask(taskId: string): Promise<TaskRecord | undefined> {
    return this.#readTask(taskId);
  }

  async insertTask(task: TaskRecord): Promise<void> {
    const fields = Object.entries(TASK_FIELDS);
    const columns = ["id", ...fields.map(([, field]) => field.column), "search_text"];
    const values = [
      task.id,
      ...fields.map(([key, field]) => field.encode(task[key as keyof TaskRecord])),
      searchText(task),
    ];
    this.#statement(
      `INSERT INTO tasks (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
    ).run(...values);
    this.#indexTask(task);
  }

  async updateTask(taskId: string, changes: TaskChanges): Promise<void> {
    const keys = Object.keys(changes).filter((key) => key in TASK_FIELDS) as (keyof typeof TASK_FIELDS)[];
    if (keys.length === 0) return;
    const sql = `UPDATE tasks SET ${keys.map((key) => `${TASK_FIELDS[key].column} = ?`).join(", ")} WHERE id = ?`;
    this.#statement(sql).run(...keys.map((key) => TASK_FIELDS[key].encode(changes[key])), taskId);
    if (keys.some((key) => SEARCHED_FIELDS.has(key))) {
      const task = this.#readTask(taskId);
      if (task) {
        this.#statement("UPDATE tasks SET search_text = ? WHERE id = ?").run(searchText(task), taskId);
        this.#indexTask(task);
      }
    }
  }

  /** Keeps the tag and scenario lookup tables in step with the task. */
  #indexTask(task: TaskRecord): void {
    this.#statement("DELETE FROM task_tags WHERE task_id = ?").run(task.id);
    this.#statement("DELETE FROM task_scenarios WHERE task_id = ?").run(task.id);
    for (const tag of new Set(task.tags)) {
      this.#statement("INSERT INTO task_tags (tag, task_id) VALUES (?, ?)").run(tag, task.id);
    }
    for (const scenario of new Set(task.scenarios)) {
      this.#statement("INSERT INTO task_scenarios (scenario, task_id) VALUES (?, ?)").run(scenario, task.id);
    }
  }

  async getWorkload(workloadId: string): Promise<WorkloadRecord | undefined> {
    const row = this.#statement("SELECT * FROM workloads WHERE id = ?").get(workloadId) as Row | undefined;
    return row ? workloadFromRow(row) : undefined;
  }

  async insertWorkload(workload: WorkloadRecord): Promise<void> {
    const fields = Object.entries(WORKLOAD_FIELDS);
    const columns = ["id", "task_id", ...fields.map(([, field]) => field.column)];
    const values = [
      workload.id,
      workload.taskId,
      ...fields.map(([key, field]) => field.encode(workload[key as keyof WorkloadRecord])),
    ];
    this.#statement(
      `INSERT INTO workloads (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
    ).run(...values);
  }

  async updateWorkload(workloadId: string, changes: WorkloadChanges): Promise<void> {
    const keys = Object.keys(changes).filter(
      (key) => key in WORKLOAD_FIELDS,
    ) as (keyof typeof WORKLOAD_FIELDS)[];
    if (keys.length === 0) return;
    const sql = `UPDATE workloads SET ${keys.map((key) => `${WORKLOAD_FIELDS[key].column} = ?`).join(", ")} WHERE id = ?`;
    this.#statement(sql).run(...keys.map((key) => WORKLOAD_FIELDS[key].encode(changes[key])), workloadId);
  }

  async appendIterations(
    target: IterationsTarget,
    iterations: readonly IterationRecord[],
  ): Promise<IterationsAppended> {
    if (iterations.length === 0) return { stored: 0, failed: 0 };
    const sorted = [...iterations].sort((a, b) => a.seq - b.seq);
    const first = (sorted[0] as IterationRecord).seq;
    const last = (sorted.at(-1) as IterationRecord).seq;
    const present = new Set<number>();
    const overlapping = this.#statement(
      "SELECT seqs FROM iteration_chunks INDEXED BY iteration_chunks_by_tail WHERE workload_id = ? AND last_seq >= ? AND first_seq <= ?",
    ).all(target.workloadId, first, last) as { seqs: string }[];
    for (const row of overlapping) for (const seq of JSON.parse(row.seqs) as number[]) present.add(seq);
    const fresh: IterationRecord[] = [];
    for (const record of sorted) {
      if (present.has(record.seq)) continue;
      present.add(record.seq);
      fresh.push(record);
    }
    let failed = 0;
    for (let start = 0; start < fresh.length; start += ITERATION_CHUNK_SIZE) {
      failed += this.#insertChunk(target, fresh.slice(start, start + ITERATION_CHUNK_SIZE));
    }
    return { stored: fresh.length, failed };
  }

  /** Inserts one chunk of records sorted by seq; returns how many of them failed. */
  #insertChunk(target: IterationsTarget, records: readonly IterationRecord[]): number {
    const entries = splitDigest(digestIterations(records));
    return this.#insertEntries(
      target,
      records.map((record, i) => ({
        seq: record.seq,
        line: encodeIterationLine(record),
        digest: entries[i] as DigestEntry,
      })),
    );
  }

  /** Inserts one chunk of encoded records sorted by seq; returns how many of them failed. */
  #insertEntries(target: IterationsTarget, entries: readonly ChunkEntry[]): number {
    const failed = entries.reduce((count, entry) => count + (entry.digest.values[4] === 1 ? 1 : 0), 0);
    const digest = joinDigest(entries.map((entry) => entry.digest));
    this.#statement(
      `INSERT INTO iteration_chunks (workload_id, runner_id, first_seq, last_seq, task_id, record_count, failed_count, seqs, records, digest_shapes, digest, line_format)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      target.workloadId,
      target.runnerId,
      (entries[0] as ChunkEntry).seq,
      (entries.at(-1) as ChunkEntry).seq,
      target.taskId,
      entries.length,
      failed,
      JSON.stringify(entries.map((entry) => entry.seq)),
      chunkText(entries.map((entry) => entry.line)),
      JSON.stringify(digest.shapes),
      digestBytes(digest.values),
      LINE_FORMAT,
    );
    return failed;
  }

  /** A stored chunk as entries to write again; only chunks written before `LINE_FORMAT` are parsed. */
  #loadEntries(workloadId: string, key: ChunkKey): ChunkEntry[] {
    const row = this.#statement(
      "SELECT seqs, records, digest_shapes, digest, line_format FROM iteration_chunks WHERE workload_id = ? AND first_seq = ? AND runner_id = ?",
    ).get(workloadId, key.first_seq, key.runner_id) as {
      seqs: string;
      records: string;
      digest_shapes: string | null;
      digest: Uint8Array | null;
      line_format: number;
    };
    const seqs = JSON.parse(row.seqs) as number[];
    if (row.line_format !== LINE_FORMAT || row.digest_shapes === null || row.digest === null) {
      const records = JSON.parse(row.records) as IterationRecord[];
      const digests = splitDigest(digestIterations(records));
      return records.map((record, i) => ({
        seq: record.seq,
        line: encodeIterationLine(record),
        digest: digests[i] as DigestEntry,
      }));
    }
    const lines = chunkLines(row.records);
    const digests = splitDigest({
      shapes: JSON.parse(row.digest_shapes) as string[],
      values: digestValues(row.digest),
    });
    if (lines.length !== seqs.length || digests.length !== seqs.length) {
      throw new Error(
        `iteration chunk (${workloadId}, ${key.first_seq}, ${key.runner_id}) holds ${seqs.length} seqs, ${lines.length} records and ${digests.length} digests`,
      );
    }
    return seqs.map((seq, i) => ({ seq, line: lines[i] as string, digest: digests[i] as DigestEntry }));
  }

  async scanIterations(
    workloadId: string,
    visit: (chunk: readonly IterationRecord[]) => void,
  ): Promise<void> {
    const keys = this.#chunkKeys(workloadId);
    for (const key of keys) visit(this.#loadChunk(workloadId, key));
  }

  async workloadFigures(workloadId: string): Promise<WorkloadFigures> {
    const collector = new WorkloadFiguresCollector();
    const rows = this.#statement(
      "SELECT first_seq, runner_id, digest_shapes, digest FROM iteration_chunks WHERE workload_id = ? ORDER BY first_seq, runner_id",
    ).iterate(workloadId) as Iterable<{
      first_seq: number;
      runner_id: string;
      digest_shapes: string | null;
      digest: Uint8Array | null;
    }>;
    for (const row of rows) {
      const digest: IterationDigest =
        row.digest_shapes === null || row.digest === null
          ? digestIterations(
              this.#loadChunk(workloadId, {
                first_seq: row.first_seq,
                runner_id: row.runner_id,
                last_seq: 0,
                record_count: 0,
              }),
            )
          : { shapes: JSON.parse(row.digest_shapes) as string[], values: digestValues(row.digest) };
      replayDigest(digest, collector);
    }
    return collector.finish();
  }

  #chunkKeys(workloadId: string, runnerId?: string): ChunkKey[] {
    return (runnerId === undefined
      ? this.#statement(
          "SELECT first_seq, last_seq, runner_id, record_count FROM iteration_chunks WHERE workload_id = ? ORDER BY first_seq, runner_id",
        ).all(workloadId)
      : this.#statement(
          "SELECT first_seq, last_seq, runner_id, record_count FROM iteration_chunks WHERE workload_id = ? AND runner_id = ? ORDER BY first_seq",
        ).all(workloadId, runnerId)) as unknown as ChunkKey[];
  }

  #loadChunk(workloadId: string, key: ChunkKey): IterationRecord[] {
    const row = this.#statement(
      "SELECT records FROM iteration_chunks WHERE workload_id = ? AND first_seq = ? AND runner_id = ?",
    ).get(workloadId, key.first_seq, key.runner_id) as { records: string };
    return JSON.parse(row.records) as IterationRecord[];
  }

  async compactIterations(workloadId: string): Promise<void> {
    while (!this.compactStep(workloadId, Number.POSITIVE_INFINITY));
  }

  /**
   * One step of a workload's compaction: per runner, past the prefix of chunks already full and
   * disjoint, merges up to `maxChunks` chunks in seq order and writes back full chunks; what is
   * left over is written back as chunks too, so the store is complete and readable after every
   * step. True when every runner's chunks are compact.
   */
  compactStep(workloadId: string, maxChunks: number): boolean {
    const runners = this.#statement(
      "SELECT DISTINCT runner_id, task_id FROM iteration_chunks WHERE workload_id = ? ORDER BY runner_id",
    ).all(workloadId) as { runner_id: string; task_id: string }[];
    let done = true;
    let budget = maxChunks;
    for (const { runner_id: runnerId, task_id: taskId } of runners) {
      if (budget <= 0) return false;
      const keys = this.#chunkKeys(workloadId, runnerId);
      let from = 0;
      while (
        from < keys.length - 1 &&
        (keys[from] as ChunkKey).record_count === ITERATION_CHUNK_SIZE &&
        (keys[from] as ChunkKey).last_seq < (keys[from + 1] as ChunkKey).first_seq
      ) {
        from += 1;
      }
      if (from >= keys.length - 1) continue;
      // At least two chunks per step, so every step makes progress.
      const until = Math.min(keys.length, from + Math.max(2, budget));
      budget -= until - from;
      if (until < keys.length) done = false;
      const target = { workloadId, runnerId, taskId };
      // Chunks come in first-seq order, so every buffered record below the next chunk's first seq
      // is final: write it out in full chunks while reading, keeping memory to about two chunks.
      let buffer: ChunkEntry[] = [];
      for (let i = from; i < until; i += 1) {
        const key = keys[i] as ChunkKey;
        buffer = mergeBySeq(buffer, this.#loadEntries(workloadId, key));
        this.#statement(
          "DELETE FROM iteration_chunks WHERE workload_id = ? AND first_seq = ? AND runner_id = ?",
        ).run(workloadId, key.first_seq, runnerId);
        const bound = keys[i + 1]?.first_seq ?? Number.POSITIVE_INFINITY;
        const last = i === until - 1;
        let final = 0;
        while (final < buffer.length && (buffer[final] as ChunkEntry).seq < bound) final += 1;
        let written = 0;
        while (
          final - written >= ITERATION_CHUNK_SIZE ||
          ((last || bound === Number.POSITIVE_INFINITY) && written < final)
        ) {
          const size = Math.min(ITERATION_CHUNK_SIZE, final - written);
          this.#insertEntries(target, buffer.slice(written, written + size));
          written += size;
        }
        buffer = buffer.slice(written);
      }
      // Records at or above the next unread chunk's first seq: back as chunks, merged next step.
      for (let written = 0; written < buffer.length; written += ITERATION_CHUNK_SIZE) {
        this.#insertEntries(target, buffer.slice(written, written + ITERATION_CHUNK_SIZE));
      }
    }
    return done;
  }

  async scheduleCompaction(workloadId: string): Promise<void> {
    this.#statement("INSERT OR IGNORE INTO pending_compactions (workload_id) VALUES (?)").run(workloadId);
    this.scheduled.add(workloadId);
  }

  /**
   * One step of a workload's scheduled compaction, if it still is pending; the pending mark goes
   * with the last step. True when there is nothing more to do.
   */
  runScheduledCompactionStep(workloadId: string, maxChunks: number): boolean {
    const pending = this.#statement("SELECT 1 AS found FROM pending_compactions WHERE workload_id = ?").get(
      workloadId,
    );
    if (pending === undefined) return true;
    if (!this.compactStep(workloadId, maxChunks)) return false;
    this.#statement("DELETE FROM pending_compactions WHERE workload_id = ?").run(workloadId);
    return true;
  }

  async park(event: ParkedEvent): Promise<void> {
    this.#statement(
      "INSERT OR IGNORE INTO parked_events (stream_seq, subject, event_id, reason, raw, parked_at) VALUES (?, ?, ?, ?, ?, ?)",
    ).run(event.streamSeq, event.subject, event.eventId, event.reason, event.raw, event.parkedAt);
  }
}

/** Opens the embedded store at `file` (created with its folder when missing). */
export function openSqliteStore(file: string): SqliteResultStore {
  return SqliteResultStore.open(file);
}
