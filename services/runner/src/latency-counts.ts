/**
 * Counts of durations by `log2x16-us` bucket (`@paddock/shared/histogram`'s scheme) in a flat
 * typed array, so counting one value on the hot path is a few arithmetic operations and one
 * increment; taking the window's histogram (once a second) walks the array's 448 buckets.
 */
import type { LatencyHistogram } from "@paddock/shared/events";
import { bucketOf, HISTOGRAM_SCHEME } from "@paddock/shared/histogram";

/** Buckets held in the array: every duration below 2³² µs (about 71 minutes). */
const SIZE = 16 * 28;

/** `bucketOf(seconds)`, computed with integer operations below 2³² µs. */
export function fastBucketOf(seconds: number): number {
  if (!(seconds > 0)) return 0;
  const micros = Math.floor(seconds * 1e6);
  if (micros < 32) return micros;
  if (micros >= 4_294_967_296) return bucketOf(seconds);
  const e = 27 - Math.clz32(micros);
  return 16 * (e + 1) + ((micros >>> e) - 16);
}

export class LatencyCounts {
  private readonly counts = new Uint32Array(SIZE);
  private overflow: Map<number, number> | undefined;
  /** Values counted since the last `take`. */
  size = 0;

  add(seconds: number): void {
    const index = fastBucketOf(seconds);
    this.size += 1;
    if (index < SIZE) {
      this.counts[index] = (this.counts[index] as number) + 1;
      return;
    }
    this.overflow ??= new Map();
    this.overflow.set(index, (this.overflow.get(index) ?? 0) + 1);
  }

  /** The histogram of the values counted since the last `take`; starts counting afresh. */
  take(): LatencyHistogram {
    const buckets: [number, number][] = [];
    if (this.size === 0) return { scheme: HISTOGRAM_SCHEME, buckets };
    for (let index = 0; index < SIZE; index += 1) {
      const count = this.counts[index] as number;
      if (count > 0) {
        buckets.push([index, count]);
        this.counts[index] = 0;
      }
    }
    if (this.overflow !== undefined) {
      buckets.push(...[...this.overflow.entries()].sort((a, b) => a[0] - b[0]));
      this.overflow = undefined;
    }
    this.size = 0;
    return { scheme: HISTOGRAM_SCHEME, buckets };
  }
}
