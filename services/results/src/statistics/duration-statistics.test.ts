import { readFileSync } from "node:fs";
import type { WorkloadStatistics } from "@paddock/shared/api";
import type { AtomicAction } from "@paddock/shared/task-model";
import { describe, expect, it } from "vitest";
import { computeDurationStatistics } from "./duration-statistics.js";
import { computeWorkloadFigures } from "./workload-figures.js";

/** The parts of Rally's `task report --json` (format 1.2) this test reads. */
interface RallyReport {
  tasks: {
    subtasks: {
      title: string;
      workloads: {
        scenario: Record<string, unknown>;
        statistics: WorkloadStatistics;
        min_duration: number | null;
        max_duration: number | null;
        failed_iteration_count: number;
        total_iteration_count: number;
        data: {
          timestamp: number;
          duration: number;
          idle_duration: number;
          error: string[];
          atomic_actions: AtomicAction[];
        }[];
      }[];
    }[];
  }[];
}

/** Rally writes Python's JSON, which allows `Infinity` (a periodic hook's open `end`). */
function parsePythonJson(text: string): unknown {
  return JSON.parse(text.replace(/(?<=[:[,]\s*)(-?)Infinity\b/g, "$11e999"));
}

const report = parsePythonJson(
  readFileSync(new URL("../../test/fixtures/rally/report-full.json", import.meta.url), "utf8"),
) as RallyReport;

const workloads = report.tasks.flatMap((task) =>
  task.subtasks.flatMap((subtask) =>
    subtask.workloads.map((workload) => ({ name: Object.keys(workload.scenario)[0] ?? "?", workload })),
  ),
);

describe("duration statistics against a real Rally 3.3.0 report", () => {
  it("covers every kind of workload in the fixture", () => {
    expect(workloads.map((w) => w.name)).toEqual([
      "Dummy.dummy",
      "Dummy.dummy_output",
      "Dummy.dummy_random_fail_in_atomic",
      "Dummy.dummy_timed_atomic_actions",
      "HttpRequests.check_request",
    ]);
  });

  it.each(workloads)("recomputes the statistics of $name exactly", ({ workload }) => {
    expect(computeDurationStatistics(workload.data)).toEqual(workload.statistics);
  });

  it.each(workloads)("gives the same counts and duration range for $name", ({ workload }) => {
    const figures = computeWorkloadFigures(workload.data.map((iteration, seq) => ({ ...iteration, seq })));
    expect(figures.statistics).toEqual(workload.statistics);
    expect(figures.iterationCount).toBe(workload.total_iteration_count);
    expect(figures.failedIterationCount).toBe(workload.failed_iteration_count);
    expect(figures.minDuration).toBe(workload.min_duration);
    expect(figures.maxDuration).toBe(workload.max_duration);
  });

  it.each(workloads)(
    "gives the same statistics for $name whatever order the iterations arrive in",
    ({ workload }) => {
      const numbered = workload.data.map((iteration, seq) => ({ ...iteration, seq }));
      const reversed = [...numbered].reverse();
      const interleaved = [
        ...numbered.filter((_, i) => i % 2 === 1),
        ...numbered.filter((_, i) => i % 2 === 0),
      ];
      expect(computeWorkloadFigures(reversed).statistics).toEqual(workload.statistics);
      expect(computeWorkloadFigures(interleaved).statistics).toEqual(workload.statistics);
    },
  );
});

describe("duration statistics edge cases", () => {
  const at = (name: string, start: number, end: number, extra: Partial<AtomicAction> = {}): AtomicAction => ({
    name,
    started_at: start,
    finished_at: end,
    children: [],
    ...extra,
  });

  it("has a total row of n/a and no other rows without iterations", () => {
    expect(computeDurationStatistics([])).toEqual({
      durations: {
        total: {
          name: "total",
          display_name: "total",
          count_per_iteration: 1,
          children: [],
          data: {
            iteration_count: 0,
            min: "n/a",
            median: "n/a",
            "90%ile": "n/a",
            "95%ile": "n/a",
            max: "n/a",
            avg: "n/a",
            success: "n/a",
          },
        },
        atomics: [],
      },
    });
  });

  it("adds <no-name-action> when an iteration failed after its last atomic action succeeded", () => {
    const stats = computeDurationStatistics([
      { duration: 1, idle_duration: 0.5, error: [], atomic_actions: [at("a", 0, 1)] },
      { duration: 2, idle_duration: 0, error: ["E", "m", "tb"], atomic_actions: [at("a", 0, 1.5)] },
    ]);
    expect(stats.durations.atomics.map((row) => row.display_name)).toEqual(["a", "<no-name-action>"]);
    const noName = stats.durations.atomics[1];
    expect(noName?.data).toMatchObject({ iteration_count: 1, min: 0, max: 0, success: "0.0%" });
    expect(stats.durations.total.data).toMatchObject({
      iteration_count: 2,
      min: 1.5,
      max: 2,
      success: "50.0%",
    });
    expect(stats.durations.total.children.map((row) => [row.name, row.data.max])).toEqual([
      ["duration", 2],
      ["idle_duration", 0.5],
    ]);
  });

  it("orders rows by where they first appear in start-time order, not by arrival", () => {
    const late = {
      seq: 1,
      timestamp: 20,
      duration: 1,
      idle_duration: 0,
      error: [],
      atomic_actions: [at("b", 20, 21)],
    };
    const early = {
      seq: 0,
      timestamp: 10,
      duration: 2,
      idle_duration: 0,
      error: [],
      atomic_actions: [at("a", 10, 11), at("b", 11, 12)],
    };
    const rows = computeWorkloadFigures([late, early]).statistics.durations.atomics;
    expect(rows.map((row) => row.name)).toEqual(["a", "b"]);
    expect(computeDurationStatistics([late, early]).durations.atomics.map((row) => row.name)).toEqual([
      "b",
      "a",
    ]);
  });

  it("sums averages in start-time order, as Rally does, whatever the arrival order", () => {
    // 0.0015 + 0.2 + 0.1 = 0.30149999999999999 but 0.1 + 0.2 + 0.0015 = 0.30150000000000005.
    const iterations = [0.0015, 0.2, 0.1].map((duration, seq) => ({
      seq,
      timestamp: 100 + seq,
      duration,
      idle_duration: 0,
      error: [],
      atomic_actions: [],
    }));
    const reversed = [...iterations].reverse();
    expect(computeWorkloadFigures(reversed).statistics.durations.total.data.avg).toBe(0.1);
    expect(computeDurationStatistics(iterations).durations.total.data.avg).toBe(0.1);
    expect(computeDurationStatistics(reversed).durations.total.data.avg).toBe(0.101);
  });

  it("sums repeats within an iteration into one 'name (xN)' row and interpolates percentiles", () => {
    const iterations = [1, 2, 3, 4].map((n) => ({
      duration: n,
      idle_duration: 0,
      error: [],
      atomic_actions: [at("x", 0, n / 2), at("x", 10, 10 + n / 2)],
    }));
    const row = computeDurationStatistics(iterations).durations.atomics[0];
    expect(row).toMatchObject({ name: "x", display_name: "x (x2)", count_per_iteration: 2 });
    // k = 3 * 0.9 = 2.7 between 3 and 4 → 3.7; k = 3 * 0.5 = 1.5 → 2.5.
    expect(row?.data).toMatchObject({ min: 1, median: 2.5, "90%ile": 3.7, "95%ile": 3.85, max: 4, avg: 2.5 });
  });
});
