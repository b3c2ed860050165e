/**
 * The `log2x16-us` latency histogram of `ProgressReported`: log-linear buckets over whole
 * microseconds, each at most 6.25 % wide, so percentiles read from it are within 3.2 % of the
 * exact value (the bucket midpoint is returned). Histograms from several runners merge by adding
 * the counts of equal bucket indexes.
 */
import type { LatencyHistogram } from "./events.js";

export const HISTOGRAM_SCHEME = "log2x16-us" as const;

/** Bucket index of a duration in seconds (negative and non-finite values count as 0). */
export function bucketOf(seconds: number): number {
  const micros = Number.isFinite(seconds) && seconds > 0 ? Math.floor(seconds * 1e6) : 0;
  if (micros < 32) return micros;
  const e = Math.floor(Math.log2(micros)) - 4;
  return 16 * (e + 1) + (Math.floor(micros / 2 ** e) - 16);
}

/** `[lower, upper)` bounds of a bucket, in seconds. */
export function bucketBounds(index: number): [number, number] {
  if (index < 32) return [index / 1e6, (index + 1) / 1e6];
  const e = Math.floor(index / 16) - 1;
  const mantissa = (index % 16) + 16;
  return [(mantissa * 2 ** e) / 1e6, ((mantissa + 1) * 2 ** e) / 1e6];
}

/** Counts by bucket index, built up value by value and then frozen into the event's shape. */
export class HistogramBuilder {
  private readonly counts = new Map<number, number>();
  private total = 0;

  add(seconds: number): void {
    const index = bucketOf(seconds);
    this.counts.set(index, (this.counts.get(index) ?? 0) + 1);
    this.total += 1;
  }

  /** Adds every count of an already-built histogram (merging). */
  merge(histogram: LatencyHistogram): void {
    for (const [index, count] of histogram.buckets) {
      this.counts.set(index, (this.counts.get(index) ?? 0) + count);
      this.total += count;
    }
  }

  get count(): number {
    return this.total;
  }

  build(): LatencyHistogram {
    const buckets = [...this.counts.entries()].sort((a, b) => a[0] - b[0]);
    return { scheme: HISTOGRAM_SCHEME, buckets };
  }
}

/** Histograms merged into one. */
export function mergeHistograms(histograms: Iterable<LatencyHistogram>): LatencyHistogram {
  const builder = new HistogramBuilder();
  for (const histogram of histograms) builder.merge(histogram);
  return builder.build();
}

/** Number of values in a histogram. */
export function histogramCount(histogram: LatencyHistogram): number {
  return histogram.buckets.reduce((sum, [, count]) => sum + count, 0);
}

/**
 * The value at fraction `p` (0..1) of the values: the midpoint of the bucket holding the value
 * of rank ceil(p·n) (at least 1). Seconds; 0 for an empty histogram.
 */
export function histogramPercentile(histogram: LatencyHistogram, p: number): number {
  const n = histogramCount(histogram);
  if (n === 0) return 0;
  const rank = Math.max(1, Math.ceil(Math.min(1, Math.max(0, p)) * n));
  let seen = 0;
  for (const [index, count] of histogram.buckets) {
    seen += count;
    if (seen >= rank) {
      const [lower, upper] = bucketBounds(index);
      return (lower + upper) / 2;
    }
  }
  const last = histogram.buckets[histogram.buckets.length - 1] as [number, number];
  const [lower, upper] = bucketBounds(last[0]);
  return (lower + upper) / 2;
}
