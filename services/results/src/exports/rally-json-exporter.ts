/**
 * `json`: Rally's task report, format 1.2 (`rally task report --json`), which `rally task import`
 * reads. Written piece by piece: each workload's `data[]` is streamed a page of iterations at a
 * time between the workload's other keys, so a million iterations never sit in one string.
 */
import type { ExportSource } from "./export-source.js";
import type { Exporter } from "./exporter.js";
import {
  rallySubtaskHead,
  rallyTaskHead,
  rallyTime,
  rallyWorkloadParts,
  subtasksOf,
} from "./rally-shapes.js";

/** Rally's report format this exporter writes. */
export const RALLY_REPORT_FORMAT = "1.2";

/** `{"a":1,"b":2}` → `"a":1,"b":2`: the members of an object, to splice into a larger one. */
function members(value: Record<string, unknown>): string {
  return JSON.stringify(value).slice(1, -1);
}

async function* render(source: ExportSource): AsyncIterable<string | Uint8Array> {
  const info = {
    rally_version: source.producer,
    generated_at: rallyTime(source.generatedAt.toISOString()),
    format_version: RALLY_REPORT_FORMAT,
  };
  yield `{"info":${JSON.stringify(info)},"tasks":[`;
  for (const [taskIndex, { task, workloads }] of source.tasks.entries()) {
    yield `${taskIndex === 0 ? "" : ","}{${members(rallyTaskHead(task))},"subtasks":[`;
    for (const [subtaskIndex, subtask] of subtasksOf(task, workloads).entries()) {
      yield `${subtaskIndex === 0 ? "" : ","}{${members(rallySubtaskHead(task, subtask))},"workloads":[`;
      for (const [workloadIndex, workload] of subtask.workloads.entries()) {
        const parts = rallyWorkloadParts(workload, await source.statistics(workload));
        yield `${workloadIndex === 0 ? "" : ","}{${members(parts.head)},"data":[`;
        let first = true;
        for await (const piece of source.rallyIterations(workload)) {
          if (!first) yield ",";
          yield piece;
          first = false;
        }
        yield `],${members(parts.tail)}}`;
      }
      yield "]}";
    }
    yield "]}";
  }
  yield "]}\n";
}

export const rallyJsonExporter: Exporter = {
  contentType: "application/json; charset=utf-8",
  extension: "json",
  render,
};
