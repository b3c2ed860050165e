/**
 * What every exporter reads: the tasks with their workloads, and each workload's iterations page
 * by page from the store (never all at once), in start order.
 */
import type { WorkloadStatistics } from "@paddock/shared/api";
import { TaskNotFound } from "@paddock/shared/errors";
import type { IterationRecord } from "@paddock/shared/events";
import { WorkloadFiguresCollector } from "../statistics/workload-figures.js";
import type { RallyIterationText } from "../store/iteration-lines.js";
import type { ResultStore, TaskRecord, WorkloadRecord } from "../store/result-store.js";

/** Iterations read from the store per page while exporting. */
export const EXPORT_PAGE = 1000;
/**
 * Iterations handed to an exporter at a time: small enough that the text rendered from them
 * (≈ 60 KB) stays below V8's large-object size and is collected young, keeping the service's
 * memory flat however large the export.
 */
export const EXPORT_PIECE = 100;

export interface ExportedTask {
  readonly task: TaskRecord;
  /** By subtask index, then position. */
  readonly workloads: readonly WorkloadRecord[];
}

export interface ExportSource {
  readonly tasks: readonly ExportedTask[];
  /** When the export was made. */
  readonly generatedAt: Date;
  /** The producer named in reports, e.g. `Paddock 0.1.0`. */
  readonly producer: string;
  /** The workload's stored iterations, a few at a time, ordered by start time (seq breaks ties). */
  iterations(workload: WorkloadRecord): AsyncIterable<readonly IterationRecord[]>;
  /**
   * The same iterations in the same order as Rally's report text (`rallyIterationJson`, UTF-8),
   * a few at a time joined by commas.
   */
  rallyIterations(workload: WorkloadRecord): AsyncIterable<Uint8Array>;
  /** The stored statistics, or (for a workload still running) those of the iterations stored so far. */
  statistics(workload: WorkloadRecord): Promise<WorkloadStatistics>;
}

function byStart(a: Started, b: Started): number {
  return a.timestamp - b.timestamp || a.seq - b.seq;
}

interface Started {
  readonly timestamp: number;
  readonly seq: number;
}

/** A page read in seq order, sorted by start (most pages already are), in pieces of `EXPORT_PIECE`. */
function* inStartOrder<T extends Started>(page: readonly T[]): Iterable<T[]> {
  let sorted = true;
  for (let i = 1; i < page.length && sorted; i += 1) sorted = byStart(page[i - 1] as T, page[i] as T) <= 0;
  const ordered = sorted ? page : [...page].sort(byStart);
  for (let at = 0; at < ordered.length; at += EXPORT_PIECE) yield ordered.slice(at, at + EXPORT_PIECE);
}

/** `a,b,c` of the iterations' texts, in one buffer. */
function joinedByCommas(piece: readonly RallyIterationText[]): Uint8Array {
  let size = piece.length - 1;
  for (const iteration of piece) size += iteration.json.length;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const iteration of piece) {
    if (at > 0) out[at++] = 0x2c;
    out.set(iteration.json, at);
    at += iteration.json.length;
  }
  return out;
}

/** Loads the tasks (all must exist, else `TaskNotFound` naming the first missing one). */
export async function openExportSource(
  store: ResultStore,
  taskIds: readonly string[],
  options: { readonly generatedAt: Date; readonly producer: string },
): Promise<ExportSource> {
  const tasks: ExportedTask[] = [];
  for (const id of taskIds) {
    const task = await store.getTask(id);
    if (!task) throw new TaskNotFound(id);
    tasks.push({ task, workloads: await store.listWorkloads(id) });
  }
  async function* pages<T extends Started>(
    read: (afterSeq: number) => Promise<readonly T[]>,
  ): AsyncIterable<readonly T[]> {
    let afterSeq = -1;
    for (;;) {
      const page = await read(afterSeq);
      if (page.length === 0) return;
      afterSeq = (page[page.length - 1] as T).seq;
      yield* inStartOrder(page);
      if (page.length < EXPORT_PAGE) return;
    }
  }
  function iterations(workload: WorkloadRecord): AsyncIterable<readonly IterationRecord[]> {
    return pages((afterSeq) => store.readIterationsAfter(workload.id, afterSeq, EXPORT_PAGE));
  }
  async function* rallyIterations(workload: WorkloadRecord): AsyncIterable<Uint8Array> {
    for await (const piece of pages((afterSeq) =>
      store.readRallyIterationsAfter(workload.id, afterSeq, EXPORT_PAGE),
    )) {
      yield joinedByCommas(piece);
    }
  }
  return {
    tasks,
    generatedAt: options.generatedAt,
    producer: options.producer,
    iterations,
    rallyIterations,
    async statistics(workload) {
      if (workload.statistics) return workload.statistics;
      const collector = new WorkloadFiguresCollector();
      for await (const page of iterations(workload)) for (const iteration of page) collector.add(iteration);
      return collector.finish().statistics;
    },
  };
}
