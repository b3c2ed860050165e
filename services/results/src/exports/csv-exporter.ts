/**
 * `csv`: one row per iteration of every workload, for spreadsheets and notebooks. Times are epoch
 * seconds, durations seconds. `atomic_actions` lists `name=seconds` pairs separated by `; `, nested
 * actions named `parent > child`.
 */
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

function atomicPairs(actions: readonly AtomicAction[], prefix = ""): string[] {
  return actions.flatMap((action) => {
    const name = `${prefix}${action.name}`;
    const seconds = action.finished_at === null ? "" : String(action.finished_at - action.started_at);
    return [`${name}=${seconds}`, ...atomicPairs(action.children, `${name} > `)];
  });
}

async function* render(source: ExportSource): AsyncIterable<string> {
  yield `${CSV_COLUMNS.join(",")}\n`;
  for (const { task, workloads } of source.tasks) {
    for (const workload of workloads) {
      for await (const page of source.iterations(workload)) {
        yield page
          .map(
            (iteration) =>
              `${[
                task.id,
                workload.subtaskIndex,
                workload.position,
                workload.id,
                workload.spec.scenario,
                iteration.seq,
                iteration.timestamp,
                iteration.duration,
                iteration.idle_duration,
                iteration.error[0] ?? "",
                iteration.error[1] ?? "",
                atomicPairs(iteration.atomic_actions).join("; "),
              ]
                .map(cell)
                .join(",")}\n`,
          )
          .join("");
      }
    }
  }
}

export const csvExporter: Exporter = {
  contentType: "text/csv; charset=utf-8",
  extension: "csv",
  render,
};
