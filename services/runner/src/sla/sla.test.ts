import type { IterationRecord } from "@paddock/shared/events";
import { describe, expect, it } from "vitest";
import { SlaMonitor, slaCriteria } from "./index.js";

function iteration(duration: number, failed = false, atomics: [string, number][] = []): IterationRecord {
  return {
    seq: 0,
    timestamp: 1_700_000_000,
    duration,
    idle_duration: 0,
    error: failed ? ["KeyError", "'Dummy test exception'", ""] : [],
    output: { additive: [], complete: [] },
    atomic_actions: atomics.map(([name, seconds]) => ({
      name,
      children: [],
      started_at: 1_700_000_000,
      finished_at: 1_700_000_000 + seconds,
    })),
  };
}

function judge(name: keyof typeof slaCriteria, config: unknown, iterations: IterationRecord[]) {
  const check = slaCriteria[name].create(config);
  for (const item of iterations) check.add(item);
  return check.result();
}

describe("failure_rate", () => {
  it("fails 8 failures in 20 against max 0 with Rally's exact detail", () => {
    const iterations = Array.from({ length: 20 }, (_, i) => iteration(0.01, i < 8));
    expect(judge("failure_rate", { max: 0 }, iterations)).toEqual({
      criterion: "failure_rate",
      success: false,
      detail: "Failure rate criteria 0.00% <= 40.00% <= 0.00% - Failed",
    });
  });

  it("passes within [min, max], with max defaulting to 100", () => {
    const iterations = [iteration(0.01), iteration(0.01, true), iteration(0.01), iteration(0.01)];
    expect(judge("failure_rate", { min: 10 }, iterations).detail).toBe(
      "Failure rate criteria 10.00% <= 25.00% <= 100.00% - Passed",
    );
    expect(judge("failure_rate", { max: 1 }, []).detail).toBe(
      "Failure rate criteria 0.00% <= 0.00% <= 1.00% - Passed",
    );
  });
});

describe("duration criteria", () => {
  it("max_seconds_per_iteration looks at every iteration", () => {
    expect(judge("max_seconds_per_iteration", 1.0, [iteration(0.0512), iteration(0.3, true)]).detail).toBe(
      "Maximum seconds per iteration 0.30s <= 1.00s - Passed",
    );
    expect(judge("max_seconds_per_iteration", 0.1, [iteration(0.25)]).success).toBe(false);
  });

  it("max_avg_duration averages the successful iterations only", () => {
    const result = judge("max_avg_duration", 0.5, [iteration(0.04), iteration(0.06), iteration(9, true)]);
    expect(result).toEqual({
      criterion: "max_avg_duration",
      success: true,
      detail: "Average duration of one iteration 0.05s <= 0.50s - Passed",
    });
  });

  it("max_avg_duration_per_atomic lists each named action", () => {
    const iterations = [iteration(0.1, false, [["foo", 0.04]]), iteration(0.1, false, [["foo", 0.06]])];
    expect(judge("max_avg_duration_per_atomic", { foo: 0.5, bar: 0.1 }, iterations).detail).toBe(
      "Average duration of one iteration for atomic actions:\nAction: 'foo'. 0.05s <= 0.50s\nAction: 'bar'. 0.00s <= 0.10s\nStatus: Passed",
    );
    expect(judge("max_avg_duration_per_atomic", { foo: 0.01 }, iterations).success).toBe(false);
  });

  it("outliers counts iterations far above the ones before them", () => {
    const steady = Array.from({ length: 10 }, (_, i) => iteration(0.1 + (i % 2) * 0.001));
    expect(judge("outliers", { max: 0 }, [...steady, iteration(5)]).detail).toBe(
      "Maximum number of outliers 1 <= 0 - Failed",
    );
    expect(judge("outliers", { max: 1, min_iterations: 10, sigmas: 10 }, steady).detail).toBe(
      "Maximum number of outliers 0 <= 1 - Passed",
    );
  });

  it("performance_degradation formats like Rally's format_float_to_str", () => {
    expect(
      judge("performance_degradation", { max_degradation: 500 }, [iteration(1), iteration(1.03450918)])
        .detail,
    ).toBe("Current degradation: 3.450918% - Passed");
    expect(
      judge("performance_degradation", { max_degradation: 50 }, [iteration(1), iteration(2)]).detail,
    ).toBe("Current degradation: 100.0% - Failed");
    expect(judge("performance_degradation", { max_degradation: 0 }, []).detail).toBe(
      "Current degradation: 0.0% - Passed",
    );
  });
});

describe("SlaMonitor", () => {
  it("keeps the task's order and adds Rally's pseudo-criteria", () => {
    const monitor = new SlaMonitor({ max_avg_duration: 1, failure_rate: { max: 0 } });
    monitor.add(iteration(0.2));
    expect(monitor.passed()).toBe(true);
    monitor.setAbortedManually();
    monitor.setUnexpectedFailure("Oops...setup is failed");
    expect(monitor.results().map((r) => r.criterion)).toEqual([
      "max_avg_duration",
      "failure_rate",
      "aborted_manually",
      "something_went_wrong",
    ]);
    expect(monitor.results().slice(2)).toEqual([
      { criterion: "aborted_manually", success: false, detail: "Task was aborted due to abort signal." },
      {
        criterion: "something_went_wrong",
        success: false,
        detail: "Unexpected error: Oops...setup is failed",
      },
    ]);
    expect(monitor.passed()).toBe(false);
  });
});
