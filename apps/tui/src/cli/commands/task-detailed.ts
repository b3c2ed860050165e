/**
 * `paddock task detailed ID [--iterations-data]`: Rally's detailed report of a task — per workload
 * the response-time table, durations, failures and SLA — and with `--iterations-data` every
 * iteration (start offset, duration, idle time, error).
 */
import { IterationPage, TaskDetail, type WorkloadView } from "@paddock/shared/api";
import { formatSeconds } from "../../format/numbers.js";
import { taskReport } from "../../format/task-report.js";
import { renderColumns } from "../../format/text-table.js";
import { type Command, type CommandContext, flag } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { resultsHttp } from "./task-export.js";

/** Iterations fetched per request. */
const PAGE = 1000;

async function printIterations(
  context: CommandContext,
  taskId: string,
  workload: WorkloadView,
): Promise<void> {
  const http = resultsHttp(context);
  const path = `/tasks/${encodeURIComponent(taskId)}/workloads/${encodeURIComponent(workload.id)}/iterations`;
  const rows: string[][] = [];
  const start = workload.startTime;
  for (let offset = 0; ; offset += PAGE) {
    const page = await http.request("GET", path, IterationPage, {
      query: { offset: String(offset), limit: String(PAGE) },
    });
    for (const iteration of page.iterations) {
      rows.push([
        String(iteration.seq + 1),
        start === null ? "" : formatSeconds(iteration.timestamp - start),
        formatSeconds(iteration.duration),
        formatSeconds(iteration.idle_duration),
        iteration.error.length === 0
          ? ""
          : `${iteration.error[0]}: ${iteration.error[1]}`.replaceAll("\n", " "),
      ]);
    }
    if (page.iterations.length < PAGE) break;
  }
  context.io.out("");
  context.io.out(`Iterations of ${workload.spec.scenario} (${rows.length})`);
  const table = renderColumns({
    headers: ["#", "Started (s)", "Duration", "Idle", "Error"],
    rows,
    align: ["right", "right", "right", "right", "left"],
  });
  for (const text of table) context.io.out(text);
}

export const taskDetailed: Command = {
  name: "task detailed",
  args: "TASK_ID",
  summary: "Show a task's detailed report (optionally every iteration)",
  options: {
    "iterations-data": { type: "boolean", description: "Also list every iteration of every workload" },
    json: { type: "boolean", description: "Print the results service's TaskDetail as JSON" },
  },
  positionals: { min: 1, max: 1 },
  async run(context, line) {
    const taskId = line.positionals[0] as string;
    const detail = await resultsHttp(context).request(
      "GET",
      `/tasks/${encodeURIComponent(taskId)}`,
      TaskDetail,
    );
    if (flag(line, "json")) {
      context.io.out(JSON.stringify(detail, null, 2));
      return EXIT.ok;
    }
    for (const text of taskReport(detail)) context.io.out(text);
    if (flag(line, "iterations-data")) {
      for (const workload of detail.workloads) await printIterations(context, detail.id, workload);
    }
    return EXIT.ok;
  },
};
