/**
 * Live figures of one workload for `ProgressReported`: totals since the start and, over the
 * window since the previous report, the rate and latency percentiles (linear interpolation,
 * as Rally computes them).
 */
import type { IterationRecord } from "@paddock/shared/events";

export interface ProgressFigures {
  readonly completed: number;
  readonly failed: number;
  /** Iterations per second over the window. */
  readonly rate: number;
  /** Seconds, over the window's iterations; zeros when none ended in it. */
  readonly latency: { p50: number; p90: number; p95: number; p99: number; max: number };
  readonly errorsByType: Record<string, number>;
}

/** Value at fraction `p` of `sorted` by linear interpolation (k = (n − 1)·p). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const k = (n - 1) * p;
  const low = Math.floor(k);
  const high = Math.ceil(k);
  const a = sorted[low] as number;
  if (low === high) return a;
  return a + (k - low) * ((sorted[high] as number) - a);
}

export class ProgressWindow {
  completed = 0;
  failed = 0;
  readonly errorsByType: Record<string, number> = {};
  private durations = new Float64Array(1024);
  private count = 0;
  private windowStart: number;

  /** `start`: monotonic milliseconds the load started at. */
  constructor(start: number) {
    this.windowStart = start;
  }

  add(record: IterationRecord): void {
    this.completed += 1;
    const type = record.error[0];
    if (type !== undefined) {
      this.failed += 1;
      this.errorsByType[type] = (this.errorsByType[type] ?? 0) + 1;
    }
    if (this.count === this.durations.length) {
      const grown = new Float64Array(this.durations.length * 2);
      grown.set(this.durations);
      this.durations = grown;
    }
    this.durations[this.count] = record.duration;
    this.count += 1;
  }

  /** The figures now (`now`: monotonic milliseconds); starts a new window. */
  take(now: number): ProgressFigures {
    const window = this.durations.slice(0, this.count).sort();
    const seconds = (now - this.windowStart) / 1000;
    const figures: ProgressFigures = {
      completed: this.completed,
      failed: this.failed,
      rate: seconds > 0 ? this.count / seconds : 0,
      latency: {
        p50: percentile(window, 0.5),
        p90: percentile(window, 0.9),
        p95: percentile(window, 0.95),
        p99: percentile(window, 0.99),
        max: window.length > 0 ? (window[window.length - 1] as number) : 0,
      },
      errorsByType: { ...this.errorsByType },
    };
    this.count = 0;
    this.windowStart = now;
    return figures;
  }
}
