/**
 * Rally's task report (format 1.2, `rally task report --json` or Paddock's own `json` export) →
 * Paddock tasks. Task and workload uuids are kept; subtask uuids are not stored (Paddock derives
 * them). Iterations get `seq` in start order; statistics are recomputed, not copied.
 */
import type { ContextResult, HookResult, SlaResult } from "@paddock/shared/events";
import {
  FINAL_STATUSES,
  type HookSpec,
  type TaskStatus,
  type WorkloadSpec,
} from "@paddock/shared/task-model";
import { fromOldAtomicActions } from "../exports/old-atomic-actions.js";
import type { TaskRecord, WorkloadRecord } from "../store/result-store.js";
import type { JsonAt } from "./import-reader.js";
import {
  type ImportedTask,
  type ImportedWorkload,
  type Importer,
  type ImportOptions,
  isoOfRallyTime,
  readIteration,
  sequence,
} from "./imported-task.js";

/** Rally's task statuses that Paddock knows (all of them; `queued` is Paddock's own). */
const RALLY_STATUSES: readonly TaskStatus[] = [
  "init",
  "validating",
  "validated",
  "validation_failed",
  "running",
  "finished",
  "crashed",
  "aborting",
  "soft_aborting",
  "aborted",
  "sla_failed",
  "paused",
];

function record(at: JsonAt): Record<string, unknown> {
  return { ...at.object() };
}

function hookSpec(at: JsonAt): HookSpec {
  const config = at.get("config");
  const [action, actionArgs] = config.get("action").single();
  const [trigger, triggerArgs] = config.get("trigger").single();
  return {
    description: config.has("description") ? config.get("description").string() : "",
    action: { name: action, args: actionArgs },
    trigger: {
      name: trigger,
      args: (triggerArgs ?? {}) as Record<string, unknown>,
    },
  };
}

function contextResults(at: JsonAt): ContextResult[] {
  const name = at.get("plugin_name").string();
  return (["setup", "cleanup"] as const).flatMap((stage) => {
    if (!at.has(stage)) return [];
    const result = at.get(stage);
    const startedAt = result.get("started_at").numberOrNull();
    if (startedAt === null) return [];
    const error = result.get("error").value;
    return [
      {
        name,
        stage,
        startedAt,
        finishedAt: result.get("finished_at").numberOrNull() ?? startedAt,
        error:
          Array.isArray(error) && error.length > 0
            ? [String(error[0] ?? ""), String(error[1] ?? ""), String(error[2] ?? "")]
            : [],
      },
    ];
  });
}

function slaResult(at: JsonAt): SlaResult {
  return {
    criterion: at.get("criterion").string(),
    success: at.get("success").boolean(),
    detail: at.has("detail") ? at.get("detail").string() : "",
  };
}

function readWorkload(
  at: JsonAt,
  taskId: string,
  subtaskIndex: number,
  subtaskTitle: string,
): ImportedWorkload {
  const [scenario, args] = at.get("scenario").single();
  const [runnerType, runnerConfig] = at.get("runner").single();
  const hooksAt = at.has("hooks") ? at.get("hooks").array() : [];
  const spec: WorkloadSpec = {
    scenario,
    args: (args ?? {}) as Record<string, unknown>,
    runner: { type: runnerType, config: (runnerConfig ?? {}) as Record<string, unknown> },
    contexts: at.has("contexts") ? record(at.get("contexts")) : {},
    sla: at.has("sla") ? record(at.get("sla")) : {},
    hooks: hooksAt.map(hookSpec),
    description: at.has("description") ? at.get("description").string() : "",
  };
  const hookResults = hooksAt.flatMap((hook, hookIndex) =>
    (hook.has("results") ? hook.get("results").array() : []).map((result) => ({
      hookIndex,
      result: result.value as HookResult,
    })),
  );
  const iterations = sequence(
    at
      .get("data")
      .array()
      .map((item) => readIteration(item, fromOldAtomicActions)),
  );
  const failed = iterations.filter((iteration) => iteration.error.length > 0).length;
  const slaResults = at.has("sla_results") ? at.get("sla_results").get("sla").array().map(slaResult) : [];
  const createdAt = isoOfRallyTime(at.get("created_at"));
  const workload: WorkloadRecord = {
    id: at.get("uuid").string(),
    taskId,
    subtaskIndex,
    position: at.get("position").number(),
    subtaskTitle,
    spec,
    expectedIterations: iterations.length,
    status: "finished",
    startTime: at.has("start_time")
      ? at.get("start_time").numberOrNull()
      : (iterations[0]?.timestamp ?? null),
    loadDuration: at.has("load_duration") ? at.get("load_duration").number() : 0,
    fullDuration: at.has("full_duration") ? at.get("full_duration").number() : 0,
    totalIterationCount: at.has("total_iteration_count")
      ? at.get("total_iteration_count").number()
      : iterations.length,
    failedIterationCount: at.has("failed_iteration_count")
      ? at.get("failed_iteration_count").number()
      : failed,
    storedIterationCount: iterations.length,
    storedFailedCount: failed,
    minDuration: at.has("min_duration") ? at.get("min_duration").numberOrNull() : null,
    maxDuration: at.has("max_duration") ? at.get("max_duration").numberOrNull() : null,
    passSla: at.has("pass_sla") ? at.get("pass_sla").boolean() : slaResults.every((result) => result.success),
    slaResults,
    contextsResults: at.has("contexts_results")
      ? at.get("contexts_results").array().flatMap(contextResults)
      : [],
    hookResults,
    statistics: null,
    placeholder: false,
    createdAt,
    updatedAt: at.has("updated_at") ? isoOfRallyTime(at.get("updated_at")) : createdAt,
  };
  return { record: workload, iterations };
}

