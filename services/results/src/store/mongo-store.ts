/**
 * The MongoDB results store (official `mongodb` driver). Collections:
 * - `tasks` (`_id` = task id): the task's fields, `tags`/`scenarios` as arrays for the filters, a
 *   lower-cased `searchText` for free text; arbitrary JSON (args, spec, source) kept as JSON text
 *   so any key (`.` or `$` included) round-trips exactly, as in the SQLite store;
 * - `workloads` (`_id` = workload id);
 * - `iteration_chunks`: the bucket pattern — one document per chunk of at most
 *   `ITERATION_CHUNK_SIZE` records in seq order, keyed by (workload, first seq, runner), with the
 *   chunk's `seqs`, its records as JSON text and its statistics digest;
 * - `applied_events` (`_id` = event id), `parked_events` (`_id` = stream sequence),
 *   `tombstones` (`_id` = deleted task id), `pending_compactions` (`_id` = workload id).
 *
 * Every `write` is one multi-document transaction (`withTransaction`, write concern `majority`,
 * read concern `snapshot`), run one at a time. Transactions need a replica set: a standalone
 * `mongod` must run as a single-node replica set (`mongod --replSet rs0`, then `rs.initiate()`).
 */
import { describeError } from "@paddock/shared/errors";
import type { IterationRecord } from "@paddock/shared/events";
import {
  Binary,
  type ClientSession,
  type Collection,
  type Db,
  type Filter,
  MongoClient,
  type Sort,
} from "mongodb";
import { StoreUnavailable } from "../errors.js";
import {
  digestBytes,
  digestIterations,
  digestValues,
  type IterationDigest,
  replayDigest,
} from "../statistics/iteration-digest.js";
import { type WorkloadFigures, WorkloadFiguresCollector } from "../statistics/workload-figures.js";
import { type RallyIterationText, rallyIterationOfRecord } from "./iteration-lines.js";
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

/** Fields of task and workload records kept as JSON text. */
const JSON_FIELDS = new Set([
  "source",
  "args",
  "task",
  "spec",
  "slaResults",
  "contextsResults",
  "hookResults",
  "statistics",
]);
const HEAVY_TASK_FIELDS = ["args", "input", "task"] as const;
/** Fields whose change alters what free-text search sees. */
const SEARCHED_FIELDS = new Set(["title", "description", "environment", "tags", "scenarios"]);

type Stored = Record<string, unknown>;

interface TaskDocument extends Stored {
  _id: string;
  createdAt: string;
  status: string;
  searchText: string;
}

interface WorkloadDocument extends Stored {
  _id: string;
  taskId: string;
}

interface ChunkDocument {
  _id: string;
  workloadId: string;
  runnerId: string;
  firstSeq: number;
  lastSeq: number;
  taskId: string;
  recordCount: number;
  failedCount: number;
  seqs: number[];
  /** The records as JSON text, in seq order. */
  records: string;
  digestShapes: string[];
  /** The digest's numbers as little-endian float64s. */
  digest: Binary;
}

interface AppliedDocument {
  _id: string;
  taskId: string;
  appliedAt: string;
}

interface ParkedDocument {
  _id: number;
  subject: string;
  eventId: string | null;
  reason: string;
  raw: string;
  parkedAt: string;
}

interface TombstoneDocument {
  _id: string;
  deletedAt: string;
}

interface PendingCompactionDocument {
  _id: string;
  scheduledAt: string;
}

interface Collections {
  readonly tasks: Collection<TaskDocument>;
  readonly workloads: Collection<WorkloadDocument>;
  readonly chunks: Collection<ChunkDocument>;
  readonly applied: Collection<AppliedDocument>;
  readonly parked: Collection<ParkedDocument>;
  readonly tombstones: Collection<TombstoneDocument>;
  readonly pendingCompactions: Collection<PendingCompactionDocument>;
}

/** Options of `openMongoStore`. */
export interface MongoStoreOptions {
  /** Database name; default: the one in the URL's path, else `paddock`. */
  readonly database?: string | undefined;
  /** Milliseconds to find a server before giving up; default 10,000. */
  readonly serverSelectionTimeoutMs?: number | undefined;
}

