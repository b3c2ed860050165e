/**
 * A chunk's iterations reduced to what the statistics need, in a form that reads back without
 * parsing the records: the distinct atomic-action shapes of the chunk (names, repeat counts and
 * nesting, as JSON text) and one flat run of numbers per iteration. Stores write it beside each
 * chunk, so the statistics of a million iterations read a few tens of megabytes of numbers
 * instead of parsing every record (outputs, tracebacks and all).
 *
 * Numbers per iteration, in order: timestamp, seq, duration, idle duration, failed (1/0), shape
 * index, then for each action of the shape in pre-order its merged duration and failed flag.
 */
import type { IterationSummary } from "./duration-statistics.js";
import { type MergedAtomic, mergeAtomicActions } from "./merge-atomic-actions.js";
import type { TimedIteration } from "./workload-figures.js";

/** The digest of one chunk of iterations. */
export interface IterationDigest {
  /** Distinct shapes, each the JSON text of a `ShapeNode[]`. */
  readonly shapes: readonly string[];
  /** The numbers of every iteration, one after the other (seconds, epoch seconds, flags). */
  readonly values: Float64Array;
}

/** One merged atomic action of a shape: name, repeats within the iteration, children. */
type ShapeNode = [name: string, count: number, children: ShapeNode[]];

/**
 * Receives the iterations of a digest; `WorkloadFiguresCollector` is one. The summary's actions
 * are reused for the next iteration of the same shape: read them during the call, never keep them.
 */
export interface DigestSink {
  addSummary(summary: IterationSummary, timestamp: number, seq: number): void;
}

const FIXED_VALUES = 6;

function shapeOf(atomics: Map<string, MergedAtomic>): ShapeNode[] {
  return [...atomics].map(([name, merged]) => [name, merged.count, shapeOf(merged.children)]);
}

function pushValues(atomics: Map<string, MergedAtomic>, out: number[]): void {
  for (const merged of atomics.values()) {
    out.push(merged.duration, merged.failed ? 1 : 0);
    pushValues(merged.children, out);
  }
}

/** The digest of `iterations`, in their order. */
export function digestIterations(iterations: readonly TimedIteration[]): IterationDigest {
  const shapes: string[] = [];
  const shapeIndex = new Map<string, number>();
  const values: number[] = [];
  for (const iteration of iterations) {
    const atomics = mergeAtomicActions(iteration.atomic_actions);
    const shape = JSON.stringify(shapeOf(atomics));
    let index = shapeIndex.get(shape);
    if (index === undefined) {
      index = shapes.length;
      shapes.push(shape);
      shapeIndex.set(shape, index);
    }
    values.push(
      iteration.timestamp,
      iteration.seq,
      iteration.duration,
      iteration.idle_duration,
      iteration.error.length > 0 ? 1 : 0,
      index,
    );
    pushValues(atomics, values);
  }
  return { shapes, values: Float64Array.from(values) };
}

/** The merged actions of a shape, with room for one iteration's values. */
function template(shape: readonly ShapeNode[]): Map<string, MergedAtomic> {
  return new Map(
    shape.map(([name, count, children]) => [
      name,
      { duration: 0, count, failed: false, children: template(children) },
    ]),
  );
}

/** Fills a shape's template with one iteration's values; returns the next value index. */
function fill(atomics: Map<string, MergedAtomic>, values: Float64Array, start: number): number {
  let at = start;
  for (const merged of atomics.values()) {
    merged.duration = values[at] as number;
    merged.failed = values[at + 1] === 1;
    at = fill(merged.children, values, at + 2);
  }
  return at;
}

/** Feeds every iteration of `digest` to `sink`. */
export function replayDigest(digest: IterationDigest, sink: DigestSink): void {
  const templates = digest.shapes.map((text) => template(JSON.parse(text) as ShapeNode[]));
  const values = digest.values;
  let at = 0;
  while (at < values.length) {
    const atomics = templates[values[at + 5] as number];
    if (atomics === undefined) {
      throw new Error(`iteration digest names shape ${values[at + 5]}, which it does not hold`);
    }
    const next = fill(atomics, values, at + FIXED_VALUES);
    sink.addSummary(
      {
        duration: values[at + 2] as number,
        idleDuration: values[at + 3] as number,
        failed: values[at + 4] === 1,
        atomics,
      },
      values[at] as number,
      values[at + 1] as number,
    );
    at = next;
  }
}

/** The digest's numbers as bytes (for a BLOB or BSON binary column). */
export function digestBytes(values: Float64Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

/** Numbers from bytes written by `digestBytes`. */
export function digestValues(bytes: Uint8Array): Float64Array {
  if (bytes.byteLength % 8 !== 0)
    throw new Error(`iteration digest of ${bytes.byteLength} bytes is not a run of 8-byte numbers`);
  const aligned = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
  return new Float64Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 8);
}

/** One iteration's part of a digest: its shape (JSON text) and its numbers. */
export interface DigestEntry {
  readonly shape: string;
  readonly values: Float64Array;
}

function countNodes(shape: readonly ShapeNode[]): number {
  return shape.reduce((sum, [, , children]) => sum + 1 + countNodes(children), 0);
}

/** Splits a digest into its iterations, in order (the numbers are views, not copies). */
export function splitDigest(digest: IterationDigest): DigestEntry[] {
  const sizes = digest.shapes.map((text) => FIXED_VALUES + 2 * countNodes(JSON.parse(text) as ShapeNode[]));
  const entries: DigestEntry[] = [];
  const values = digest.values;
  let at = 0;
  while (at < values.length) {
    const index = values[at + 5] as number;
    const shape = digest.shapes[index];
    const size = sizes[index];
    if (shape === undefined || size === undefined) {
      throw new Error(`iteration digest names shape ${index}, which it does not hold`);
    }
    entries.push({ shape, values: values.subarray(at, at + size) });
    at += size;
  }
  return entries;
}

/** The digest of iterations given as entries (from `splitDigest`), in their order. */
export function joinDigest(entries: readonly DigestEntry[]): IterationDigest {
  const shapes: string[] = [];
  const shapeIndex = new Map<string, number>();
  const values = new Float64Array(entries.reduce((sum, entry) => sum + entry.values.length, 0));
  let at = 0;
  for (const entry of entries) {
    let index = shapeIndex.get(entry.shape);
    if (index === undefined) {
      index = shapes.length;
      shapes.push(entry.shape);
      shapeIndex.set(entry.shape, index);
    }
    values.set(entry.values, at);
    values[at + 5] = index;
    at += entry.values.length;
  }
  return { shapes, values };
}
