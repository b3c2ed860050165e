import { describe, expect, it } from "vitest";
import { runWith, sleepFor } from "../../test/support/load-harness.js";
import { serial } from "./serial.js";

describe("serial runner", () => {
  it("runs `times` iterations one after the other, in order", async () => {
    const { records, maxConcurrent, startOrder } = await runWith("serial", { times: 8 }, () => sleepFor(3));
    expect(maxConcurrent).toBe(1);
    expect(startOrder).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(records.map((r) => r.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // Each starts after the previous one ended (within the float precision of epoch seconds).
    for (let i = 1; i < records.length; i += 1) {
      const previous = records[i - 1] as (typeof records)[number];
      expect((records[i] as (typeof records)[number]).timestamp).toBeGreaterThanOrEqual(
        previous.timestamp + previous.duration - 1e-5,
      );
    }
  });

  it("runs once by default and plans `times` iterations without timeout", async () => {
    const { records } = await runWith("serial", {}, () => undefined);
    expect(records).toHaveLength(1);
    expect(serial.plan({ times: 7, concurrency: 3 })).toEqual({ expectedIterations: 7, timeout: 0 });
  });
});
