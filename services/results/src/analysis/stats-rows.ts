/**
 * Reading Rally's statistics table as numbers: each row by name (nested atomics as
 * `parent > child`), "n/a" as null, `success` ("97.5%") as a percent number.
 */
import type { StatsNode, StatsRow, WorkloadStatistics } from "@paddock/shared/api";

/** The statistics of a row that compare and trends use, in Rally's column order. */
export const STATISTICS = ["min", "median", "90%ile", "95%ile", "max", "avg", "success"] as const;
export type StatisticName = (typeof STATISTICS)[number];

/** A statistics cell as a number: seconds, or percent for `success`; null for "n/a". */
export function cellValue(row: StatsRow, statistic: StatisticName): number | null {
  const value = row[statistic];
  if (typeof value === "number") return value;
  if (statistic === "success") {
    const percent = Number.parseFloat(value);
    return Number.isNaN(percent) ? null : percent;
  }
  return null;
}

/** Every row of the table by name, in table order: `total`, `duration`, `idle_duration`, then atomics. */
export function rowsOf(statistics: WorkloadStatistics): Map<string, StatsRow> {
  const rows = new Map<string, StatsRow>();
  const { total, atomics } = statistics.durations;
  rows.set("total", total.data);
  for (const child of total.children) rows.set(child.name, child.data);
  const visit = (node: StatsNode, prefix: string) => {
    const name = `${prefix}${node.display_name}`;
    rows.set(name, node.data);
    for (const child of node.children) visit(child, `${name} > `);
  };
  for (const atomic of atomics) visit(atomic, "");
  return rows;
}

/** Names of the atomic rows (without `total` and its children). */
export function atomicRowNames(statistics: WorkloadStatistics): string[] {
  const fixed = new Set(["total", ...statistics.durations.total.children.map((child) => child.name)]);
  return [...rowsOf(statistics).keys()].filter((name) => !fixed.has(name));
}
