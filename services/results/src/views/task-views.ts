/**
 * Stored records → the HTTP contracts of `@paddock/shared/api`, and the opaque list cursor.
 */
import type { TaskDetail, TaskSummary, WorkloadView } from "@paddock/shared/api";
import { RequestInvalid } from "@paddock/shared/errors";
import type { TaskCursor, TaskRecord, TaskSummaryRecord, WorkloadRecord } from "../store/result-store.js";

/** Seconds from start to end; null while the task runs or when it never started. */
function durationOf(task: TaskSummaryRecord): number | null {
  if (task.startedAt === null || task.finishedAt === null) return null;
  return Math.max(0, (Date.parse(task.finishedAt) - Date.parse(task.startedAt)) / 1000);
}

export function toTaskSummary(task: TaskSummaryRecord): TaskSummary {
  return {
    id: task.id,
    title: task.title,
    description: task.description,
    status: task.status,
    tags: [...task.tags],
    environment: task.environment,
    scenarios: [...task.scenarios],
    source: task.source,
    createdAt: task.createdAt,
    updatedAt: task.updatedAt,
    passSla: task.passSla,
    duration: durationOf(task),
    iterations: task.iterations,
    failedIterations: task.failedIterations,
  };
}

export function toWorkloadView(workload: WorkloadRecord): WorkloadView {
  return {
    id: workload.id,
    subtaskIndex: workload.subtaskIndex,
    position: workload.position,
    subtaskTitle: workload.subtaskTitle,
    spec: workload.spec,
    status: workload.status,
    startTime: workload.startTime,
    loadDuration: workload.loadDuration,
    fullDuration: workload.fullDuration,
    totalIterationCount: workload.totalIterationCount,
    failedIterationCount: workload.failedIterationCount,
    storedIterationCount: workload.storedIterationCount,
    minDuration: workload.minDuration,
    maxDuration: workload.maxDuration,
    passSla: workload.passSla,
    slaResults: [...workload.slaResults],
    contextsResults: [...workload.contextsResults],
    hookResults: [...workload.hookResults],
    statistics: workload.statistics,
  };
}

export function toTaskDetail(task: TaskRecord, workloads: readonly WorkloadRecord[]): TaskDetail {
  return {
    ...toTaskSummary(task),
    input: task.input,
    args: { ...task.args },
    task: task.task,
    ...(task.reason === null ? {} : { reason: task.reason }),
    workloads: workloads.map(toWorkloadView),
  };
}

/** The opaque `cursor` of `GET /tasks`. */
export function encodeCursor(cursor: TaskCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id]), "utf8").toString("base64url");
}

export function decodeCursor(text: string): TaskCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === "string" &&
      typeof value[1] === "string"
    ) {
      return { createdAt: value[0], id: value[1] };
    }
  } catch {
    // Reported below like any other cursor that is not one of ours.
  }
  throw new RequestInvalid(
    `Invalid request: querystring/cursor '${text}' is not a cursor this service gave out`,
    {
      problems: [
        { path: "querystring/cursor", message: "is not a cursor this service gave out; use nextCursor" },
      ],
    },
  );
}
