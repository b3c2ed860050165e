/**
 * `paddock task list`: the task history from the results service, newest first.
 */
import type { TaskSummary } from "@paddock/shared/api";
import { UsageError } from "../../errors.js";
import { formatDuration, formatTime, truncate } from "../../format/numbers.js";
import { renderColumns } from "../../format/text-table.js";
import { type Command, flag, stringOption } from "../command.js";
import { EXIT } from "../exit-codes.js";

function slaCell(task: TaskSummary): string {
  if (task.status === "finished") return task.passSla ? "pass" : "FAIL";
  return "—";
}

export const taskList: Command = {
  name: "task list",
  args: "",
  summary: "List tasks (newest first)",
  options: {
    status: {
      type: "string",
      value: "STATUS",
      description: "Only tasks in this status (finished, running, ...)",
    },
    tag: { type: "string", value: "TAG", description: "Only tasks with this tag" },
    query: { type: "string", value: "TEXT", description: "Only tasks whose title or scenarios contain TEXT" },
    limit: { type: "string", value: "N", description: "At most N tasks (default 50)" },
    json: { type: "boolean", description: "Print the tasks as JSON" },
    "uuids-only": { type: "boolean", description: "Print only the task ids, one per line" },
  },
  positionals: { min: 0, max: 0 },
  async run(context, line) {
    const rawLimit = stringOption(line, "limit") ?? "50";
    const limit = Number(rawLimit);
    if (!Number.isInteger(limit) || limit < 1) {
      throw new UsageError(`--limit must be a positive integer, got '${rawLimit}'`, "task list");
    }
    const { results } = context.clients();
    const filter = {
      status: stringOption(line, "status"),
      tag: stringOption(line, "tag"),
      q: stringOption(line, "query"),
    };
    const tasks: TaskSummary[] = [];
    let cursor: string | undefined;
    do {
      const page = await results.listTasks(cursor === undefined ? filter : { ...filter, cursor });
      tasks.push(...page.tasks);
      cursor = page.nextCursor;
    } while (cursor !== undefined && tasks.length < limit);
    const shown = tasks.slice(0, limit);
    const { io } = context;
    if (flag(line, "json")) {
      io.out(JSON.stringify({ tasks: shown }, null, 2));
    } else if (flag(line, "uuids-only")) {
      for (const task of shown) io.out(task.id);
    } else if (shown.length === 0) {
      const filtered = Object.values(filter).some((value) => value !== undefined);
      io.out(
        filtered ? "No tasks match." : "No tasks yet. Start one with: paddock task start SCENARIO_ID_OR_FILE",
      );
    } else {
      const table = renderColumns({
        headers: ["UUID", "Status", "SLA", "Title", "Scenarios", "Env", "Tags", "Started", "Duration"],
        rows: shown.map((task) => [
          task.id,
          task.status,
          slaCell(task),
          truncate(task.title || "—", 30),
          truncate(task.scenarios.join(",") || "—", 30),
          task.environment,
          task.tags.join(",") || "—",
          formatTime(task.createdAt),
          formatDuration(task.duration),
        ]),
      });
      for (const text of table) io.out(text);
    }
    return EXIT.ok;
  },
};
