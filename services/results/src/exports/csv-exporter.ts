/**
 * `csv`: one row per iteration of every workload, for spreadsheets and notebooks. Times are epoch
 * seconds, durations seconds. `atomic_actions` lists `name=seconds` pairs separated by `; `, nested
 * actions named `parent > child`.
 */
import type { IterationRecord } from "@paddock/shared/events";
import type { AtomicAction } from "@paddock/shared/task-model";
import type { ExportSource } from "./export-source.js";
import type { Exporter } from "./exporter.js";

export const CSV_COLUMNS = [
  "task_id",
  "subtask_index",
  "position",
  "workload_id",
  "scenario",
  "seq",
  "timestamp",
  "duration",
  "idle_duration",
  "error_type",
  "error_message",
  "atomic_actions",
] as const;

function cell(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** `name=seconds` pairs of `actions` and their children (`parent > child`), appended to `cells` after "; ". */
function atomicPairs(actions: readonly AtomicAction[], prefix: string, cells: string): string {
  let text = cells;
  for (const action of actions) {
    const name = `${prefix}${action.name}`;
    const seconds = action.finished_at === null ? "" : String(action.finished_at - action.started_at);
    text += text === "" ? `${name}=${seconds}` : `; ${name}=${seconds}`;
    if (action.children.length > 0) text = atomicPairs(action.children, `${name} > `, text);
  }
  return text;
}

/**
 * The rows of one page. The workload's own cells are the same on every row (`head`, escaped once);
 * numbers never need quoting; only the error and the atomic names are checked.
 */
function rows(head: string, page: readonly IterationRecord[]): string {
  let text = "";
  for (const iteration of page) {
    const [type, message] = iteration.error;
    text += `${head}${iteration.seq},${iteration.timestamp},${iteration.duration},${iteration.idle_duration},${
      type === undefined ? "" : cell(type)
    },${message === undefined ? "" : cell(message)},${cell(atomicPairs(iteration.atomic_actions, "", ""))}\n`;
  }
  return text;
}

async function* render(source: ExportSource): AsyncIterable<string> {
  yield `${CSV_COLUMNS.join(",")}\n`;
  for (const { task, workloads } of source.tasks) {
    for (const workload of workloads) {
      const head = `${[task.id, workload.subtaskIndex, workload.position, workload.id, workload.spec.scenario]
        .map(cell)
        .join(",")},`;
      for await (const page of source.iterations(workload)) yield rows(head, page);
    }
  }
}

export const csvExporter: Exporter = {
  contentType: "text/csv; charset=utf-8",
  extension: "csv",
  render,
};