function encodeFields(record: object): Stored {
  const out: Stored = {};
  for (const [key, value] of Object.entries(record)) {
    if (key === "id") continue;
    // As in the SQLite store, a field given as undefined is stored as null.
    out[key] =
      value === undefined || value === null ? null : JSON_FIELDS.has(key) ? JSON.stringify(value) : value;
  }
  return out;
}

function decodeFields<T>(document: Stored): T {
  const out: Record<string, unknown> = { id: document._id };
  for (const [key, value] of Object.entries(document)) {
    if (key === "_id" || key === "searchText") continue;
    out[key] = JSON_FIELDS.has(key) && typeof value === "string" ? JSON.parse(value) : value;
  }
  return out as T;
}

function searchText(
  task: Pick<TaskRecord, "id" | "title" | "description" | "environment" | "tags" | "scenarios">,
): string {
  return [task.id, task.title, task.description, task.environment, ...task.tags, ...task.scenarios]
    .join("\n")
    .toLowerCase();
}

/** The database named in the connection string's path, else `paddock`. */
function databaseOf(url: string): string {
  const name = /^mongodb(?:\+srv)?:\/\/[^/?]*\/([^?]+)/.exec(url)?.[1];
  return name ? decodeURIComponent(name) : "paddock";
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function chunkId(workloadId: string, firstSeq: number, runnerId: string): string {
  return JSON.stringify([workloadId, firstSeq, runnerId]);
}

function failedCount(records: readonly IterationRecord[]): number {
  return records.reduce((count, record) => count + (record.error.length > 0 ? 1 : 0), 0);
}

function digestOf(chunk: Pick<ChunkDocument, "records" | "digestShapes" | "digest">): IterationDigest {
  if (chunk.digest === undefined || chunk.digestShapes === undefined) {
    return digestIterations(JSON.parse(chunk.records) as IterationRecord[]);
  }
  return {
    shapes: chunk.digestShapes,
    values: digestValues(chunk.digest.buffer.subarray(0, chunk.digest.position)),
  };
}

/** Merges two arrays of records sorted by seq. */
function mergeBySeq(a: readonly IterationRecord[], b: readonly IterationRecord[]): IterationRecord[] {
  const out: IterationRecord[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    out.push(
      (a[i] as IterationRecord).seq <= (b[j] as IterationRecord).seq
        ? (a[i++] as IterationRecord)
        : (b[j++] as IterationRecord),
    );
  }
  while (i < a.length) out.push(a[i++] as IterationRecord);
  while (j < b.length) out.push(b[j++] as IterationRecord);
  return out;
}

const CHUNK_ORDER: Sort = { firstSeq: 1, runnerId: 1 };
const NEWEST_FIRST: Sort = { createdAt: -1, _id: -1 };

/** Creates every index the store's reads and the list filters use (idempotent). */
async function ensureIndexes(c: Collections): Promise<void> {
  await c.tasks.createIndexes([
    { key: { createdAt: -1, _id: -1 }, name: "by_created" },
    { key: { status: 1, createdAt: -1, _id: -1 }, name: "by_status" },
    { key: { tags: 1, createdAt: -1, _id: -1 }, name: "by_tag" },
    { key: { scenarios: 1, createdAt: -1, _id: -1 }, name: "by_scenario" },
    { key: { environment: 1, createdAt: -1, _id: -1 }, name: "by_environment" },
  ]);
  await c.workloads.createIndexes([
    { key: { taskId: 1, subtaskIndex: 1, position: 1, createdAt: 1, _id: 1 }, name: "by_task" },
  ]);
  await c.chunks.createIndexes([
    { key: { workloadId: 1, firstSeq: 1, runnerId: 1 }, name: "by_workload", unique: true },
    { key: { workloadId: 1, lastSeq: 1 }, name: "by_tail" },
    { key: { taskId: 1 }, name: "by_task" },
  ]);
  await c.applied.createIndexes([{ key: { taskId: 1 }, name: "by_task" }]);
}

export class MongoResultStore implements ResultStore {
  readonly #client: MongoClient;
  readonly #c: Collections;
  #queue: Promise<unknown> = Promise.resolve();
  #open = true;

  private constructor(client: MongoClient, c: Collections) {
    this.#client = client;
    this.#c = c;
  }

  /** Connects, checks the server answers and creates the indexes. */
  static async open(url: string, options: MongoStoreOptions = {}): Promise<MongoResultStore> {
    const client = new MongoClient(url, {
      ignoreUndefined: true,
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 10_000,
      writeConcern: { w: "majority" },
      readConcern: { level: "majority" },
    });
    try {
      await client.connect();
      const db: Db = client.db(options.database ?? databaseOf(url));
      const c: Collections = {
        tasks: db.collection<TaskDocument>("tasks"),
        workloads: db.collection<WorkloadDocument>("workloads"),
        chunks: db.collection<ChunkDocument>("iteration_chunks"),
        applied: db.collection<AppliedDocument>("applied_events"),
        parked: db.collection<ParkedDocument>("parked_events"),
        tombstones: db.collection<TombstoneDocument>("tombstones"),
        pendingCompactions: db.collection<PendingCompactionDocument>("pending_compactions"),
      };
      await ensureIndexes(c);
      const store = new MongoResultStore(client, c);
      for (const pending of await c.pendingCompactions.find({}).toArray()) store.#compactLater(pending._id);
      return store;
    } catch (error) {
      await client.close().catch(() => undefined);
      throw new StoreUnavailable(`Cannot open the MongoDB results store: ${describeError(error)}`, {
        cause: error,
      });
    }
  }

  isOpen(): boolean {
    return this.#open;
  }

  #ensureOpen(): void {
    if (!this.#open) throw new StoreUnavailable("The MongoDB results store is closed");
  }

  write<T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      this.#ensureOpen();
      const session = this.#client.startSession();
      let attempt: MongoTransaction | undefined;
      try {
        // withTransaction retries the whole callback on transient errors, each time on a fresh
        // transaction: the writes of an aborted attempt are discarded, so `work` starts over clean.
        const result = await session.withTransaction(
          async () => {
            const tx = new MongoTransaction(this.#c, session);
            attempt = tx;
            try {
              return await work(tx);
            } finally {
              tx.end();
            }
          },
          {
            readConcern: { level: "snapshot" },
            writeConcern: { w: "majority" },
          },
        );
        for (const workloadId of attempt?.scheduled ?? []) this.#compactLater(workloadId);
        return result;
      } finally {
        await session.endSession();
      }
    };
    const result = this.#queue.then(run, run);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  /**
   * Queues the compaction of a scheduled workload as a write of its own. Should it fail, its
   * `pending_compactions` document stays and the next open runs it again; reads are correct either way.
   */
  #compactLater(workloadId: string): void {
    this.write(async (tx) => (tx as MongoTransaction).runScheduledCompaction(workloadId)).catch(
      () => undefined,
    );
  }

  async listTasks(query: TaskQuery): Promise<TaskPage> {
    this.#ensureOpen();
    const and: Filter<TaskDocument>[] = [];
    if (query.status !== undefined) and.push({ status: query.status });
    if (query.environment !== undefined) and.push({ environment: query.environment });
    if (query.tag !== undefined) and.push({ tags: query.tag });
    if (query.scenario !== undefined) and.push({ scenarios: query.scenario });
    for (const word of (query.text ?? "").split(/\s+/).filter((w) => w.length > 0)) {
      and.push({ searchText: { $regex: escapeRegex(word.toLowerCase()) } });
    }
    if (query.createdFrom !== undefined) and.push({ createdAt: { $gte: query.createdFrom } });
    if (query.createdTo !== undefined) and.push({ createdAt: { $lt: query.createdTo } });
    if (query.after !== undefined) {
      and.push({
        $or: [
          { createdAt: { $lt: query.after.createdAt } },
          { createdAt: query.after.createdAt, _id: { $lt: query.after.id } },
        ],
      });
    }
    const projection = { searchText: 0, ...Object.fromEntries(HEAVY_TASK_FIELDS.map((key) => [key, 0])) };
    const documents = await this.#c.tasks
      .find(and.length > 0 ? { $and: and } : {}, { projection })
      .sort(NEWEST_FIRST)
      .limit(query.limit + 1)
      .toArray();
    const tasks = documents.slice(0, query.limit).map((d) => decodeFields<TaskSummaryRecord>(d));
    const last = tasks.at(-1);
    return documents.length > query.limit && last
      ? { tasks, next: { createdAt: last.createdAt, id: last.id } }
      : { tasks };
  }

  async getTask(taskId: string): Promise<TaskRecord | undefined> {
    this.#ensureOpen();
    const document = await this.#c.tasks.findOne({ _id: taskId });
    return document ? decodeFields<TaskRecord>(document) : undefined;
  }

  async listWorkloads(taskId: string): Promise<readonly WorkloadRecord[]> {
    this.#ensureOpen();
    const documents = await this.#c.workloads
      .find({ taskId })
      .sort({ subtaskIndex: 1, position: 1, createdAt: 1, _id: 1 })
      .toArray();
    return documents.map((d) => decodeFields<WorkloadRecord>(d));
  }

  async getWorkload(workloadId: string): Promise<WorkloadRecord | undefined> {
    this.#ensureOpen();
    const document = await this.#c.workloads.findOne({ _id: workloadId });
    return document ? decodeFields<WorkloadRecord>(document) : undefined;
  }

  async readIterationsAfter(
    workloadId: string,
    afterSeq: number,
    limit: number,
  ): Promise<readonly IterationRecord[]> {
    this.#ensureOpen();
    if (limit <= 0) return [];
    const chunks = this.#c.chunks;
    const window = new SeqWindow<IterationRecord>(afterSeq, limit);
    const straddling = chunks.find(
      { workloadId, lastSeq: { $gt: afterSeq }, firstSeq: { $lte: afterSeq } },
      { projection: { records: 1 } },
    );
    for await (const chunk of straddling) window.add(JSON.parse(chunk.records) as IterationRecord[]);
    // Chunks starting above the cursor, in first-seq order, until none can hold a wanted seq.
    const following = chunks.find(
      { workloadId, firstSeq: { $gt: afterSeq } },
      { projection: { firstSeq: 1, records: 1 }, sort: CHUNK_ORDER, batchSize: 4 },
    );
    try {
      for await (const chunk of following) {
        if (window.full(chunk.firstSeq)) break;
        window.add(JSON.parse(chunk.records) as IterationRecord[]);
      }
    } finally {
      await following.close();
    }
    return window.records();
  }

  /** Renders what `readIterationsAfter` reads: chunks here hold plain JSON records (see docs/decisions.md D22). */
  async readRallyIterationsAfter(
    workloadId: string,
    afterSeq: number,
    limit: number,
  ): Promise<readonly RallyIterationText[]> {
    return (await this.readIterationsAfter(workloadId, afterSeq, limit)).map(rallyIterationOfRecord);
  }

  async readIterations(
    workloadId: string,
    offset: number,
    limit: number,
  ): Promise<readonly IterationRecord[]> {
    this.#ensureOpen();
    if (limit <= 0) return [];
    const chunks = this.#c.chunks;
    const keys = await chunks
      .find(
        { workloadId },
        { projection: { _id: 1, firstSeq: 1, lastSeq: 1, recordCount: 1 }, sort: CHUNK_ORDER },
      )
      .toArray();
    const load = async (id: string): Promise<IterationRecord[]> => {
      const chunk = await chunks.findOne({ _id: id }, { projection: { records: 1 } });
      return chunk ? (JSON.parse(chunk.records) as IterationRecord[]) : [];
    };
    const disjoint = keys.every(
      (key, i) => i === 0 || key.firstSeq > (keys[i - 1] as (typeof keys)[number]).lastSeq,
    );
    if (disjoint) {
      const out: IterationRecord[] = [];
      let start = 0;
      for (const key of keys) {
        const end = start + key.recordCount;
        if (end > offset && out.length < limit) {
          const records = await load(key._id);
          const from = Math.max(0, offset - start);
          out.push(...records.slice(from, from + limit - out.length));
        }
        start = end;
        if (out.length >= limit) break;
      }
      return out;
    }
    // Chunks overlap while a concurrent workload is still arriving: rank seqs without loading records.
    const located: { seq: number; chunk: string }[] = [];
    for await (const chunk of chunks.find({ workloadId }, { projection: { _id: 1, seqs: 1 } })) {
      for (const seq of chunk.seqs) located.push({ seq, chunk: chunk._id });
    }
    located.sort((a, b) => a.seq - b.seq);
    const wanted = located.slice(offset, offset + limit);
    const bySeq = new Map<number, IterationRecord>();
    for (const id of new Set(wanted.map((entry) => entry.chunk))) {
      for (const record of await load(id)) bySeq.set(record.seq, record);
    }
    return wanted.map((entry) => bySeq.get(entry.seq) as IterationRecord);
  }

  async listRunningTasks(): Promise<readonly RunningTask[]> {
    this.#ensureOpen();
    const documents = await this.#c.tasks
      .find({ status: "running" }, { projection: { _id: 1, runnerId: 1, startedAt: 1 }, sort: { _id: 1 } })
      .toArray();
    return documents.map((d) => ({
      id: d._id,
      runnerId: (d.runnerId as string | null | undefined) ?? null,
      startedAt: (d.startedAt as string | null | undefined) ?? null,
    }));
  }

  async listParked(limit: number): Promise<readonly ParkedEvent[]> {
    this.#ensureOpen();
    const documents = await this.#c.parked.find({}).sort({ _id: 1 }).limit(limit).toArray();
    return documents.map((d) => ({
      streamSeq: d._id,
      subject: d.subject,
      eventId: d.eventId,
      reason: d.reason,
      raw: d.raw,
      parkedAt: d.parkedAt,
    }));
  }

  deleteTask(taskId: string, deletedAt: string): Promise<boolean> {
    return this.write(async (tx) => (tx as MongoTransaction).deleteTask(taskId, deletedAt));
  }

  async close(): Promise<void> {
    if (!this.#open) return;
    await this.#queue;
    this.#open = false;
    await this.#client.close();
  }
}

class MongoTransaction implements StoreTransaction {
  readonly #c: Collections;
  readonly #session: ClientSession;
  #active = true;
  /** Workloads to compact once this transaction has committed. */
  readonly scheduled = new Set<string>();

  constructor(c: Collections, session: ClientSession) {
    this.#c = c;
    this.#session = session;
  }

  end(): void {
    this.#active = false;
  }

  /** The session option of every operation, once checked that the transaction is still open. */
  get #in(): { session: ClientSession } {
    if (!this.#active) throw new Error("store transaction used after it ended");
    return { session: this.#session };
  }

  async isApplied(eventId: string): Promise<boolean> {
    return (await this.#c.applied.countDocuments({ _id: eventId }, { ...this.#in, limit: 1 })) > 0;
  }

  async markApplied(eventId: string, taskId: string, appliedAt: string): Promise<void> {
    await this.#c.applied.updateOne(
      { _id: eventId },
      { $setOnInsert: { taskId, appliedAt } },
      { ...this.#in, upsert: true },
    );
  }

  async isDeleted(taskId: string): Promise<boolean> {
    return (await this.#c.tombstones.countDocuments({ _id: taskId }, { ...this.#in, limit: 1 })) > 0;
  }

  async getTask(taskId: string): Promise<TaskRecord | undefined> {
    const document = await this.#c.tasks.findOne({ _id: taskId }, this.#in);
    return document ? decodeFields<TaskRecord>(document) : undefined;
  }

  async insertTask(task: TaskRecord): Promise<void> {
    await this.#c.tasks.insertOne(
      {
        ...encodeFields(task),
        _id: task.id,
        createdAt: task.createdAt,
        status: task.status,
        searchText: searchText(task),
      },
      this.#in,
    );
  }

  async updateTask(taskId: string, changes: TaskChanges): Promise<void> {
    const set = encodeFields(changes);
    if (Object.keys(set).length === 0) return;
    await this.#c.tasks.updateOne({ _id: taskId }, { $set: set }, this.#in);
    if (Object.keys(set).some((key) => SEARCHED_FIELDS.has(key))) {
      const task = await this.getTask(taskId);
      if (task) {
        await this.#c.tasks.updateOne({ _id: taskId }, { $set: { searchText: searchText(task) } }, this.#in);
      }
    }
  }

  async getWorkload(workloadId: string): Promise<WorkloadRecord | undefined> {
    const document = await this.#c.workloads.findOne({ _id: workloadId }, this.#in);
    return document ? decodeFields<WorkloadRecord>(document) : undefined;
  }

  async insertWorkload(workload: WorkloadRecord): Promise<void> {
    await this.#c.workloads.insertOne(
      { ...encodeFields(workload), _id: workload.id, taskId: workload.taskId },
      this.#in,
    );
  }

  async updateWorkload(workloadId: string, changes: WorkloadChanges): Promise<void> {
    const set = encodeFields(changes);
    if (Object.keys(set).length === 0) return;
    await this.#c.workloads.updateOne({ _id: workloadId }, { $set: set }, this.#in);
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
    const overlapping = this.#c.chunks.find(
      { workloadId: target.workloadId, lastSeq: { $gte: first }, firstSeq: { $lte: last } },
      { ...this.#in, projection: { seqs: 1 } },
    );
    for await (const chunk of overlapping) for (const seq of chunk.seqs) present.add(seq);
    const fresh: IterationRecord[] = [];
    for (const record of sorted) {
      if (present.has(record.seq)) continue;
      present.add(record.seq);
      fresh.push(record);
    }
    const documents: ChunkDocument[] = [];
    for (let start = 0; start < fresh.length; start += ITERATION_CHUNK_SIZE) {
      documents.push(chunkDocument(target, fresh.slice(start, start + ITERATION_CHUNK_SIZE)));
    }
    if (documents.length > 0) await this.#c.chunks.insertMany(documents, { ...this.#in, ordered: true });
    return { stored: fresh.length, failed: documents.reduce((sum, d) => sum + d.failedCount, 0) };
  }

  async scanIterations(
    workloadId: string,
    visit: (chunk: readonly IterationRecord[]) => void,
  ): Promise<void> {
    const cursor = this.#c.chunks.find(
      { workloadId },
      { ...this.#in, projection: { records: 1 }, sort: CHUNK_ORDER },
    );
    for await (const chunk of cursor) visit(JSON.parse(chunk.records) as IterationRecord[]);
  }

  async workloadFigures(workloadId: string): Promise<WorkloadFigures> {
    const collector = new WorkloadFiguresCollector();
    const cursor = this.#c.chunks.find(
      { workloadId },
      { ...this.#in, projection: { digestShapes: 1, digest: 1 }, sort: CHUNK_ORDER },
    );
    for await (const chunk of cursor) {
      const digest =
        chunk.digest === undefined || chunk.digestShapes === undefined
          ? digestOf((await this.#c.chunks.findOne({ _id: chunk._id }, this.#in)) ?? chunk)
          : digestOf(chunk);
      replayDigest(digest, collector);
    }
    return collector.finish();
  }

  async compactIterations(workloadId: string): Promise<void> {
    const chunks = this.#c.chunks;
    const runners = (await chunks.distinct("runnerId", { workloadId }, this.#in)).sort();
    for (const runnerId of runners) {
      const keys = await chunks
        .find(
          { workloadId, runnerId },
          {
            ...this.#in,
            projection: { _id: 1, firstSeq: 1, lastSeq: 1, recordCount: 1, taskId: 1 },
            sort: { firstSeq: 1 },
          },
        )
        .toArray();
      const compact = keys.every(
        (key, i) =>
          (i === 0 || key.firstSeq > (keys[i - 1] as (typeof keys)[number]).lastSeq) &&
          (i === keys.length - 1 || key.recordCount === ITERATION_CHUNK_SIZE),
      );
      if (compact || keys.length === 0) continue;
      const target = { workloadId, runnerId, taskId: (keys[0] as (typeof keys)[number]).taskId };
      // Chunks come in first-seq order, so every buffered record below the next chunk's first seq
      // is final: write it out in full chunks while reading, keeping memory to about two chunks.
      let buffer: IterationRecord[] = [];
      for (const [i, key] of keys.entries()) {
        const chunk = await chunks.findOne({ _id: key._id }, { ...this.#in, projection: { records: 1 } });
        buffer = mergeBySeq(buffer, chunk ? (JSON.parse(chunk.records) as IterationRecord[]) : []);
        await chunks.deleteOne({ _id: key._id }, this.#in);
        const bound = keys[i + 1]?.firstSeq ?? Number.POSITIVE_INFINITY;
        let final = 0;
        while (final < buffer.length && (buffer[final] as IterationRecord).seq < bound) final += 1;
        let written = 0;
        while (
          final - written >= ITERATION_CHUNK_SIZE ||
          (bound === Number.POSITIVE_INFINITY && written < final)
        ) {
          const size = Math.min(ITERATION_CHUNK_SIZE, final - written);
          await chunks.insertOne(chunkDocument(target, buffer.slice(written, written + size)), this.#in);
          written += size;
        }
        buffer = buffer.slice(written);
      }
    }
  }

  async scheduleCompaction(workloadId: string): Promise<void> {
    await this.#c.pendingCompactions.updateOne(
      { _id: workloadId },
      { $setOnInsert: { scheduledAt: new Date().toISOString() } },
      { ...this.#in, upsert: true },
    );
    this.scheduled.add(workloadId);
  }

  /** Compacts a workload scheduled earlier, if it still is pending. */
  async runScheduledCompaction(workloadId: string): Promise<void> {
    const pending = await this.#c.pendingCompactions.deleteOne({ _id: workloadId }, this.#in);
    if (pending.deletedCount > 0) await this.compactIterations(workloadId);
  }

  async park(event: ParkedEvent): Promise<void> {
    await this.#c.parked.updateOne(
      { _id: event.streamSeq },
      {
        $setOnInsert: {
          subject: event.subject,
          eventId: event.eventId,
          reason: event.reason,
          raw: event.raw,
          parkedAt: event.parkedAt,
        },
      },
      { ...this.#in, upsert: true },
    );
  }

  /** Removes the task and everything it holds; leaves a tombstone. False when there was no task. */
  async deleteTask(taskId: string, deletedAt: string): Promise<boolean> {
    const removed = await this.#c.tasks.deleteOne({ _id: taskId }, this.#in);
    if (removed.deletedCount === 0) return false;
    await this.#c.chunks.deleteMany({ taskId }, this.#in);
    await this.#c.workloads.deleteMany({ taskId }, this.#in);
    await this.#c.applied.deleteMany({ taskId }, this.#in);
    await this.#c.tombstones.updateOne(
      { _id: taskId },
      { $set: { deletedAt } },
      { ...this.#in, upsert: true },
    );
    return true;
  }
}

/** One chunk document of records sorted by seq. */
function chunkDocument(target: IterationsTarget, records: readonly IterationRecord[]): ChunkDocument {
  const firstSeq = (records[0] as IterationRecord).seq;
  const digest = digestIterations(records);
  return {
    _id: chunkId(target.workloadId, firstSeq, target.runnerId),
    workloadId: target.workloadId,
    runnerId: target.runnerId,
    firstSeq,
    lastSeq: (records.at(-1) as IterationRecord).seq,
    taskId: target.taskId,
    recordCount: records.length,
    failedCount: failedCount(records),
    seqs: records.map((record) => record.seq),
    records: JSON.stringify(records),
    digestShapes: [...digest.shapes],
    digest: new Binary(digestBytes(digest.values)),
  };
}

/** Connects to MongoDB at `url` and opens the results store there. */
export function openMongoStore(url: string, options?: MongoStoreOptions): Promise<MongoResultStore> {
  return MongoResultStore.open(url, options);
}
