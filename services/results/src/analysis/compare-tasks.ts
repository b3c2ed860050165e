/**
 * Tasks side by side (`GET /compare`): workloads matched by subtask and position (falling back to
 * the same scenario), every statistic of every row with its change from the first task, and the
 * settings that differ between the matched workloads' specs, so a delta caused by a different
 * configuration is not mistaken for a regression.
 */
import type { ComparedMetric, ComparedWorkload, ConfigDifference, TaskComparison } from "@paddock/shared/api";
import type { WorkloadSpec } from "@paddock/shared/task-model";
import type { TaskRecord, WorkloadRecord } from "../store/result-store.js";
import { cellValue, rowsOf, STATISTICS, type StatisticName } from "./stats-rows.js";

export interface ComparedTaskInput {
  readonly task: TaskRecord;
  readonly workloads: readonly WorkloadRecord[];
}

/** Keeps float noise out of deltas: 9 decimals is far below Rally's 3. */
function tidy(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}

function delta(
  base: number | null,
  value: number | null,
  statistic: StatisticName,
): ComparedMetric["deltas"][number] {
  if (base === null || value === null) return { absolute: null, percent: null, verdict: "unknown" };
  const absolute = tidy(value - base);
  const percent = base === 0 ? null : tidy(((value - base) / Math.abs(base)) * 100);
  if (absolute === 0) return { absolute, percent, verdict: "same" };
  const higherIsBetter = statistic === "success";
  return { absolute, percent, verdict: absolute > 0 === higherIsBetter ? "better" : "worse" };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Leaf settings of a spec part by dotted path (lists are leaves). */
function leaves(value: unknown, path: string, into: Map<string, unknown>): Map<string, unknown> {
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    for (const [key, item] of Object.entries(value)) leaves(item, `${path}.${key}`, into);
  } else {
    into.set(path, value);
  }
  return into;
}

function comparableParts(spec: WorkloadSpec): Map<string, unknown> {
  const into = new Map<string, unknown>();
  into.set("scenario", spec.scenario);
  leaves(spec.args, "args", into);
  into.set("runner.type", spec.runner.type);
  leaves(spec.runner.config, "runner.config", into);
  leaves(spec.contexts, "contexts", into);
  leaves(spec.sla, "sla", into);
  into.set("hooks", spec.hooks);
  return into;
}

/** What differs between the workloads' specs; a task without the workload counts as differing. */
export function configDifferences(specs: readonly (WorkloadSpec | null)[]): ConfigDifference[] {
  const parts = specs.map((spec) => (spec === null ? null : comparableParts(spec)));
  const paths: string[] = [];
  for (const part of parts)
    for (const path of part?.keys() ?? []) if (!paths.includes(path)) paths.push(path);
  const differences: ConfigDifference[] = [];
  for (const path of paths) {
    const values = parts.map((part) => (part?.has(path) ? part.get(path) : null));
    const texts = new Set(values.map((value) => JSON.stringify(value ?? null)));
    if (texts.size > 1) differences.push({ path, values: values.map((value) => value ?? null) });
  }
  return differences;
}

function metricsOf(workloads: readonly (WorkloadRecord | null)[]): ComparedMetric[] {
  const tables = workloads.map((workload) => (workload?.statistics ? rowsOf(workload.statistics) : null));
  const rowNames: string[] = [];
  for (const table of tables)
    for (const name of table?.keys() ?? []) if (!rowNames.includes(name)) rowNames.push(name);
  return rowNames.flatMap((row) =>
    STATISTICS.map((statistic) => {
      const values = tables.map((table) => {
        const cells = table?.get(row);
        return cells === undefined ? null : cellValue(cells, statistic);
      });
      const base = values[0] ?? null;
      return {
        row,
        statistic,
        values,
        deltas: values.slice(1).map((value) => delta(base, value, statistic)),
      };
    }),
  );
}

/** Matches each task's workloads to the slots of the first task that has them. */
function matchWorkloads(inputs: readonly ComparedTaskInput[]): (WorkloadRecord | null)[][] {
  const slots: { subtaskIndex: number; position: number; scenario: string }[] = [];
  for (const { workloads } of inputs) {
    for (const workload of workloads) {
      if (
        !slots.some(
          (slot) => slot.subtaskIndex === workload.subtaskIndex && slot.position === workload.position,
        )
      ) {
        slots.push({
          subtaskIndex: workload.subtaskIndex,
          position: workload.position,
          scenario: workload.spec.scenario,
        });
      }
    }
  }
  slots.sort((a, b) => a.subtaskIndex - b.subtaskIndex || a.position - b.position);
  return slots.map((slot) =>
    inputs.map(({ workloads }) => {
      const exact = workloads.find(
        (workload) => workload.subtaskIndex === slot.subtaskIndex && workload.position === slot.position,
      );
      if (exact && exact.spec.scenario === slot.scenario) return exact;
      return workloads.find((workload) => workload.spec.scenario === slot.scenario) ?? exact ?? null;
    }),
  );
}

export function compareTasks(inputs: readonly ComparedTaskInput[]): TaskComparison {
  const warnings: string[] = [];
  const workloads: ComparedWorkload[] = matchWorkloads(inputs).map((matched) => {
    const first = matched.find((workload) => workload !== null) as WorkloadRecord;
    const label = `subtask ${first.subtaskIndex} workload ${first.position} (${first.spec.scenario})`;
    const differences = configDifferences(matched.map((workload) => workload?.spec ?? null));
    if (differences.length > 0) {
      warnings.push(
        `Configurations differ for ${label}: ${differences.map((difference) => difference.path).join(", ")}`,
      );
    }
    matched.forEach((workload, index) => {
      const taskId = inputs[index]?.task.id;
      if (workload === null) warnings.push(`Task ${taskId} has no workload matching ${label}`);
      else if (workload.statistics === null) warnings.push(`Task ${taskId}: ${label} has no statistics yet`);
    });
    return {
      subtaskIndex: first.subtaskIndex,
      position: first.position,
      scenario: first.spec.scenario,
      workloadIds: matched.map((workload) => workload?.id ?? null),
      metrics: metricsOf(matched),
      configDifferences: differences,
    };
  });
  return {
    tasks: inputs.map(({ task }) => ({
      id: task.id,
      title: task.title,
      createdAt: task.createdAt,
      status: task.status,
    })),
    workloads,
    warnings,
  };
}
