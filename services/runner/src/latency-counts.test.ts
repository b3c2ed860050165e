import { bucketOf, histogramCount } from "@paddock/shared/histogram";
import { describe, expect, it } from "vitest";
import { fastBucketOf, LatencyCounts } from "./latency-counts.js";

describe("fastBucketOf", () => {
  it("agrees with the shared scheme's bucketOf", () => {
    const values = [
      0,
      -1,
      Number.NaN,
      1e-7,
      1e-6,
      3.1e-5,
      3.2e-5,
      0.000999,
      0.001,
      0.0123,
      0.5,
      1,
      59.9,
      600,
      4294.9,
      5000,
    ];
    for (let micros = 1; micros < 5_000_000_000; micros = Math.ceil(micros * 1.013) + 1) {
      values.push(micros / 1e6, (micros - 1) / 1e6, (micros + 0.5) / 1e6);
    }
    for (let power = 5; power < 33; power += 1) values.push(2 ** power / 1e6, (2 ** power - 1) / 1e6);
    for (const value of values) expect(fastBucketOf(value), String(value)).toBe(bucketOf(value));
  });
});

describe("LatencyCounts", () => {
  it("builds the window's histogram in ascending bucket order and starts afresh", () => {
    const counts = new LatencyCounts();
    for (const value of [0.002, 0.001, 0.002, 7000, 0.5, 0.000001]) counts.add(value);
    const histogram = counts.take();
    expect(histogram.scheme).toBe("log2x16-us");
    expect(histogramCount(histogram)).toBe(6);
    const indexes = histogram.buckets.map(([index]) => index);
    expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
    expect(histogram.buckets).toContainEqual([bucketOf(0.002), 2]);
    expect(counts.take().buckets).toEqual([]);
  });
});
