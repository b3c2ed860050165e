/**
 * `paddock task sla-check ID [--json]`: every SLA verdict of a task, as `rally task sla-check`
 * prints them. Exit 0 when all passed, 1 when any failed (Rally's codes).
 */
import { SlaCheck } from "@paddock/shared/api";
import { renderColumns } from "../../format/text-table.js";
import { type Command, flag } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { resultsHttp } from "./task-export.js";

export const taskSlaCheck: Command = {
  name: "task sla-check",
  args: "TASK_ID",
  summary: "Check a task's SLA; exit 1 when any criterion failed",
  options: { json: { type: "boolean", description: "Print the verdicts as JSON, Rally's shape" } },
  positionals: { min: 1, max: 1 },
  async run(context, line) {
    const taskId = line.positionals[0] as string;
    const check = await resultsHttp(context).request(
      "GET",
      `/tasks/${encodeURIComponent(taskId)}/sla`,
      SlaCheck,
    );
    if (flag(line, "json")) {
      context.io.out(JSON.stringify(check.results, null, 2));
    } else if (check.results.length === 0) {
      context.io.out(`Task ${taskId} has no SLA verdicts.`);
    } else {
      const table = renderColumns({
        headers: ["Benchmark", "Pos", "Criterion", "Status", "Detail"],
        rows: check.results.map((result) => [
          result.benchmark,
          String(result.pos),
          result.criterion,
          result.status,
          result.detail.replaceAll("\n", " "),
        ]),
      });
      for (const text of table) context.io.out(text);
    }
    return check.passed ? EXIT.ok : EXIT.error;
  },
};
