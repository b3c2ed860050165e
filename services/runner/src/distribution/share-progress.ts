/**
 * The live figures of a distributed workload: the coordinator merges its shares' latest windows
 * into one `ProgressReported` — counts, rates and errors summed, latency and schedule-lag
 * histograms merged bucket by bucket (percentiles read from the merged histogram), per-atomic
 * figures merged by name — and lists each share's own figures in `shares`.
 */
import type { EventDataOf, LatencyHistogram } from "@paddock/shared/events";
import { histogramPercentile, mergeHistograms } from "@paddock/shared/histogram";
import type { ShareFigures } from "./share-protocol.js";

/** Where a share stands, as the coordinator sees it. */
export type ShareState = "assigned" | "running" | "finished" | "lost";

/** One share's contribution to a merged report. */
export interface ShareView {
  readonly runnerId: string;
  readonly state: ShareState;
  /** The windows it reported since the coordinator's previous report, oldest first (none: empty). */
  readonly windows: readonly ShareFigures[];
  /** Totals so far (all iterations ended, failed included). */
  readonly completed: number;
  readonly failed: number;
  readonly inFlight: number;
  /** Errors so far by type. */
  readonly errorsByType: Readonly<Record<string, number>>;
  /** Iterations started late so far (rate-driven runners). */
  readonly late: number;
}

type Progress = EventDataOf<"ProgressReported">;

/** The merged part of a `ProgressReported` (the caller adds workload, runner, expected, elapsed, SLA). */
export type MergedProgress = Pick<
  Progress,
  | "completed"
  | "failed"
  | "inFlight"
  | "rate"
  | "latency"
  | "errorsByType"
  | "histogram"
  | "atomics"
  | "scheduleLag"
  | "shares"
>;

function sumInto(into: Record<string, number>, from: Readonly<Record<string, number>>): void {
  for (const [key, count] of Object.entries(from)) into[key] = (into[key] ?? 0) + count;
}

export function mergeProgress(views: readonly ShareView[]): MergedProgress {
  const windows = views.flatMap((view) => view.windows);
  const histogram = mergeHistograms(windows.map((window) => window.histogram));
  const errorsByType: Record<string, number> = {};
  for (const view of views) sumInto(errorsByType, view.errorsByType);

  const atomics = new Map<string, { count: number; failed: number; histograms: LatencyHistogram[] }>();
  for (const window of windows) {
    for (const atomic of window.atomics) {
      const merged = atomics.get(atomic.name) ?? { count: 0, failed: 0, histograms: [] };
      merged.count += atomic.count;
      merged.failed += atomic.failed;
      merged.histograms.push(atomic.histogram);
      atomics.set(atomic.name, merged);
    }
  }

  const lagWindows = windows.flatMap((window) => (window.lagHistogram === undefined ? [] : [window]));
  const rateDriven = lagWindows.length > 0 || views.some((view) => view.late > 0);
  const lagHistogram = mergeHistograms(lagWindows.map((window) => window.lagHistogram as LatencyHistogram));

  const running = (view: ShareView) => view.state === "running" || view.state === "assigned";
  return {
    completed: views.reduce((sum, view) => sum + view.completed, 0),
    failed: views.reduce((sum, view) => sum + view.failed, 0),
    inFlight: views.reduce((sum, view) => sum + (running(view) ? view.inFlight : 0), 0),
    rate: views.reduce((sum, view) => sum + (view.windows.at(-1)?.rate ?? 0), 0),
    latency: {
      p50: histogramPercentile(histogram, 0.5),
      p90: histogramPercentile(histogram, 0.9),
      p95: histogramPercentile(histogram, 0.95),
      p99: histogramPercentile(histogram, 0.99),
      max: windows.reduce((max, window) => Math.max(max, window.max), 0),
    },
    errorsByType,
    histogram,
    atomics: [...atomics.entries()].map(([name, merged]) => ({
      name,
      count: merged.count,
      failed: merged.failed,
      histogram: mergeHistograms(merged.histograms),
    })),
    ...(rateDriven
      ? {
          scheduleLag: {
            p50: histogramPercentile(lagHistogram, 0.5),
            p99: histogramPercentile(lagHistogram, 0.99),
            max: lagWindows.reduce((max, window) => Math.max(max, window.scheduleLag?.max ?? 0), 0),
            late: views.reduce((sum, view) => sum + view.late, 0),
          },
        }
      : {}),
    shares: views.map((view) => ({
      runnerId: view.runnerId,
      completed: view.completed,
      failed: view.failed,
      inFlight: running(view) ? view.inFlight : 0,
      rate: view.windows.at(-1)?.rate ?? 0,
      state: running(view)
        ? ("running" as const)
        : view.state === "finished"
          ? ("finished" as const)
          : ("lost" as const),
    })),
  };
}