function readTask(at: JsonAt, options: ImportOptions): ImportedTask {
  const id = at.get("uuid").string();
  const statusAt = at.get("status");
  const status = statusAt.string() as TaskStatus;
  if (!RALLY_STATUSES.includes(status))
    statusAt.fail(`must be a Rally task status (${RALLY_STATUSES.join(", ")})`);
  const workloads: ImportedWorkload[] = [];
  const subtasks = at
    .get("subtasks")
    .array()
    .map((subtaskAt, subtaskIndex) => {
      const title = subtaskAt.has("title") ? subtaskAt.get("title").string() : "";
      const group = subtaskAt
        .get("workloads")
        .array()
        .map((workloadAt) => readWorkload(workloadAt, id, subtaskIndex, title));
      workloads.push(...group);
      return {
        title,
        description: subtaskAt.has("description") ? subtaskAt.get("description").string() : "",
        tags: [],
        runInParallel: false,
        workloads: group.map((workload) => workload.record.spec),
      };
    });
  const tags = [
    ...new Set([
      ...at
        .get("tags")
        .array()
        .map((tag) => tag.string()),
      ...options.tags,
    ]),
  ];
  const createdAt = isoOfRallyTime(at.get("created_at"));
  const updatedAt = isoOfRallyTime(at.get("updated_at"));
  const title = at.has("title") ? at.get("title").string() : "";
  const description = at.has("description") ? at.get("description").string() : "";
  const task: TaskRecord = {
    id,
    title,
    description,
    tags,
    environment: at.has("env_name") ? at.get("env_name").string() : "",
    source: { kind: "file", path: options.fileName, hash: options.hash },
    args: {},
    input: "",
    task: { title, description, tags, subtasks },
    status,
    passSla: at.has("pass_sla") ? at.get("pass_sla").boolean() : workloads.every((w) => w.record.passSla),
    runnerId: null,
    reason: null,
    createdAt,
    updatedAt,
    startedAt: createdAt,
    finishedAt: FINAL_STATUSES.includes(status) ? updatedAt : null,
    scenarios: [...new Set(workloads.map((workload) => workload.record.spec.scenario))],
    iterations: workloads.reduce((sum, workload) => sum + workload.iterations.length, 0),
    failedIterations: workloads.reduce((sum, workload) => sum + workload.record.failedIterationCount, 0),
    placeholder: false,
  };
  return { task, workloads };
}

export const rallyReportImporter: Importer = {
  accepts(document) {
    return (
      typeof document === "object" && document !== null && !Array.isArray(document) && "tasks" in document
    );
  },
  read(document, options) {
    const info = document.get("info");
    if (info.value !== undefined) {
      const version = info.get("format_version");
      if (version.value !== undefined && !String(version.value).startsWith("1.")) {
        version.fail(`must be a Rally report format 1.x, got '${String(version.value)}'`);
      }
    }
    return document
      .get("tasks")
      .array()
      .map((task) => readTask(task, options));
  },
};
