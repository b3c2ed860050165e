/**
 * What the HTML report draws of one workload, gathered from its iterations a page at a time in
 * bounded memory: every series has at most `MAX_POINTS` points however many iterations ran. The
 * exact figures (percentiles, averages) come from the stored statistics, never from here.
 */
import type { IterationRecord } from "@paddock/shared/events";
import type { AtomicAction } from "@paddock/shared/task-model";

/** Most points of any chart series. */
export const MAX_POINTS = 2000;
/** Bars of the duration histogram. */
export const HISTOGRAM_BINS = 40;
/** Atomic actions charted per workload (the first seen); the statistics table lists them all. */
export const MAX_ATOMIC_SERIES = 12;
/** Failed iterations listed with their traceback; the rest are counted by error type. */
export const MAX_LISTED_FAILURES = 50;

/** A failed iteration as listed in the report. */
export interface ListedFailure {
  readonly seq: number;
  /** Start, epoch seconds. */
  readonly timestamp: number;
  readonly type: string;
  readonly message: string;
  readonly traceback: string;
}

/** One averaged point per bucket of consecutive iterations (in start order). */
export interface IterationBucketSeries {
  /** 1-based number of the bucket's last iteration. */
  readonly x: readonly number[];
  /** Mean seconds over the bucket (null when no iteration of the bucket had the value). */
  readonly mean: readonly (number | null)[];
  /** Largest seconds over the bucket. */
  readonly max: readonly (number | null)[];
}

export interface WorkloadDigest {
  readonly iterations: number;
  readonly failed: number;
  /** Iterations per duration bucket; `null` when there was no iteration. */
  readonly histogram: {
    readonly from: number;
    readonly width: number;
    readonly counts: readonly number[];
  } | null;
  /** Iterations in flight over time: seconds since the first start → mean concurrency. */
  readonly loadProfile: { readonly x: readonly number[]; readonly y: readonly number[] };
  readonly durations: IterationBucketSeries;
  /** Per atomic action (nested ones named `parent > child`, repeats in one iteration summed). */
  readonly atomics: readonly { readonly name: string; readonly series: IterationBucketSeries }[];
  readonly failures: readonly ListedFailure[];
  /** Failed iterations by error type, most frequent first. */
  readonly errorTypes: readonly { readonly type: string; readonly count: number }[];
}

export interface DigestBounds {
  /** Iterations expected (those stored); decides the bucket size of per-iteration series. */
  readonly iterations: number;
  /** Epoch seconds of the first start. */
  readonly start: number;
  /** Seconds from the first start to the last end (duration + idle). */
  readonly span: number;
  /** Shortest and longest iteration duration, seconds. */
  readonly minDuration: number;
  readonly maxDuration: number;
}

class BucketSeries {
  private readonly sum: Float64Array;
  private readonly count: Uint32Array;
  private readonly maxima: Float64Array;
  private readonly last: Float64Array;
  constructor(
    private readonly buckets: number,
    private readonly perBucket: number,
  ) {
    this.sum = new Float64Array(buckets);
    this.count = new Uint32Array(buckets);
    this.maxima = new Float64Array(buckets).fill(Number.NEGATIVE_INFINITY);
    this.last = new Float64Array(buckets);
  }
  add(index: number, value: number): void {
    const bucket = Math.min(this.buckets - 1, Math.floor(index / this.perBucket));
    this.sum[bucket] = (this.sum[bucket] ?? 0) + value;
    this.count[bucket] = (this.count[bucket] ?? 0) + 1;
    if (value > (this.maxima[bucket] ?? 0)) this.maxima[bucket] = value;
    this.last[bucket] = Math.max(this.last[bucket] ?? 0, index + 1);
  }
  finish(): IterationBucketSeries {
    const x: number[] = [];
    const mean: (number | null)[] = [];
    const max: (number | null)[] = [];
    for (let bucket = 0; bucket < this.buckets; bucket++) {
      const count = this.count[bucket] ?? 0;
      if (count === 0) continue;
      x.push(this.last[bucket] ?? 0);
      mean.push((this.sum[bucket] ?? 0) / count);
      max.push(this.maxima[bucket] ?? 0);
    }
    return { x, mean, max };
  }
}

function atomicSeconds(actions: readonly AtomicAction[], prefix: string, into: Map<string, number>): void {
  for (const action of actions) {
    const name = `${prefix}${action.name}`;
    if (action.finished_at !== null)
      into.set(name, (into.get(name) ?? 0) + (action.finished_at - action.started_at));
    atomicSeconds(action.children, `${name} > `, into);
  }
}

