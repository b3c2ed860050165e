/**
 * `paddock task report ID... [--out F] [--json]`: Rally's JSON report (format 1.2) of one or more
 * tasks in one file, which `rally task import` reads.
 */
import { type Command, stringOption } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { deliverBody, resultsRequest } from "./task-export.js";

export const taskReport: Command = {
  name: "task report",
  args: "TASK_ID...",
  summary: "Write the Rally JSON report (format 1.2) of one or more tasks",
  options: {
    out: { type: "string", value: "FILE", description: "Write the report to FILE instead of printing it" },
    json: { type: "boolean", description: "JSON report (Rally's format 1.2; the only format so far)" },
  },
  positionals: { min: 1, max: Number.POSITIVE_INFINITY },
  async run(context, line) {
    const ids = [...new Set(line.positionals)];
    const response = await resultsRequest(context, "/export", {
      query: { tasks: ids.join(","), type: "json" },
    });
    const file = stringOption(line, "out");
    await deliverBody(context, response, file);
    if (file !== undefined) context.io.err(`Wrote the report of ${ids.length} task(s) to ${file}`);
    return EXIT.ok;
  },
};
