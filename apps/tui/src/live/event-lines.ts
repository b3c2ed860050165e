/**
 * One line of text per interesting event, for `task start --wait`. Every line starts with
 * `Task <id>:`, `Workload <n.m>` or `  <n.m> progress` so scripts can tell them apart.
 */
import type { AnyPaddockEvent } from "@paddock/shared/events";
import { formatCount, formatLatency, formatRate, formatSeconds } from "../format/numbers.js";
import type { LiveTask, LiveWorkload } from "./live-task-state.js";

/** `1.2` once the workload's position is known, else the first 8 characters of its id. */
export function workloadLabel(workload: LiveWorkload): string {
  return workload.subtaskIndex < 0
    ? workload.workloadId.slice(0, 8)
    : `${workload.subtaskIndex + 1}.${workload.position + 1}`;
}

/** `  1.1 progress 40/100 (40%)  12.3/s  failed 0  p50 10.2 ms  p95 12.0 ms  p99 14.1 ms  elapsed 3.2 s` */
export function progressLine(workload: LiveWorkload): string {
  const latency = workload.latency
    ? `  p50 ${formatLatency(workload.latency.p50)}  p95 ${formatLatency(workload.latency.p95)}  p99 ${formatLatency(workload.latency.p99)}`
    : "";
  return `  ${workloadLabel(workload)} progress ${formatCount(workload.completed, workload.expected)}  ${formatRate(workload.rate)}  failed ${workload.failed}${latency}  elapsed ${workload.elapsed.toFixed(1)} s`;
}

function findWorkload(state: LiveTask, workloadId: string): LiveWorkload | undefined {
  return state.workloads.find((workload) => workload.workloadId === workloadId);
}

/** The line for a lifecycle event, given the state after applying it; undefined for quiet events. */
export function lifecycleLine(event: AnyPaddockEvent, state: LiveTask): string | undefined {
  const task = `Task ${event.taskId}:`;
  switch (event.type) {
    case "TaskQueued": {
      const total = state.workloadTotal ?? 0;
      return `${task} queued — ${event.data.title || "untitled"} (environment ${event.data.environment}, ${total} workload${total === 1 ? "" : "s"})`;
    }
    case "TaskStarted":
      return `${task} running on runner ${event.data.runnerId}`;
    case "WorkloadStarted": {
      const workload = findWorkload(state, event.data.workloadId);
      if (!workload) return undefined;
      const expected = workload.expected === null ? "for a duration" : `${workload.expected} iterations`;
      return `Workload ${workloadLabel(workload)} started: ${workload.scenario} (${workload.runner}, ${expected}) — ${workload.subtaskTitle}`;
    }
    case "ContextSetUp":
    case "ContextCleanedUp": {
      const { result } = event.data;
      if (result.error.length === 0) return undefined;
      const workload = findWorkload(state, event.data.workloadId);
      return `Workload ${workload ? workloadLabel(workload) : "?"}: context ${result.name} ${result.stage} failed: ${result.error[0]}: ${result.error[1]}`;
    }
    case "HookExecuted": {
      const workload = findWorkload(state, event.data.workloadId);
      const { result } = event.data;
      return `Workload ${workload ? workloadLabel(workload) : "?"}: hook ${event.data.hookIndex + 1} at ${result.triggered_by.event_type} ${result.triggered_by.value}: ${result.status}`;
    }
    case "WorkloadFinished": {
      const workload = findWorkload(state, event.data.workloadId);
      const { data } = event;
      return `Workload ${workload ? workloadLabel(workload) : "?"} finished: ${data.totalIterationCount} iterations, ${data.failedIterationCount} failed, load ${formatSeconds(data.loadDuration)}, SLA ${data.passSla ? "passed" : "failed"}`;
    }
    case "ShareLost": {
      const workload = findWorkload(state, event.data.workloadId);
      const { data } = event;
      return `Workload ${workload ? workloadLabel(workload) : "?"}: share ${data.shareIndex + 1} of ${data.shares} lost (runner ${data.runnerId}, ${data.completed} iterations published): ${data.reason}`;
    }
    case "TaskFinished":
      return `${task} finished, SLA ${event.data.passSla ? "passed" : "failed"}`;
    case "TaskAborted":
      return `${task} aborted (${event.data.mode}): ${event.data.reason}`;
    case "TaskFailed":
      return `${task} ${event.data.validation ? "validation failed" : "failed"}: ${event.data.error[0]}: ${event.data.error[1]}`;
    default:
      return undefined;
  }
}
