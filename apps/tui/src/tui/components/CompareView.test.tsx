import { describe, expect, it } from "vitest";
import { passingDetail, rallyDemoDetail } from "../../../test/fixtures/index.js";
import { compareDetails, slowerRerun } from "../../../test/fixtures/reports.js";
import { expectFits } from "../../../test/support/frames.js";
import { renderTui } from "../../../test/support/render-tui.js";
import { CompareView, compareLines } from "./CompareView.js";

const DEMO = rallyDemoDetail();
const comparison = compareDetails([DEMO, slowerRerun(DEMO), passingDetail()]);

function cellsOf(row: string, statistic: string) {
  const { lines } = compareLines(comparison, 200);
  return lines.find((cells) => cells[0]?.text.trim() === `${row} ${statistic}`);
}

describe("compareLines", () => {
  it("colours a slower task's deltas red and an equal one's dim, against the baseline", () => {
    const cells = cellsOf("total", "median");
    expect(cells?.map((cell) => cell.text.trim())).toEqual([
      "total median",
      "0.050",
      "0.063",
      "0.050",
      "+0.013 (+26.0%)",
      "0.000 (0.0%)",
    ]);
    expect(cells?.[4]?.color).toBe("red");
    expect(cells?.[5]?.color).toBeUndefined();
    expect(cells?.[5]?.dim).toBe(true);
  });

  it("colours a higher success rate green", () => {
    const better = compareLines(
      compareDetails([
        DEMO,
        {
          ...DEMO,
          id: "x",
          workloads: DEMO.workloads.map((w) => ({
            ...w,
            statistics: w.statistics && {
              durations: {
                ...w.statistics.durations,
                total: {
                  ...w.statistics.durations.total,
                  data: { ...w.statistics.durations.total.data, success: "100.0%" },
                },
              },
            },
          })),
        },
      ]),
      120,
    );
    const row = better.lines.find(
      (cells) => cells[0]?.text.trim() === "total success" && cells[1]?.text.trim() === "60.0%",
    );
    expect(row?.[3]?.color).toBe("green");
  });

  it("starts each workload with its number and lists what differs in its configuration", () => {
    const { lines, workloadStarts } = compareLines(comparison, 80);
    expect(workloadStarts).toHaveLength(5);
    const first = lines
      .slice(workloadStarts[0], workloadStarts[1])
      .map((cells) => cells.map((cell) => cell.text).join(""));
    expect(first[0]).toBe("1.1 Dummy.dummy");
    expect(first).toContain("  configuration differs:");
    expect(first).toContain("    runner.config.concurrency: 4 → 8 → 4");
  });
});

describe("CompareView", () => {
  it.each([
    { columns: 80, rows: 24 },
    { columns: 200, rows: 60 },
  ])("fits $columns×$rows", async ({ columns, rows }) => {
    const ui = renderTui(<CompareView comparison={comparison} scroll={0} width={columns} height={rows} />, {
      columns,
      rows,
    });
    const frame = await ui.waitFor("matched workloads");
    ui.unmount();
    expect(frame).toContain(`baseline ${DEMO.id.slice(0, 8)}`);
    expect(frame).toContain("⚠ 1 workload(s) ran with different configurations");
    expectFits(frame, columns, rows);
  });
});
