/**
 * `paddock task compare A B [C...] [--json]`: tasks side by side — each workload's statistics with
 * the change from the first task, and a warning naming every setting that differs.
 */
import { type ComparedWorkload, TaskComparison } from "@paddock/shared/api";
import { renderColumns } from "../../format/text-table.js";
import { type Command, flag } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { resultsHttp } from "./task-export.js";

/** The statistics shown in the text table (the JSON has all of them). */
const SHOWN = ["median", "90%ile", "95%ile", "max", "avg", "success"];

function value(number: number | null, statistic: string): string {
  if (number === null) return "n/a";
  return statistic === "success" ? `${number.toFixed(1)}%` : number.toFixed(3);
}

function deltaCell(delta: ComparedWorkload["metrics"][number]["deltas"][number]): string {
  if (delta.absolute === null) return "—";
  const sign = delta.absolute > 0 ? "+" : "";
  const percent = delta.percent === null ? "" : ` (${sign}${delta.percent.toFixed(1)}%)`;
  const verdict = delta.verdict === "same" ? "" : ` ${delta.verdict}`;
  return `${sign}${Number(delta.absolute.toFixed(6))}${percent}${verdict}`;
}

export const taskCompare: Command = {
  name: "task compare",
  args: "TASK_ID TASK_ID...",
  summary: "Compare tasks side by side (the first is the baseline)",
  options: { json: { type: "boolean", description: "Print the comparison as JSON" } },
  positionals: { min: 2, max: Number.POSITIVE_INFINITY },
  async run(context, line) {
    const comparison = await resultsHttp(context).request("GET", "/compare", TaskComparison, {
      query: { tasks: line.positionals.join(",") },
    });
    const { io } = context;
    if (flag(line, "json")) {
      io.out(JSON.stringify(comparison, null, 2));
      return EXIT.ok;
    }
    for (const warning of comparison.warnings) io.out(`WARNING: ${warning}`);
    const ids = comparison.tasks.map((task) => task.id);
    for (const workload of comparison.workloads) {
      io.out("");
      io.out(`${workload.subtaskIndex + 1}.${workload.position + 1} ${workload.scenario}`);
      for (const difference of workload.configDifferences) {
        io.out(
          `  differs: ${difference.path} = ${difference.values.map((item) => JSON.stringify(item)).join(" | ")}`,
        );
      }
      const rows = workload.metrics
        .filter((metric) => SHOWN.includes(metric.statistic))
        .map((metric) => [
          `${metric.row} ${metric.statistic}`,
          ...metric.values.map((number) => value(number, metric.statistic)),
          ...metric.deltas.map(deltaCell),
        ]);
      const table = renderColumns({
        headers: ["Statistic", ...ids, ...ids.slice(1).map((id) => `Δ ${id}`)],
        rows,
      });
      for (const text of table) io.out(`  ${text}`);
    }
    return EXIT.ok;
  },
};
