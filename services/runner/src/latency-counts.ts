/**
 * Counts of durations by `log2x16-us` bucket (`@paddock/shared/histogram`'s scheme) in a flat
 * typed array, so counting one value on the hot path is a few arithmetic operations and one
 * increment, and taking the window's histogram walks only the buckets it touched.
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
  private low = SIZE;
  private high = -1;
  /** Values counted since the last `take`. */
  size = 0;

  add(seconds: number): void {
    const index = fastBucketOf(seconds);
    this.size += 1;
    if (index < SIZE) {
      this.counts[index] = (this.counts[index] as number) + 1;
      if (index < this.low) this.low = index;
      if (index > this.high) this.high = index;
      return;
    }
    this.overflow ??= new Map();
    this.overflow.set(index, (this.overflow.get(index) ?? 0) + 1);
  }

  /** The histogram of the values counted since the last `take`; starts counting afresh. */
  take(): LatencyHistogram {
    const buckets: [number, number][] = [];
    for (let index = this.low; index <= this.high; index += 1) {
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
    this.low = SIZE;
    this.high = -1;
    this.size = 0;
    return { scheme: HISTOGRAM_SCHEME, buckets };
  }
}
