import { describe, expect, it } from "vitest";
import { runWith, sleepFor } from "../../test/support/load-harness.js";
import { constantForDuration } from "./constant-for-duration.js";

describe("constant_for_duration runner", () => {
  it("keeps starting iterations until the duration has passed", async () => {
    const { records, maxConcurrent, elapsedMs } = await runWith(
      "constant_for_duration",
      { duration: 0.3, concurrency: 3 },
      () => sleepFor(10),
    );
    expect(maxConcurrent).toBeLessThanOrEqual(3);
    expect(records.length).toBeGreaterThan(3);
    expect(elapsedMs).toBeGreaterThanOrEqual(290);
    const first = Math.min(...records.map((r) => r.timestamp));
    const lastStart = Math.max(...records.map((r) => r.timestamp));
    expect(lastStart - first).toBeLessThan(0.3);
  });

  it("runs one iteration per concurrent slot when the duration is 0", async () => {
    const { records } = await runWith("constant_for_duration", { duration: 0, concurrency: 4 }, () =>
      sleepFor(1),
    );
    expect(records).toHaveLength(4);
  });

  it("has no expected count and Rally's default timeout of 600 s", () => {
    expect(constantForDuration.plan({ duration: 5 })).toEqual({ expectedIterations: null, timeout: 600 });
  });
});
