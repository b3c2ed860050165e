import type { LatencyHistogram } from "@paddock/shared/events";
import { bucketOf, HistogramBuilder, histogramCount, histogramPercentile } from "@paddock/shared/histogram";
import { describe, expect, it } from "vitest";
import { mergeProgress, type ShareView } from "./share-progress.js";
import type { ShareFigures } from "./share-protocol.js";

function histogramOf(values: readonly number[]): LatencyHistogram {
  const builder = new HistogramBuilder();
  for (const value of values) builder.add(value);
  return builder.build();
}

function window(values: readonly number[], extra: Partial<ShareFigures> = {}): ShareFigures {
  return {
    completed: 0,
    failed: 0,
    inFlight: 0,
    rate: values.length,
    max: Math.max(0, ...values),
    errorsByType: {},
    histogram: histogramOf(values),
    atomics: [{ name: "foo", count: values.length, failed: 0, histogram: histogramOf(values) }],
    ...extra,
  };
}

function view(runnerId: string, windows: ShareFigures[], extra: Partial<ShareView> = {}): ShareView {
  return {
    runnerId,
    state: "running",
    windows,
    completed: 10,
    failed: 1,
    inFlight: 2,
    errorsByType: { KeyError: 1 },
    late: 0,
    ...extra,
  };
}

describe("mergeProgress", () => {
  it("sums counts, rates and errors and merges histograms bucket by bucket", () => {
    const a = [0.01, 0.02, 0.03, 0.04];
    const b = [0.1, 0.2];
    const c = [1.5];
    const merged = mergeProgress([view("r1", [window(a)]), view("r2", [window(b)]), view("r3", [window(c)])]);
    expect(merged).toMatchObject({
      completed: 30,
      failed: 3,
      inFlight: 6,
      rate: 7,
      errorsByType: { KeyError: 3 },
    });
    const all = [...a, ...b, ...c];
    expect(merged.histogram).toEqual(histogramOf(all));
    expect(merged.latency.p50).toBe(histogramPercentile(histogramOf(all), 0.5));
    expect(merged.latency.p99).toBe(histogramPercentile(histogramOf(all), 0.99));
    expect(merged.latency.max).toBe(1.5);
    expect(merged.atomics).toEqual([{ name: "foo", count: 7, failed: 0, histogram: histogramOf(all) }]);
    expect(merged.scheduleLag).toBeUndefined();
    expect(merged.shares).toEqual([
      { runnerId: "r1", completed: 10, failed: 1, inFlight: 2, rate: 4, state: "running" },
      { runnerId: "r2", completed: 10, failed: 1, inFlight: 2, rate: 2, state: "running" },
      { runnerId: "r3", completed: 10, failed: 1, inFlight: 2, rate: 1, state: "running" },
    ]);
  });

  it("takes several windows of one share together and the rate of its latest", () => {
    const merged = mergeProgress([view("r1", [window([0.01, 0.02]), window([0.03])])]);
    expect(histogramCount(merged.histogram as LatencyHistogram)).toBe(3);
    expect(merged.rate).toBe(1);
    expect(merged.atomics?.[0]?.count).toBe(3);
  });

  it("counts no in-flight iterations and no rate for lost and finished shares", () => {
    const merged = mergeProgress([
      view("r1", [], { state: "finished" }),
      view("r2", [], { state: "lost" }),
      view("r3", [window([0.01])], { state: "assigned" }),
    ]);
    expect(merged.inFlight).toBe(2);
    expect(merged.shares?.map((share) => [share.state, share.inFlight])).toEqual([
      ["finished", 0],
      ["lost", 0],
      ["running", 2],
    ]);
    expect(merged.latency).toMatchObject({ p50: histogramPercentile(histogramOf([0.01]), 0.5) });
  });

  it("merges schedule lag histograms and adds up late starts", () => {
    const lag = (values: number[], max: number, late: number) =>
      window([0.01], {
        lagHistogram: histogramOf(values),
        scheduleLag: { p50: 0, p99: 0, max, late },
      });
    const merged = mergeProgress([
      view("r1", [lag([0.0001, 0.0002], 0.0002, 0)], { late: 0 }),
      view("r2", [lag([0.004, 0.0003], 0.004, 3)], { late: 3 }),
    ]);
    expect(merged.scheduleLag).toEqual({
      p50: histogramPercentile(histogramOf([0.0001, 0.0002, 0.004, 0.0003]), 0.5),
      p99: histogramPercentile(histogramOf([0.0001, 0.0002, 0.004, 0.0003]), 0.99),
      max: 0.004,
      late: 3,
    });
    expect(merged.scheduleLag?.p99).toBeCloseTo(0.004, 3);
    expect(bucketOf(merged.scheduleLag?.p99 ?? 0)).toBe(bucketOf(0.004));
  });
});
