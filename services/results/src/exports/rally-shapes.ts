/**
 * Stored records → Rally's report shapes (format 1.2, `rally task report --json`): the task, its
 * subtasks, each workload's fields around `data[]`, contexts and hooks results and SLA verdicts
 * (an iteration's own text comes from `store/iteration-lines.ts`). Key order follows Rally's output.
 */
import { createHash } from "node:crypto";
import type { WorkloadStatistics } from "@paddock/shared/api";
import type { ContextResult } from "@paddock/shared/events";
import type { TaskStatus } from "@paddock/shared/task-model";
import type { TaskRecord, WorkloadRecord } from "../store/result-store.js";

/** Rally's `%Y-%m-%dT%H:%M:%S` (UTC) of an ISO-8601 time. */
export function rallyTime(iso: string): string {
  return new Date(iso).toISOString().slice(0, 19);
}

/** A uuid derived from `parts` (the same parts always give the same uuid): for ids Paddock does not store. */
export function derivedUuid(...parts: readonly string[]): string {
  const hex = createHash("sha1").update(parts.join("\u0000")).digest("hex");
  const variant = ((Number.parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Rally has no `queued`: a task waiting for a runner is still `init` there. */
export function rallyStatus(status: TaskStatus): string {
  return status === "queued" ? "init" : status;
}

/** A subtask as the export sees it: stored workloads grouped by `subtaskIndex`. */
export interface ExportSubtask {
  readonly index: number;
  readonly title: string;
  readonly description: string;
  readonly workloads: readonly WorkloadRecord[];
}

/** The task's workloads grouped into subtasks, in order; titles come from the task spec when known. */
export function subtasksOf(task: TaskRecord, workloads: readonly WorkloadRecord[]): ExportSubtask[] {
  const byIndex = new Map<number, WorkloadRecord[]>();
  for (const workload of workloads) {
    const group = byIndex.get(workload.subtaskIndex) ?? [];
    group.push(workload);
    byIndex.set(workload.subtaskIndex, group);
  }
  return [...byIndex.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, group]) => {
      const spec = task.task.subtasks[index];
      return {
        index,
        title: spec?.title ?? group[0]?.subtaskTitle ?? "",
        description: spec?.description ?? "",
        workloads: [...group].sort((a, b) => a.position - b.position),
      };
    });
}

/** The uuid of a subtask in exports: Paddock does not keep one, so it is derived from the task's. */
export function subtaskUuid(taskId: string, index: number): string {
  return derivedUuid("subtask", taskId, String(index));
}

/** The task's fields before `subtasks`. */
export function rallyTaskHead(task: TaskRecord): Record<string, unknown> {
  return {
    uuid: task.id,
    title: task.title,
    description: task.description,
    status: rallyStatus(task.status),
    tags: [...task.tags],
    env_uuid: derivedUuid("environment", task.environment),
    env_name: task.environment,
    created_at: rallyTime(task.createdAt),
    updated_at: rallyTime(task.updatedAt),
    pass_sla: task.passSla,
  };
}

export function rallySubtaskHead(task: TaskRecord, subtask: ExportSubtask): Record<string, unknown> {
  const created = subtask.workloads.map((workload) => workload.createdAt).sort()[0] ?? task.createdAt;
  const updated =
    subtask.workloads
      .map((workload) => workload.updatedAt)
      .sort()
      .at(-1) ?? task.updatedAt;
  return {
    uuid: subtaskUuid(task.id, subtask.index),
    title: subtask.title,
    description: subtask.description,
    status: rallyStatus(task.status),
    created_at: rallyTime(created),
    updated_at: rallyTime(updated),
    sla: {},
  };
}

function rallyHooks(workload: WorkloadRecord): Record<string, unknown>[] {
  return workload.spec.hooks.map((hook, index) => {
    const results = workload.hookResults
      .filter((entry) => entry.hookIndex === index)
      .map((entry) => entry.result);
    const summary: Record<string, number> = {};
    for (const result of results) summary[result.status] = (summary[result.status] ?? 0) + 1;
    return {
      config: {
        action: { [hook.action.name]: hook.action.args },
        trigger: { [hook.trigger.name]: hook.trigger.args },
        description: hook.description,
      },
      results,
      summary,
    };
  });
}

/** Rally's name of a context plugin result: `name@platform`. */
export function contextPluginName(name: string): string {
  return name.includes("@") ? name : `${name}@default`;
}

function contextConfig(workload: WorkloadRecord, name: string): unknown {
  const contexts = workload.spec.contexts;
  return contexts[name] ?? contexts[name.split("@")[0] as string] ?? {};
}

function rallyStage(result: ContextResult | undefined): Record<string, unknown> {
  return {
    started_at: result?.startedAt ?? null,
    finished_at: result?.finishedAt ?? null,
    atomic_actions: [],
    error: result === undefined || result.error.length === 0 ? null : result.error,
  };
}

function rallyContextsResults(workload: WorkloadRecord): Record<string, unknown>[] {
  const names: string[] = [];
  const stages = new Map<string, { setup?: ContextResult; cleanup?: ContextResult }>();
  for (const result of workload.contextsResults) {
    if (!stages.has(result.name)) {
      names.push(result.name);
      stages.set(result.name, {});
    }
    (stages.get(result.name) as { setup?: ContextResult; cleanup?: ContextResult })[result.stage] = result;
  }
  return names.map((name) => {
    const entry = stages.get(name) ?? {};
    return {
      plugin_name: contextPluginName(name),
      plugin_cfg: contextConfig(workload, name),
      setup: rallyStage(entry.setup),
      cleanup: rallyStage(entry.cleanup),
    };
  });
}

/** The statistics Rally shows for a workload without iterations. */
export function emptyStatistics(): WorkloadStatistics {
  const row = {
    iteration_count: 0,
    min: "n/a",
    median: "n/a",
    "90%ile": "n/a",
    "95%ile": "n/a",
    max: "n/a",
    avg: "n/a",
    success: "n/a",
  } as const;
  const node = (name: string) => ({
    data: { ...row },
    count_per_iteration: 1,
    name,
    display_name: name,
    children: [],
  });
  return {
    durations: {
      total: { ...node("total"), children: [node("duration"), node("idle_duration")] },
      atomics: [],
    },
  };
}

/**
 * The workload in two halves around its `data[]`: `head` holds the keys before `data`, `tail` the
 * keys after, so the iterations can be streamed in between.
 */
export function rallyWorkloadParts(
  workload: WorkloadRecord,
  statistics: WorkloadStatistics,
): { head: Record<string, unknown>; tail: Record<string, unknown> } {
  const { spec } = workload;
  return {
    head: {
      uuid: workload.id,
      description: spec.description,
      runner: { [spec.runner.type]: spec.runner.config },
      hooks: rallyHooks(workload),
      scenario: { [spec.scenario]: spec.args },
      min_duration: workload.minDuration,
      max_duration: workload.maxDuration,
      start_time: workload.startTime,
      load_duration: workload.loadDuration,
      full_duration: workload.fullDuration,
      statistics,
    },
    tail: {
      failed_iteration_count: workload.failedIterationCount || workload.storedFailedCount,
      total_iteration_count: workload.totalIterationCount || workload.storedIterationCount,
      created_at: rallyTime(workload.createdAt),
      updated_at: rallyTime(workload.updatedAt),
      contexts: spec.contexts,
      contexts_results: rallyContextsResults(workload),
      position: workload.position,
      pass_sla: workload.passSla,
      sla_results: { sla: [...workload.slaResults] },
      sla: spec.sla,
    },
  };
}
