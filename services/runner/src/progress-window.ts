/**
 * Live figures of one load for `ProgressReported`: totals since the start and, over the window
 * since the previous report, the rate, latency percentiles (exact: linear interpolation, as Rally
 * computes them), a mergeable latency histogram, per-atomic counts and histograms, and the
 * schedule lag of rate-driven runners. Per iteration it only counts; everything is assembled once
 * per window in `take`.
 */
import type { IterationRecord, LatencyHistogram } from "@paddock/shared/events";
import { histogramPercentile } from "@paddock/shared/histogram";
import type { AtomicAction } from "@paddock/shared/task-model";
import { LatencyCounts } from "./latency-counts.js";

/** One atomic action's figures over a window. */
export interface AtomicFigures {
  /** The atomic's name, nested names joined with ` > ` (`foo > bar`). */
  readonly name: string;
  /** Iterations in the window that ran it (repeats within an iteration count once, summed). */
  readonly count: number;
  readonly failed: number;
  readonly histogram: LatencyHistogram;
}

/** Schedule lag over a window, seconds; `late` counts since the start. */
export interface ScheduleLagFigures {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly late: number;
}

export interface ProgressFigures {
  readonly completed: number;
  readonly failed: number;
  /** Iterations per second over the window. */
  readonly rate: number;
  /** Seconds, over the window's iterations; zeros when none ended in it. */
  readonly latency: { p50: number; p90: number; p95: number; p99: number; max: number };
  readonly errorsByType: Record<string, number>;
  /** The window's durations, mergeable. */
  readonly histogram: LatencyHistogram;
  readonly atomics: AtomicFigures[];
  /** Rate-driven loads only (records carrying `schedule_lag`). */
  readonly scheduleLag?: ScheduleLagFigures;
  /** The window's schedule lags, mergeable (shares report it so the coordinator can merge them). */
  readonly lagHistogram?: LatencyHistogram;
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

/** A started iteration ends late when it started more than this many seconds after its intended time. */
const LATE_SECONDS = 0.001;

/** Rally processes nested atomic actions this many levels below the top one. */
const DEPTH_OF_PROCESSING = 2;

interface AtomicEntry {
  readonly name: string;
  count: number;
  failed: number;
  readonly durations: LatencyCounts;
  children: Map<string, AtomicEntry> | undefined;
}

function actionSeconds(action: AtomicAction): number {
  return action.finished_at === null ? 0 : action.finished_at - action.started_at;
}

export class ProgressWindow {
  completed = 0;
  failed = 0;
  readonly errorsByType: Record<string, number> = {};
  private durations = new Float64Array(1024);
  private count = 0;
  private windowStart: number;
  private readonly histogram = new LatencyCounts();
  private readonly atomics = new Map<string, AtomicEntry>();
  private lags: LatencyCounts | undefined;
  private lagMax = 0;
  private late = 0;

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
    this.histogram.add(record.duration);
    if (record.atomic_actions.length > 0) this.addAtomics(record.atomic_actions, this.atomics, "", 0);
    const lag = record.schedule_lag;
    if (lag !== undefined) {
      this.lags ??= new LatencyCounts();
      this.lags.add(lag);
      if (lag > this.lagMax) this.lagMax = lag;
      if (lag > LATE_SECONDS) this.late += 1;
    }
  }

  /** The figures now (`now`: monotonic milliseconds); starts a new window. */
  take(now: number): ProgressFigures {
    const window = this.durations.slice(0, this.count).sort();
    const seconds = (now - this.windowStart) / 1000;
    const atomics: AtomicFigures[] = [];
    this.takeAtomics(this.atomics, atomics);
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
      histogram: this.histogram.take(),
      atomics,
      ...this.takeLag(),
    };
    this.count = 0;
    this.windowStart = now;
    return figures;
  }

  private takeLag(): Pick<ProgressFigures, "scheduleLag" | "lagHistogram"> {
    if (this.lags === undefined) return {};
    const lagHistogram = this.lags.take();
    const scheduleLag = {
      p50: histogramPercentile(lagHistogram, 0.5),
      p99: histogramPercentile(lagHistogram, 0.99),
      max: this.lagMax,
      late: this.late,
    };
    this.lagMax = 0;
    return { scheduleLag, lagHistogram };
  }

  /** Counts one iteration's actions at one level: repeats of a name are summed and count once. */
  private addAtomics(
    actions: readonly AtomicAction[],
    level: Map<string, AtomicEntry>,
    prefix: string,
    depth: number,
  ): void {
    for (let i = 0; i < actions.length; i += 1) {
      const action = actions[i] as AtomicAction;
      let seconds = actionSeconds(action);
      let failed = action.failed === true;
      let children = action.children;
      if (actions.length > 1) {
        let repeated = false;
        for (let j = 0; j < i; j += 1) if ((actions[j] as AtomicAction).name === action.name) repeated = true;
        if (repeated) continue;
        for (let j = i + 1; j < actions.length; j += 1) {
          const other = actions[j] as AtomicAction;
          if (other.name !== action.name) continue;
          seconds += actionSeconds(other);
          failed ||= other.failed === true;
          if (other.children.length > 0) children = [...children, ...other.children];
        }
      }
      let entry = level.get(action.name);
      if (entry === undefined) {
        entry = {
          name: prefix === "" ? action.name : `${prefix} > ${action.name}`,
          count: 0,
          failed: 0,
          durations: new LatencyCounts(),
          children: undefined,
        };
        level.set(action.name, entry);
      }
      entry.count += 1;
      if (failed) entry.failed += 1;
      entry.durations.add(seconds);
      if (children.length > 0 && depth < DEPTH_OF_PROCESSING) {
        entry.children ??= new Map();
        this.addAtomics(children, entry.children, entry.name, depth + 1);
      }
    }
  }

  private takeAtomics(level: Map<string, AtomicEntry>, out: AtomicFigures[]): void {
    for (const entry of level.values()) {
      if (entry.count > 0) {
        out.push({
          name: entry.name,
          count: entry.count,
          failed: entry.failed,
          histogram: entry.durations.take(),
        });
        entry.count = 0;
        entry.failed = 0;
      }
      if (entry.children !== undefined) this.takeAtomics(entry.children, out);
    }
  }
}
