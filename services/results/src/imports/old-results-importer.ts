/**
 * Rally's old results (`rally task results`): a list with one entry per workload and no uuids →
 * one Paddock task with fresh ids. A new subtask starts wherever `pos` does not continue the
 * previous entry's. Rally writes `created_at` with month and day swapped; the reading that lies
 * closer to the workload's first iteration wins.
 */
import type { HookResult, SlaResult } from "@paddock/shared/events";
import type { HookSpec, SubtaskSpec, WorkloadSpec } from "@paddock/shared/task-model";
import { fromOldAtomicActions } from "../exports/old-atomic-actions.js";
import type { TaskRecord, WorkloadRecord } from "../store/result-store.js";
import type { JsonAt } from "./import-reader.js";
import {
  type ImportedWorkload,
  type Importer,
  readIteration,
  sequence,
  successfulRange,
} from "./imported-task.js";

const OLD_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}:\d{2}:\d{2}(?:\.\d+)?)$/;

/** `created_at` read either way round; the one nearer `near` (epoch seconds) when both are dates. */
function oldCreatedAt(at: JsonAt, near: number | null): string {
  const text = at.string();
  const match = OLD_TIME.exec(text);
  if (!match) at.fail(`must be a time like 2026-23-11T22:39:22, got '${text}'`);
  const [, year, first, second, clock] = match as unknown as [string, string, string, string, string];
  const readings = [`${year}-${second}-${first}T${clock}Z`, `${year}-${first}-${second}T${clock}Z`]
    .map((candidate) => ({ candidate, time: Date.parse(candidate) }))
    .filter(
      ({ candidate, time }) =>
        !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === candidate.slice(0, 10),
    );
  if (readings.length === 0) at.fail(`is not a date either way round: '${text}'`);
  const best =
    near === null
      ? readings[0]
      : readings.reduce((a, b) => (Math.abs(b.time / 1000 - near) < Math.abs(a.time / 1000 - near) ? b : a));
  return new Date((best as { time: number }).time).toISOString();
}

function hookSpec(at: JsonAt): HookSpec {
  const trigger = at.get("trigger");
  return {
    description: at.has("description") ? at.get("description").string() : "",
    action: { name: at.get("name").string(), args: at.get("args").value },
    trigger: {
      name: trigger.get("name").string(),
      args: trigger.has("args") ? { ...trigger.get("args").object() } : {},
    },
  };
}

function readEntry(at: JsonAt, taskId: string, workloadId: string, subtaskIndex: number): ImportedWorkload {
  const key = at.get("key");
  const kw = key.get("kw");
  const { type, ...runnerConfig } = kw.get("runner").object();
  if (typeof type !== "string") kw.get("runner").get("type").string();
  const spec: WorkloadSpec = {
    scenario: key.get("name").string(),
    args: kw.has("args") ? { ...kw.get("args").object() } : {},
    runner: { type: type as string, config: runnerConfig },
    contexts: kw.has("context") ? { ...kw.get("context").object() } : {},
    sla: kw.has("sla") ? { ...kw.get("sla").object() } : {},
    hooks: kw.has("hooks") && kw.get("hooks").value !== null ? kw.get("hooks").array().map(hookSpec) : [],
    description: key.has("description") ? key.get("description").string() : "",
  };
  const iterations = sequence(
    at
      .get("result")
      .array()
      .map((item) => readIteration(item, fromOldAtomicActions)),
  );
  const failed = iterations.filter((iteration) => iteration.error.length > 0).length;
  const slaResults: SlaResult[] = (at.has("sla") ? at.get("sla").array() : []).map((item) => ({
    criterion: item.get("criterion").string(),
    success: item.get("success").boolean(),
    detail: item.has("detail") ? item.get("detail").string() : "",
  }));
  const hooksAt = at.has("hooks") && at.get("hooks").value !== null ? at.get("hooks").array() : [];
  const hookResults = hooksAt.flatMap((hook, hookIndex) =>
    (hook.has("results") ? hook.get("results").array() : []).map((result) => ({
      hookIndex,
      result: result.value as HookResult,
    })),
  );
  const startTime = iterations[0]?.timestamp ?? null;
  const createdAt = oldCreatedAt(at.get("created_at"), startTime);
  const fullDuration = at.has("full_duration") ? at.get("full_duration").number() : 0;
  const range = successfulRange(iterations);
  const workload: WorkloadRecord = {
    id: workloadId,
    taskId,
    subtaskIndex,
    position: key.get("pos").number(),
    subtaskTitle: spec.scenario,
    spec,
    expectedIterations: iterations.length,
    status: "finished",
    startTime,
    loadDuration: at.has("load_duration") ? at.get("load_duration").number() : 0,
    fullDuration,
    totalIterationCount: iterations.length,
    failedIterationCount: failed,
    storedIterationCount: iterations.length,
    storedFailedCount: failed,
    minDuration: range.min,
    maxDuration: range.max,
    passSla: slaResults.every((result) => result.success),
    slaResults,
    contextsResults: [],
    hookResults,
    statistics: null,
    placeholder: false,
    createdAt,
    updatedAt: new Date(Date.parse(createdAt) + Math.round(fullDuration * 1000)).toISOString(),
  };
  return { record: workload, iterations };
}

export const oldResultsImporter: Importer = {
  accepts(document) {
    return Array.isArray(document);
  },
  read(document, options) {
    const taskId = options.newId();
    const entries = document.array();
    if (entries.length === 0) document.fail("holds no workloads");
    const workloads: ImportedWorkload[] = [];
    let subtaskIndex = -1;
    let previous = Number.NaN;
    for (const entry of entries) {
      const pos = entry.get("key").get("pos").number();
      if (pos !== previous + 1) subtaskIndex += 1;
      previous = pos;
      workloads.push(readEntry(entry, taskId, options.newId(), subtaskIndex));
    }
    const subtasks: SubtaskSpec[] = [];
    for (const { record } of workloads) {
      const subtask = subtasks[record.subtaskIndex];
      if (subtask) subtask.workloads.push(record.spec);
      else {
        subtasks[record.subtaskIndex] = {
          title: record.subtaskTitle,
          description: "",
          tags: [],
          runInParallel: false,
          workloads: [record.spec],
        };
      }
    }
    const createdAt = workloads.map((workload) => workload.record.createdAt).sort()[0] as string;
    const updatedAt = workloads
      .map((workload) => workload.record.updatedAt)
      .sort()
      .at(-1) as string;
    const tags = [...new Set(options.tags)];
    const title = `Imported from ${options.fileName}`;
    const task: TaskRecord = {
      id: taskId,
      title,
      description: "",
      tags,
      environment: "",
      source: { kind: "file", path: options.fileName, hash: options.hash },
      args: {},
      input: "",
      task: { title, description: "", tags, subtasks },
      status: "finished",
      passSla: workloads.every((workload) => workload.record.passSla),
      runnerId: null,
      reason: null,
      createdAt,
      updatedAt,
      startedAt: createdAt,
      finishedAt: updatedAt,
      scenarios: [...new Set(workloads.map((workload) => workload.record.spec.scenario))],
      iterations: workloads.reduce((sum, workload) => sum + workload.iterations.length, 0),
      failedIterations: workloads.reduce((sum, workload) => sum + workload.record.failedIterationCount, 0),
      placeholder: false,
    };
    return [{ task, workloads }];
  },
};
