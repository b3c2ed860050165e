/**
 * `paddock task abort ID [--soft]`: asks the runner to stop a task; `--soft` lets the running
 * iterations end.
 */
import { type Command, flag } from "../command.js";
import { EXIT } from "../exit-codes.js";

export const taskAbort: Command = {
  name: "task abort",
  args: "TASK_ID",
  summary: "Abort a running task",
  options: { soft: { type: "boolean", description: "Let the iterations in flight finish first" } },
  positionals: { min: 1, max: 1 },
  async run(context, line) {
    const taskId = line.positionals[0] as string;
    const soft = flag(line, "soft");
    const result = await context.clients().runner.abortTask(taskId, soft);
    context.io.out(
      `Task ${taskId}: ${soft ? "soft" : "hard"} abort requested${result.status ? ` (status ${result.status})` : ""}`,
    );
    return EXIT.ok;
  },
};
