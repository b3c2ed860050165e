import { describe, expect, it } from "vitest";
import { rallyDemoDetail } from "../../test/fixtures/index.js";
import { slaLines, taskReport, verdictOf } from "./task-report.js";

describe("taskReport", () => {
  const lines = taskReport(rallyDemoDetail());
  const text = lines.join("\n");

  it("heads the report with the task, its verdict, environment and tags", () => {
    expect(lines[1]).toBe("Task 8631c997-8798-4cf0-ab6e-e2c6001b8fd1: finished, SLA failed");
    expect(text).toContain("Environment: local   Tags: demo");
    expect(text).toContain("Started: 2026-11-23 22:39:22   Duration: 14.0 s");
  });

  it("prints Rally's table per workload with the full column titles", () => {
    const first = lines.indexOf("Workload 1.1: Dummy.dummy — Dummy with nested atomics, context and hooks");
    expect(lines.slice(first, first + 16)).toEqual([
      "Workload 1.1: Dummy.dummy — Dummy with nested atomics, context and hooks",
      '  args: {"sleep":0.05}',
      '  runner: constant {"times":20,"concurrency":4}',
      "",
      "+--------------------------------------------------------------------------------------------------------------------------+",
      "|                                                   Response Times (sec)                                                   |",
      "+-------------------+-----------+--------------+--------------+--------------+-----------+---------------+---------+-------+",
      "| Action            | Min (sec) | Median (sec) | 90%ile (sec) | 95%ile (sec) | Max (sec) | Average (sec) | Success | Count |",
      "+-------------------+-----------+--------------+--------------+--------------+-----------+---------------+---------+-------+",
      "| foo               |     0.050 |        0.050 |        0.050 |        0.050 |     0.052 |         0.050 |  100.0% |    20 |",
      "|  -> bar           |     0.050 |        0.050 |        0.050 |        0.050 |     0.052 |         0.050 |  100.0% |    20 |",
      "| total             |     0.050 |        0.050 |        0.050 |        0.050 |     0.052 |         0.050 |  100.0% |    20 |",
      "|  -> duration      |     0.050 |        0.050 |        0.050 |        0.050 |     0.052 |         0.050 |  100.0% |    20 |",
      "|  -> idle_duration |     0.000 |        0.000 |        0.000 |        0.000 |     0.000 |         0.000 |  100.0% |    20 |",
      "+-------------------+-----------+--------------+--------------+--------------+-----------+---------------+---------+-------+",
      "",
    ]);
    expect(lines.filter((line) => line.includes("Response Times (sec)"))).toHaveLength(5);
  });

  it("gives each workload its durations, counts and SLA verdicts", () => {
    expect(text).toContain("Workload 2.2: Dummy.dummy_random_fail_in_atomic — Outputs and random failures");
    expect(text).toContain("Load duration: 0.025 s");
    expect(text).toContain("Iterations: 20\nFailures: 8");
    expect(text).toContain("  FAIL  failure_rate  Failure rate criteria 0.00% <= 40.00% <= 0.00% - Failed");
  });

  it("indents the continuation lines of a multi-line SLA detail", () => {
    const lines = slaLines({
      slaResults: [
        {
          criterion: "max_avg_duration_per_atomic",
          success: true,
          detail:
            "Average duration of one iteration for atomic actions:\nAction: 'foo'. 0.05s <= 0.50s\nStatus: Passed",
        },
      ],
    });
    expect(lines).toEqual([
      "SLA:",
      "  PASS  max_avg_duration_per_atomic  Average duration of one iteration for atomic actions:",
      "                                     Action: 'foo'. 0.05s <= 0.50s",
      "                                     Status: Passed",
    ]);
  });

  it("says what happened to a task that did not finish", () => {
    expect(verdictOf({ status: "soft_aborting", passSla: true })).toBe("soft aborting");
    expect(verdictOf({ status: "finished", passSla: true })).toBe("finished, SLA passed");
  });
});
