import { describe, expect, it } from "vitest";
import {
  bucketBounds,
  bucketOf,
  HistogramBuilder,
  histogramCount,
  histogramPercentile,
  mergeHistograms,
} from "./histogram.js";

describe("log2x16-us histogram", () => {
  it("puts every value inside its bucket's bounds, buckets contiguous and at most 6.25 % wide", () => {
    for (let micros = 0; micros < 200_000; micros += micros < 2000 ? 1 : 97) {
      const seconds = micros / 1e6;
      const index = bucketOf(seconds);
      const [lower, upper] = bucketBounds(index);
      expect(lower).toBeLessThanOrEqual(seconds + 1e-12);
      expect(upper).toBeGreaterThan(seconds);
      if (index >= 32) expect((upper - lower) / lower).toBeLessThanOrEqual(1 / 16 + 1e-12);
      const [, previousUpper] = bucketBounds(index - 1 < 0 ? 0 : index - 1);
      if (index > 0) expect(previousUpper).toBeCloseTo(lower, 12);
    }
    expect(bucketOf(-1)).toBe(0);
    expect(bucketOf(Number.NaN)).toBe(0);
    expect(bucketOf(3600)).toBeGreaterThan(bucketOf(60));
  });

  it("reads percentiles within 3.2 % of the exact value", () => {
    const builder = new HistogramBuilder();
    const values = Array.from({ length: 10_000 }, (_, i) => 0.0005 + (i % 1000) * 0.0007 + (i % 7) * 0.01);
    for (const value of values) builder.add(value);
    const sorted = [...values].sort((a, b) => a - b);
    for (const p of [0.5, 0.9, 0.95, 0.99, 1]) {
      const exact = sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] as number;
      const read = histogramPercentile(builder.build(), p);
      expect(Math.abs(read - exact) / exact).toBeLessThan(0.032);
    }
    expect(histogramPercentile(new HistogramBuilder().build(), 0.5)).toBe(0);
  });

  it("merges by adding counts: the merge equals one histogram of all the values", () => {
    const a = new HistogramBuilder();
    const b = new HistogramBuilder();
    const all = new HistogramBuilder();
    for (let i = 0; i < 5000; i++) {
      const value = ((i * 37) % 4000) / 1e4;
      (i % 3 === 0 ? a : b).add(value);
      all.add(value);
    }
    const merged = mergeHistograms([a.build(), b.build()]);
    expect(merged).toEqual(all.build());
    expect(histogramCount(merged)).toBe(5000);
    expect(merged.buckets.every(([, count]) => count >= 1)).toBe(true);
    expect(merged.buckets.map(([index]) => index)).toEqual(
      [...merged.buckets.map(([index]) => index)].sort((x, y) => x - y),
    );
  });
});
