import type { IterationRecord } from "@paddock/shared/events";
import { bucketOf, histogramCount } from "@paddock/shared/histogram";
import type { AtomicAction } from "@paddock/shared/task-model";
import { describe, expect, it } from "vitest";
import { ProgressWindow } from "./progress-window.js";

function action(name: string, seconds: number, children: AtomicAction[] = [], failed = false): AtomicAction {
  return { name, started_at: 100, finished_at: 100 + seconds, children, ...(failed ? { failed } : {}) };
}

function record(seq: number, duration: number, extra: Partial<IterationRecord> = {}): IterationRecord {
  return {
    seq,
    timestamp: 100 + seq,
    duration,
    idle_duration: 0,
    error: [],
    output: { additive: [], complete: [] },
    atomic_actions: [],
    ...extra,
  };
}

describe("ProgressWindow", () => {
  it("reports totals, the window's exact percentiles and its mergeable histogram", () => {
    const window = new ProgressWindow(0);
    for (let i = 1; i <= 10; i += 1) window.add(record(i, i / 100));
    window.add(record(11, 0.5, { error: ["KeyError", "boom", ""] }));
    const figures = window.take(2000);
    expect(figures.completed).toBe(11);
    expect(figures.failed).toBe(1);
    expect(figures.errorsByType).toEqual({ KeyError: 1 });
    expect(figures.rate).toBeCloseTo(5.5);
    expect(figures.latency.p50).toBeCloseTo(0.06);
    expect(figures.latency.max).toBe(0.5);
    expect(histogramCount(figures.histogram)).toBe(11);
    expect(figures.histogram.buckets).toContainEqual([bucketOf(0.5), 1]);
    expect(figures.scheduleLag).toBeUndefined();

    const next = window.take(3000);
    expect(next.completed).toBe(11);
    expect(next.rate).toBe(0);
    expect(next.histogram.buckets).toEqual([]);
    expect(next.atomics).toEqual([]);
  });

  it("counts atomic actions per iteration: nested names joined, repeats summed and counted once", () => {
    const window = new ProgressWindow(0);
    window.add(record(0, 0.3, { atomic_actions: [action("foo", 0.2, [action("bar", 0.1)])] }));
    window.add(
      record(1, 0.5, {
        atomic_actions: [
          action("foo", 0.1, [action("bar", 0.05)]),
          action("foo", 0.15, [], true),
          action("baz", 0.01),
        ],
      }),
    );
    const { atomics } = window.take(1000);
    expect(atomics.map(({ name, count, failed }) => ({ name, count, failed }))).toEqual([
      { name: "foo", count: 2, failed: 1 },
      { name: "foo > bar", count: 2, failed: 0 },
      { name: "baz", count: 1, failed: 0 },
    ]);
    const foo = atomics[0]?.histogram;
    expect(foo?.buckets).toEqual(
      [
        [bucketOf(0.2), 1],
        [bucketOf(0.25), 1],
      ].sort((a, b) => (a[0] as number) - (b[0] as number)),
    );
  });

  it("reports schedule lag for rate-driven records: window percentiles and max, late ones since the start", () => {
    const window = new ProgressWindow(0);
    window.add(record(0, 0.01, { schedule_lag: 0.0001, intended_start: 100 }));
    window.add(record(1, 0.01, { schedule_lag: 0.02, intended_start: 101 }));
    const first = window.take(1000);
    expect(first.scheduleLag?.late).toBe(1);
    expect(first.scheduleLag?.max).toBe(0.02);
    expect(histogramCount(first.lagHistogram ?? { scheme: "log2x16-us", buckets: [] })).toBe(2);
    window.add(record(2, 0.01, { schedule_lag: 0.005, intended_start: 102 }));
    const second = window.take(2000);
    expect(second.scheduleLag).toMatchObject({ late: 2, max: 0.005 });
  });
});
