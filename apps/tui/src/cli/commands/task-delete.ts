/**
 * `paddock task delete ID... [--force]`: removes tasks and everything stored about them. A task
 * that is still running is refused unless `--force`. Every id is tried; exit 1 if any failed.
 */

import { type Command, flag } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { printError } from "../report-error.js";
import { resultsRequest } from "./task-export.js";

export const taskDelete: Command = {
  name: "task delete",
  args: "TASK_ID...",
  summary: "Delete tasks and all their results",
  options: { force: { type: "boolean", description: "Delete even while a task is running" } },
  positionals: { min: 1, max: Number.POSITIVE_INFINITY },
  async run(context, line) {
    const force = flag(line, "force");
    let failed = 0;
    for (const taskId of new Set(line.positionals)) {
      try {
        await resultsRequest(context, `/tasks/${encodeURIComponent(taskId)}`, {
          method: "DELETE",
          query: force ? { force: "true" } : {},
        });
        context.io.out(`Deleted task ${taskId}`);
      } catch (error) {
        failed += 1;
        printError(context.io, error, `paddock: task ${taskId}: `);
      }
    }
    return failed === 0 ? EXIT.ok : EXIT.error;
  },
};
