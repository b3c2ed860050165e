/**
 * `paddock task report ID... [--out F] [--html|--json]`: one report of one or more tasks. As in
 * Rally, the report is HTML unless `--json` asks for Rally's JSON report (format 1.2, which
 * `rally task import` reads). The HTML is one self-contained file (no network needed to view it).
 */
import type { ExportType } from "@paddock/shared/api";
import { UsageError } from "../../errors.js";
import { type Command, flag, stringOption } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { deliverBody, resultsRequest } from "./task-export.js";

export const taskReport: Command = {
  name: "task report",
  args: "TASK_ID...",
  summary: "Write the report of one or more tasks: self-contained HTML, or Rally's JSON (format 1.2)",
  options: {
    out: { type: "string", value: "FILE", description: "Write the report to FILE instead of printing it" },
    html: { type: "boolean", description: "Self-contained HTML report (the default, as in Rally)" },
    json: {
      type: "boolean",
      description: "Rally's JSON report (format 1.2), which `rally task import` reads",
    },
  },
  positionals: { min: 1, max: Number.POSITIVE_INFINITY },
  async run(context, line) {
    if (flag(line, "html") && flag(line, "json")) {
      throw new UsageError("--html and --json exclude each other: give one", "task report");
    }
    const type: ExportType = flag(line, "json") ? "json" : "html";
    const ids = [...new Set(line.positionals)];
    const response = await resultsRequest(context, "/export", { query: { tasks: ids.join(","), type } });
    const file = stringOption(line, "out");
    await deliverBody(context, response, file);
    if (file !== undefined) {
      context.io.err(
        `Wrote the ${type === "html" ? "HTML" : "JSON"} report of ${ids.length} task(s) to ${file}`,
      );
    }
    return EXIT.ok;
  },
};
