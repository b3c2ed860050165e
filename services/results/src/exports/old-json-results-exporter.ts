/**
 * `old-json-results`: Rally's old results format (`rally task results`): a list with one entry per
 * workload, iterations with flat atomic actions. `created_at` is written the right way round
 * (Rally swaps month and day there).
 */
import type { ExportSource } from "./export-source.js";
import type { Exporter } from "./exporter.js";
import { toOldAtomicActions } from "./old-atomic-actions.js";
import { rallyTime } from "./rally-shapes.js";

async function* render(source: ExportSource): AsyncIterable<string> {
  yield "[";
  let firstEntry = true;
  for (const { workloads } of source.tasks) {
    for (const workload of workloads) {
      const { spec } = workload;
      const hooks = spec.hooks.map((hook) => ({
        name: hook.action.name,
        args: hook.action.args,
        description: hook.description,
        trigger: hook.trigger,
      }));
      const key = {
        name: spec.scenario,
        description: spec.description,
        pos: workload.position,
        kw: {
          args: spec.args,
          runner: { ...spec.runner.config, type: spec.runner.type },
          context: spec.contexts,
          sla: spec.sla,
          hooks,
        },
      };
      yield `${firstEntry ? "" : ","}{"key":${JSON.stringify(key)},"result":[`;
      firstEntry = false;
      let first = true;
      for await (const page of source.iterations(workload)) {
        const text = page
          .map((iteration) =>
            JSON.stringify({
              duration: iteration.duration,
              timestamp: iteration.timestamp,
              idle_duration: iteration.idle_duration,
              error: iteration.error,
              output: iteration.output,
              atomic_actions: toOldAtomicActions(iteration.atomic_actions),
            }),
          )
          .join(",");
        yield first ? text : `,${text}`;
        first = false;
      }
      const hookResults = hooks.map((config, index) => {
        const results = workload.hookResults
          .filter((entry) => entry.hookIndex === index)
          .map((entry) => entry.result);
        const summary: Record<string, number> = {};
        for (const result of results) summary[result.status] = (summary[result.status] ?? 0) + 1;
        return { config, results, summary };
      });
      const tail = {
        sla: workload.slaResults,
        hooks: hookResults,
        load_duration: workload.loadDuration,
        full_duration: workload.fullDuration,
        created_at: rallyTime(workload.createdAt),
      };
      yield `],${JSON.stringify(tail).slice(1)}`;
    }
  }
  yield "]\n";
}

export const oldJsonResultsExporter: Exporter = {
  contentType: "application/json; charset=utf-8",
  extension: "json",
  render,
};
