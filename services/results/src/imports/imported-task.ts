/**
 * What an importer produces from a file: Paddock task and workload records with their iterations
 * (`seq` assigned in start order). Statistics are not read from the file: the writer computes them
 * the way every other workload gets them.
 */
import type { IterationRecord } from "@paddock/shared/events";
import type { AtomicAction, IterationError, IterationOutput } from "@paddock/shared/task-model";
import type { TaskRecord, WorkloadRecord } from "../store/result-store.js";
import type { JsonAt } from "./import-reader.js";

export interface ImportedWorkload {
  /** The workload; its `statistics` are filled in when it is written. */
  readonly record: WorkloadRecord;
  /** Sorted by start time, `seq` from 0. */
  readonly iterations: readonly IterationRecord[];
}

export interface ImportedTask {
  readonly task: TaskRecord;
  readonly workloads: readonly ImportedWorkload[];
}

export interface ImportOptions {
  /** Tags added to every imported task. */
  readonly tags: readonly string[];
  /** File name the text came from, for the task's source and messages. */
  readonly fileName: string;
  /** sha256 of the imported text. */
  readonly hash: string;
  /** A fresh id, for what the file does not identify (old results have no uuids). */
  readonly newId: () => string;
}

/** An importer: recognises its format, and turns a parsed document into tasks. */
export interface Importer {
  /** True when the document looks like this format (decided on its outer shape only). */
  accepts(document: unknown): boolean;
  read(document: JsonAt, options: ImportOptions): ImportedTask[];
}

function atomicAction(at: JsonAt): AtomicAction {
  const children = at.has("children") ? at.get("children").array().map(atomicAction) : [];
  const failed = at.has("failed") ? at.get("failed").boolean() : undefined;
  return {
    name: at.get("name").string(),
    started_at: at.get("started_at").number(),
    finished_at: at.get("finished_at").numberOrNull(),
    children,
    ...(failed === undefined ? {} : { failed }),
  };
}

/** Rally's `error`: `[]` or `[type, message, traceback]` (a shorter list is padded). */
function iterationError(at: JsonAt): IterationError {
  const parts = at
    .array()
    .map((part) => (typeof part.value === "string" ? part.value : JSON.stringify(part.value)));
  if (parts.length === 0) return [];
  return [parts[0] ?? "", parts[1] ?? "", parts[2] ?? ""];
}

function iterationOutput(at: JsonAt): IterationOutput {
  if (at.value === undefined || at.value === null) return { additive: [], complete: [] };
  return {
    additive: at.has("additive")
      ? at
          .get("additive")
          .array()
          .map((item) => item.value)
      : [],
    complete: at.has("complete")
      ? at
          .get("complete")
          .array()
          .map((item) => item.value)
      : [],
  };
}

/** One iteration of either Rally format; `oldAtomics` converts the old flat `{name: seconds}`. */
export function readIteration(
  at: JsonAt,
  oldAtomics: (flat: Readonly<Record<string, unknown>>) => AtomicAction[],
): Omit<IterationRecord, "seq"> {
  const timestamp = at.get("timestamp").number();
  const atomics = at.get("atomic_actions");
  return {
    timestamp,
    duration: at.get("duration").number(),
    idle_duration: at.has("idle_duration") ? at.get("idle_duration").number() : 0,
    error: at.has("error") ? iterationError(at.get("error")) : [],
    output: iterationOutput(at.get("output")),
    atomic_actions:
      atomics.value === undefined
        ? []
        : Array.isArray(atomics.value)
          ? atomics.array().map(atomicAction)
          : oldAtomics(atomics.object()),
  };
}

/** Sorts iterations by start time (file order breaking ties) and numbers them from 0. */
export function sequence(iterations: readonly Omit<IterationRecord, "seq">[]): IterationRecord[] {
  return iterations
    .map((iteration, index) => ({ iteration, index }))
    .sort((a, b) => a.iteration.timestamp - b.iteration.timestamp || a.index - b.index)
    .map(({ iteration }, seq) => ({ seq, ...iteration }));
}

/** Shortest and longest successful duration, as Paddock records them. */
export function successfulRange(iterations: readonly IterationRecord[]): {
  min: number | null;
  max: number | null;
} {
  let min: number | null = null;
  let max: number | null = null;
  for (const iteration of iterations) {
    if (iteration.error.length > 0) continue;
    if (min === null || iteration.duration < min) min = iteration.duration;
    if (max === null || iteration.duration > max) max = iteration.duration;
  }
  return { min, max };
}

/** Rally's `%Y-%m-%dT%H:%M:%S` (UTC, no zone) → ISO-8601 with `Z`. */
export function isoOfRallyTime(at: JsonAt): string {
  const text = at.string();
  const time = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);
  if (Number.isNaN(time)) at.fail(`must be a time like 2026-11-23T22:39:22, got '${text}'`);
  return new Date(time).toISOString();
}
