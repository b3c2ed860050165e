import { describe, expect, it } from "vitest";
import { runWith, sleepFor } from "../../test/support/load-harness.js";
import { rps, rpsOffsets } from "./rps.js";

describe("rps schedule", () => {
  it("spaces a constant rate evenly", () => {
    const next = rpsOffsets(4);
    expect([next(), next(), next(), next(), next()]).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });

  it("ramps by `step` every `duration` seconds up to `end`", () => {
    const next = rpsOffsets({ start: 2, end: 4, step: 2, duration: 1 });
    const offsets = Array.from({ length: 10 }, next);
    expect(offsets.slice(0, 3)).toEqual([0, 0.5, 1]);
    expect(offsets[3]).toBeCloseTo(1.25);
    expect(offsets[6]).toBeCloseTo(2);
    expect(offsets[7]).toBeCloseTo(2.25);
  });

  it("rejects a ramp that ends below its start, in Rally's words", () => {
    expect(rps.check({ times: 1, rps: { start: 5, end: 2, step: 1 } })).toEqual([
      "rps end value must not be less than rps start value.",
    ]);
  });
});

describe("rps runner", () => {
  it("starts iterations at absolute intended times and records intended_start and schedule_lag", async () => {
    const { records, elapsedMs } = await runWith("rps", { times: 10, rps: 50 }, () => undefined);
    expect(records).toHaveLength(10);
    expect(elapsedMs).toBeGreaterThanOrEqual(175);
    const bySeq = [...records].sort((a, b) => a.seq - b.seq);
    const t0 = bySeq[0]?.intended_start as number;
    bySeq.forEach((record, index) => {
      expect(record.intended_start).toBeCloseTo(t0 + index * 0.02, 3);
      expect(record.schedule_lag as number).toBeGreaterThanOrEqual(0);
      expect(record.timestamp).toBeCloseTo(
        (record.intended_start as number) + (record.schedule_lag as number),
        5,
      );
    });
  });

  it("never runs more than max_concurrency at once, and waiting for a slot shows as lag", async () => {
    const { records, maxConcurrent } = await runWith("rps", { times: 12, rps: 200, max_concurrency: 2 }, () =>
      sleepFor(40),
    );
    expect(records).toHaveLength(12);
    expect(maxConcurrent).toBe(2);
    expect(Math.max(...records.map((r) => r.schedule_lag as number))).toBeGreaterThan(0.1);
  });

  it("keeps up with a high rate by catching up on late starts", async () => {
    const { records, elapsedMs } = await runWith("rps", { times: 500, rps: 1000 }, () => undefined);
    expect(records).toHaveLength(500);
    expect(elapsedMs).toBeGreaterThanOrEqual(495);
    expect(elapsedMs).toBeLessThan(10_000);
  });
});
