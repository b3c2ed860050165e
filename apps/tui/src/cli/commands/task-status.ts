/**
 * `paddock task status ID`: the task's status and, once its workloads have finished, Rally's
 * report (Response Times, durations, SLA).
 */
import { taskReport } from "../../format/task-report.js";
import { type Command, flag } from "../command.js";
import { EXIT } from "../exit-codes.js";

export const taskStatus: Command = {
  name: "task status",
  args: "TASK_ID",
  summary: "Show a task's status and report",
  options: { json: { type: "boolean", description: "Print the results service's TaskDetail as JSON" } },
  positionals: { min: 1, max: 1 },
  async run(context, line) {
    const detail = await context.clients().results.getTask(line.positionals[0] as string);
    if (flag(line, "json")) {
      context.io.out(JSON.stringify(detail, null, 2));
    } else {
      for (const text of taskReport(detail)) context.io.out(text);
    }
    return EXIT.ok;
  },
};
