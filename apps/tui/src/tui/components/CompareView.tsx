/**
 * Two or more tasks side by side, per matched workload: each statistic of each row (total,
 * duration, atomics) for every task, the change from the first task coloured green when better
 * and red when worse, and the settings that differ between the tasks' workloads.
 */
import type { ComparedMetric, TaskComparison } from "@paddock/shared/api";
import { Box, Text } from "ink";
import { truncate } from "../../format/numbers.js";

/** A piece of a line and its colour. */
export interface Cell {
  readonly text: string;
  readonly color?: "green" | "red" | "cyan" | "yellow";
  readonly dim?: boolean;
  readonly bold?: boolean;
}

export interface CompareLines {
  readonly lines: readonly (readonly Cell[])[];
  /** Index of each workload's first line (for ←/→). */
  readonly workloadStarts: readonly number[];
}

/** Statistics shown per row, in Rally's order (`min` is in the JSON of `paddock task compare`). */
const SHOWN = ["median", "90%ile", "95%ile", "max", "avg", "success"];
const VALUE = 9;
const DELTA = 18;

function valueText(value: number | null, statistic: string): string {
  if (value === null) return "n/a";
  return statistic === "success" ? `${value.toFixed(1)}%` : value.toFixed(3);
}

function deltaCell(delta: ComparedMetric["deltas"][number], statistic: string): Cell {
  if (delta.absolute === null) return { text: "—".padStart(DELTA), dim: true };
  const sign = delta.absolute > 0 ? "+" : "";
  const absolute =
    statistic === "success" ? `${sign}${delta.absolute.toFixed(1)}` : `${sign}${delta.absolute.toFixed(3)}`;
  const percent = delta.percent === null ? "" : ` (${sign}${delta.percent.toFixed(1)}%)`;
  const text = ` ${absolute}${percent}`.padStart(DELTA);
  if (delta.verdict === "better") return { text, color: "green" };
  if (delta.verdict === "worse") return { text, color: "red" };
  return { text, dim: true };
}

function shortId(id: string): string {
  return id.slice(0, 8);
}

export function compareLines(comparison: TaskComparison, width: number): CompareLines {
  const count = comparison.tasks.length;
  const fixed = 2 + VALUE * count + DELTA * (count - 1);
  const label = Math.max(12, width - fixed - 1);
  const lines: Cell[][] = [];
  const workloadStarts: number[] = [];
  const header: Cell[] = [
    { text: `  ${"".padEnd(label)}`, bold: true },
    ...comparison.tasks.map((task) => ({ text: shortId(task.id).padStart(VALUE), bold: true })),
    ...comparison.tasks
      .slice(1)
      .map((task) => ({ text: `Δ ${shortId(task.id)}`.padStart(DELTA), bold: true })),
  ];
  for (const workload of comparison.workloads) {
    workloadStarts.push(lines.length);
    lines.push([
      { text: `${workload.subtaskIndex + 1}.${workload.position + 1} `, bold: true, color: "cyan" },
      { text: workload.scenario, bold: true },
      ...(workload.workloadIds.some((id) => id === null)
        ? [
            {
              text: `  (missing in ${workload.workloadIds.filter((id) => id === null).length} task(s))`,
              color: "yellow",
            } as const,
          ]
        : []),
    ]);
    if (workload.configDifferences.length > 0) {
      lines.push([{ text: "  configuration differs:", color: "yellow" }]);
      for (const difference of workload.configDifferences) {
        lines.push([
          {
            text: `    ${difference.path}: ${difference.values.map((value) => JSON.stringify(value) ?? "null").join(" → ")}`,
            color: "yellow",
          },
        ]);
      }
    }
    lines.push(header);
    for (const metric of workload.metrics.filter((item) => SHOWN.includes(item.statistic))) {
      lines.push([
        { text: `  ${truncate(`${metric.row} ${metric.statistic}`, label).padEnd(label)}` },
        ...metric.values.map((value) => ({ text: valueText(value, metric.statistic).padStart(VALUE) })),
        ...metric.deltas.map((delta) => deltaCell(delta, metric.statistic)),
      ]);
    }
    lines.push([{ text: "" }]);
  }
  return { lines, workloadStarts };
}

export interface CompareViewProps {
  readonly comparison: TaskComparison;
  /** First line shown. */
  readonly scroll: number;
  readonly width: number;
  readonly height: number;
}

/** Lines of the comparison shown below the task list and warnings. */
export function compareHeaderLines(comparison: TaskComparison): number {
  return comparison.tasks.length + comparison.warnings.length + 1;
}

export function CompareView({ comparison, scroll, width, height }: CompareViewProps) {
  const { lines } = compareLines(comparison, width);
  const rows = Math.max(1, height - compareHeaderLines(comparison));
  const start = Math.max(0, Math.min(scroll, lines.length - rows));
  return (
    <Box flexDirection="column" width={width} height={height}>
      {comparison.tasks.map((task, index) => (
        <Text key={task.id} wrap="truncate-end">
          <Text bold>{index === 0 ? "baseline " : `vs ${index}     `}</Text>
          {shortId(task.id)} {task.title || "untitled"}{" "}
          <Text dimColor>
            ({task.createdAt.slice(0, 16).replace("T", " ")}, {task.status})
          </Text>
        </Text>
      ))}
      {comparison.warnings.map((warning) => (
        <Text key={warning} color="yellow" wrap="truncate-end">
          ⚠ {warning}
        </Text>
      ))}
      <Text dimColor wrap="truncate-end">
        {comparison.workloads.length} matched workload{comparison.workloads.length === 1 ? "" : "s"} · green
        better, red worse than the baseline
        {lines.length > rows
          ? ` · lines ${start + 1}-${Math.min(lines.length, start + rows)} of ${lines.length}`
          : ""}
      </Text>
      {lines.slice(start, start + rows).map((cells, offset) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines are positional.
        <Text key={start + offset} wrap="truncate-end">
          {cells.length === 1 && cells[0]?.text === "" ? " " : null}
          {cells.map((cell, index) => (
            <Text
              // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional.
              key={index}
              {...(cell.color ? { color: cell.color } : {})}
              dimColor={cell.dim ?? false}
              bold={cell.bold ?? false}
            >
              {cell.text}
            </Text>
          ))}
        </Text>
      ))}
    </Box>
  );
}