/** Collects one workload's chart data; feed iterations in start order, then `finish()`. */
export class WorkloadDigestCollector {
  private index = 0;
  private failed = 0;
  private readonly buckets: number;
  private readonly perBucket: number;
  private readonly durations: BucketSeries;
  private readonly atomics = new Map<string, BucketSeries>();
  private readonly histogram: Uint32Array;
  private readonly histogramWidth: number;
  /** Busy seconds per time bin, partial overlaps. */
  private readonly busy: Float64Array;
  /** Difference array of bins fully covered by an iteration. */
  private readonly covered: Float64Array;
  private readonly binWidth: number;
  private readonly failures: ListedFailure[] = [];
  private readonly errorTypes = new Map<string, number>();

  constructor(private readonly bounds: DigestBounds) {
    this.buckets = Math.max(1, Math.min(MAX_POINTS, bounds.iterations));
    this.perBucket = Math.max(1, Math.ceil(bounds.iterations / this.buckets));
    this.durations = new BucketSeries(this.buckets, this.perBucket);
    this.histogram = new Uint32Array(HISTOGRAM_BINS);
    const range = bounds.maxDuration - bounds.minDuration;
    this.histogramWidth = range > 0 ? range / HISTOGRAM_BINS : 1;
    const bins = Math.min(MAX_POINTS, Math.max(1, bounds.iterations * 2));
    this.busy = new Float64Array(bins);
    this.covered = new Float64Array(bins + 1);
    this.binWidth = bounds.span > 0 ? bounds.span / bins : 1;
  }

  add(iteration: IterationRecord): void {
    const index = this.index++;
    this.durations.add(index, iteration.duration);
    const bin = Math.floor((iteration.duration - this.bounds.minDuration) / this.histogramWidth);
    const slot = Math.max(0, Math.min(HISTOGRAM_BINS - 1, bin));
    this.histogram[slot] = (this.histogram[slot] ?? 0) + 1;
    this.addLoad(iteration.timestamp, iteration.timestamp + iteration.duration + iteration.idle_duration);

    const seconds = new Map<string, number>();
    atomicSeconds(iteration.atomic_actions, "", seconds);
    for (const [name, value] of seconds) {
      let series = this.atomics.get(name);
      if (!series) {
        if (this.atomics.size >= MAX_ATOMIC_SERIES) continue;
        series = new BucketSeries(this.buckets, this.perBucket);
        this.atomics.set(name, series);
      }
      series.add(index, value);
    }

    if (iteration.error.length > 0) {
      const [type = "", message = "", traceback = ""] = iteration.error;
      this.failed++;
      this.errorTypes.set(type, (this.errorTypes.get(type) ?? 0) + 1);
      if (this.failures.length < MAX_LISTED_FAILURES) {
        this.failures.push({ seq: iteration.seq, timestamp: iteration.timestamp, type, message, traceback });
      }
    }
  }

  /** Adds the iteration's overlap with every time bin in O(1): partial ends directly, full bins by difference. */
  private addLoad(start: number, end: number): void {
    const bins = this.busy.length;
    const from = Math.max(0, (start - this.bounds.start) / this.binWidth);
    const to = Math.min(bins, (end - this.bounds.start) / this.binWidth);
    if (to <= from) return;
    const first = Math.min(bins - 1, Math.floor(from));
    const last = Math.min(bins - 1, Math.floor(to));
    if (first === last) {
      this.busy[first] = (this.busy[first] ?? 0) + (to - from);
      return;
    }
    this.busy[first] = (this.busy[first] ?? 0) + (first + 1 - from);
    this.busy[last] = (this.busy[last] ?? 0) + (to - last);
    this.covered[first + 1] = (this.covered[first + 1] ?? 0) + 1;
    this.covered[last] = (this.covered[last] ?? 0) - 1;
  }

  finish(): WorkloadDigest {
    const x: number[] = [];
    const y: number[] = [];
    let running = 0;
    for (let bin = 0; bin < this.busy.length; bin++) {
      running += this.covered[bin] ?? 0;
      x.push((bin + 0.5) * this.binWidth);
      y.push(running + (this.busy[bin] ?? 0));
    }
    return {
      iterations: this.index,
      failed: this.failed,
      histogram:
        this.index === 0
          ? null
          : { from: this.bounds.minDuration, width: this.histogramWidth, counts: [...this.histogram] },
      loadProfile: this.index === 0 ? { x: [], y: [] } : { x, y },
      durations: this.durations.finish(),
      atomics: [...this.atomics].map(([name, series]) => ({ name, series: series.finish() })),
      failures: this.failures,
      errorTypes: [...this.errorTypes]
        .map(([type, count]) => ({ type, count }))
        .sort((a, b) => b.count - a.count || a.type.localeCompare(b.type)),
    };
  }
}
