/**
 * `paddock task trends SCENARIO [--env E] [--tag T] [--limit N] [--json]`: one scenario's
 * statistics across tasks over time, oldest first.
 */
import { Trend, type TrendFigures } from "@paddock/shared/api";
import { UsageError } from "../../errors.js";
import { formatTime } from "../../format/numbers.js";
import { renderColumns } from "../../format/text-table.js";
import { type Command, flag, stringOption } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { resultsHttp } from "./task-export.js";

function seconds(value: number | null): string {
  return value === null ? "n/a" : value.toFixed(3);
}

function figureCells(figures: TrendFigures): string[] {
  return [
    seconds(figures.median),
    seconds(figures.p90),
    seconds(figures.p95),
    seconds(figures.max),
    seconds(figures.avg),
    `${figures.successRate.toFixed(1)}%`,
  ];
}

export const taskTrends: Command = {
  name: "task trends",
  args: "SCENARIO",
  summary: "Show how one scenario's response times changed across tasks",
  options: {
    env: { type: "string", value: "ENV", description: "Only tasks run against this environment" },
    tag: { type: "string", value: "TAG", description: "Only tasks with this tag" },
    limit: { type: "string", value: "N", description: "The newest N tasks (default 50)" },
    atomic: {
      type: "string",
      value: "NAME",
      description: "Show this atomic action's figures instead of the total",
    },
    json: { type: "boolean", description: "Print the trend as JSON" },
  },
  positionals: { min: 1, max: 1 },
  async run(context, line) {
    const scenario = line.positionals[0] as string;
    const limit = stringOption(line, "limit") ?? "50";
    if (!/^[1-9]\d*$/.test(limit))
      throw new UsageError(`--limit must be a positive integer, got '${limit}'`, "task trends");
    const trend = await resultsHttp(context).request("GET", "/trends", Trend, {
      query: { scenario, environment: stringOption(line, "env"), tag: stringOption(line, "tag"), limit },
    });
    if (flag(line, "json")) {
      context.io.out(JSON.stringify(trend, null, 2));
      return EXIT.ok;
    }
    if (trend.points.length === 0) {
      context.io.out(`No finished workload of ${scenario} found.`);
      return EXIT.ok;
    }
    const atomic = stringOption(line, "atomic");
    context.io.out(`${scenario}${atomic ? ` — atomic ${atomic}` : ""} (seconds)`);
    const table = renderColumns({
      headers: ["Started", "Task", "Iterations", "Median", "90%ile", "95%ile", "Max", "Avg", "Success"],
      rows: trend.points.map((point) => {
        const figures = atomic === undefined ? point.total : point.atomics[atomic];
        return [
          formatTime(point.createdAt),
          point.taskId,
          String(point.iterations),
          ...(figures === undefined ? ["—", "—", "—", "—", "—", "—"] : figureCells(figures)),
        ];
      }),
      align: ["left", "left", "right", "right", "right", "right", "right", "right", "right"],
    });
    for (const text of table) context.io.out(text);
    return EXIT.ok;
  },
};
