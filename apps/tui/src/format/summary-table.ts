/**
 * Rally's "Response Times (sec)" table of one workload as rows, shared by the CLI (ASCII table)
 * and the TUI (Ink). Atomic actions first, children indented under their parent, then `total`
 * with its `duration` and `idle_duration` children.
 */
import type { StatsNode, WorkloadStatistics } from "@paddock/shared/api";
import { formatStat } from "./numbers.js";

/** One column: its full title (CLI, like Rally) and a short one (TUI at 80 columns). */
export interface SummaryColumn {
  readonly title: string;
  readonly short: string;
  readonly align: "left" | "right";
}

export const SUMMARY_COLUMNS: readonly SummaryColumn[] = [
  { title: "Action", short: "Action", align: "left" },
  { title: "Min (sec)", short: "Min", align: "right" },
  { title: "Median (sec)", short: "Median", align: "right" },
  { title: "90%ile (sec)", short: "90%ile", align: "right" },
  { title: "95%ile (sec)", short: "95%ile", align: "right" },
  { title: "Max (sec)", short: "Max", align: "right" },
  { title: "Average (sec)", short: "Avg", align: "right" },
  { title: "Success", short: "Success", align: "right" },
  { title: "Count", short: "Count", align: "right" },
];

export const SUMMARY_TITLE = "Response Times (sec)";

export interface SummaryRow {
  /** Unique within the table: the path of display names from the top, e.g. `total/duration`. */
  readonly key: string;
  /** 0 for top-level atomics and `total`; 1 for their children, and so on. */
  readonly depth: number;
  /** `foo`, ` -> bar`, `total`, ` -> duration`. */
  readonly label: string;
  readonly isTotal: boolean;
  /** The cells after the label, already formatted, in `SUMMARY_COLUMNS` order. */
  readonly cells: readonly string[];
}

/** The label of a row at `depth`: Rally's ` -> child` arrows, one dash more per level. */
export function rowLabel(name: string, depth: number): string {
  return depth === 0 ? name : ` ${"-".repeat(depth)}> ${name}`;
}

function cellsOf(node: StatsNode): string[] {
  const { data } = node;
  return [
    formatStat(data.min),
    formatStat(data.median),
    formatStat(data["90%ile"]),
    formatStat(data["95%ile"]),
    formatStat(data.max),
    formatStat(data.avg),
    data.success,
    String(data.iteration_count),
  ];
}

function flatten(node: StatsNode, parent: string, depth: number, isTotal: boolean, rows: SummaryRow[]): void {
  const path = parent ? `${parent}/${node.display_name}` : node.display_name;
  const repeats = rows.filter((row) => row.key === path || row.key.startsWith(`${path}#`)).length;
  rows.push({
    key: repeats === 0 ? path : `${path}#${repeats}`,
    depth,
    label: rowLabel(node.display_name, depth),
    isTotal: isTotal && depth === 0,
    cells: cellsOf(node),
  });
  for (const child of node.children) flatten(child, path, depth + 1, isTotal, rows);
}

export function summaryRows(statistics: WorkloadStatistics): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (const atomic of statistics.durations.atomics) flatten(atomic, "", 0, false, rows);
  flatten(statistics.durations.total, "", 0, true, rows);
  return rows;
}
