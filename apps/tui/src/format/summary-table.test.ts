import { TaskDetail } from "@paddock/shared/api";
import Compile from "typebox/compile";
import { describe, expect, it } from "vitest";
import { rallyDemoDetail } from "../../test/fixtures/index.js";
import { rowLabel, summaryRows } from "./summary-table.js";
import { renderBorderedTable } from "./text-table.js";

const detail = rallyDemoDetail();
const workload = (index: number) => {
  const found = detail.workloads[index];
  if (!found?.statistics) throw new Error(`fixture workload ${index} has no statistics`);
  return found.statistics;
};

describe("the fixture", () => {
  it("is a TaskDetail exactly as the contract says", () => {
    const validator = Compile(TaskDetail);
    expect([...validator.Errors(detail)].slice(0, 3)).toEqual([]);
  });
});

describe("summaryRows", () => {
  it("lists atomics with their children indented, then total with duration and idle_duration", () => {
    const rows = summaryRows(workload(0));
    expect(rows.map((row) => row.label)).toEqual([
      "foo",
      " -> bar",
      "total",
      " -> duration",
      " -> idle_duration",
    ]);
    expect(rows.map((row) => row.isTotal)).toEqual([false, false, true, false, false]);
    expect(rows[0]?.cells).toEqual(["0.050", "0.050", "0.050", "0.050", "0.052", "0.050", "100.0%", "20"]);
  });

  it("keeps repeated atomics as Rally names them and gives every row a unique key", () => {
    const rows = summaryRows(workload(2));
    expect(rows.map((row) => row.label)).toEqual([
      "dummy_fail_test (x2)",
      " -> dummy_fail_inner_test (x2)",
      "dummy_fail_test",
      " -> dummy_fail_inner_test",
      "total",
      " -> duration",
      " -> idle_duration",
    ]);
    expect(new Set(rows.map((row) => row.key)).size).toBe(rows.length);
    expect(rows[2]?.cells.slice(-2)).toEqual(["0.0%", "4"]);
  });

  it("prints n/a for values Rally could not compute", () => {
    const stats = structuredClone(workload(1));
    stats.durations.total.data.min = "n/a";
    expect(summaryRows(stats).find((row) => row.label === "total")?.cells[0]).toBe("n/a");
  });

  it("indents deeper levels with one more dash", () => {
    expect(rowLabel("x", 0)).toBe("x");
    expect(rowLabel("x", 2)).toBe(" --> x");
  });
});

describe("renderBorderedTable", () => {
  it("draws Rally's bordered table with a centered title and right-aligned numbers", () => {
    const lines = renderBorderedTable({
      title: "T",
      headers: ["Action", "Min (sec)"],
      rows: [
        ["foo", "0.050"],
        [" -> bar", "12.000"],
      ],
      align: ["left", "right"],
    });
    expect(lines).toEqual([
      "+---------------------+",
      "|          T          |",
      "+---------+-----------+",
      "| Action  | Min (sec) |",
      "+---------+-----------+",
      "| foo     |     0.050 |",
      "|  -> bar |    12.000 |",
      "+---------+-----------+",
    ]);
  });
});
