/**
 * Rally's response-time table of one workload in the TUI: the same rows as the CLI
 * (`summaryRows`), short column titles, the action column taking the width that is left.
 */
import type { WorkloadStatistics } from "@paddock/shared/api";
import { Box, Text } from "ink";
import { truncate } from "../../format/numbers.js";
import { SUMMARY_COLUMNS, SUMMARY_TITLE, summaryRows } from "../../format/summary-table.js";

export interface SummaryTableProps {
  readonly statistics: WorkloadStatistics;
  readonly width: number;
  /** At most this many rows below the header (the rest is cut with a note). */
  readonly maxRows?: number;
}

export function summaryLayout(statistics: WorkloadStatistics, width: number) {
  const rows = summaryRows(statistics);
  const valueWidths = SUMMARY_COLUMNS.slice(1).map((column, index) =>
    Math.max(column.short.length, ...rows.map((row) => (row.cells[index] ?? "").length)),
  );
  const used = valueWidths.reduce((sum, cell) => sum + cell + 1, 0);
  const labelWidth = Math.max(6, width - used);
  return { rows, valueWidths, labelWidth };
}

export function SummaryTable({ statistics, width, maxRows }: SummaryTableProps) {
  const { rows, valueWidths, labelWidth } = summaryLayout(statistics, width);
  const shown =
    maxRows !== undefined && rows.length > maxRows ? rows.slice(0, Math.max(1, maxRows - 1)) : rows;
  const line = (label: string, cells: readonly string[]) =>
    `${truncate(label, labelWidth).padEnd(labelWidth)}${cells.map((cell, index) => ` ${cell.padStart(valueWidths[index] ?? 0)}`).join("")}`;
  return (
    <Box flexDirection="column">
      <Text dimColor>{SUMMARY_TITLE}</Text>
      <Text bold wrap="truncate-end">
        {line(
          "Action",
          SUMMARY_COLUMNS.slice(1).map((column) => column.short),
        )}
      </Text>
      {shown.map((row) => (
        <Text
          key={row.key}
          wrap="truncate-end"
          bold={row.isTotal}
          dimColor={row.depth > 0 && !row.isTotal && row.label.includes("idle_duration")}
        >
          {line(row.label, row.cells)}
        </Text>
      ))}
      {shown.length < rows.length ? (
        <Text dimColor>… {rows.length - shown.length} more rows (see paddock task status)</Text>
      ) : null}
    </Box>
  );
}
