/**
 * Waiting for the results service to hold a task's outcome: its final status and, for every
 * workload, the statistics (computed once all iterations are stored).
 */
import type { TaskDetail } from "@paddock/shared/api";
import { FINAL_STATUSES } from "@paddock/shared/task-model";
import type { ResultsApi } from "../api/results-client.js";
import { ResultsNotReady, ServiceError, ServiceUnreachable } from "../errors.js";

export interface DetailWaitOptions {
  /** Give up after this many milliseconds. */
  readonly timeoutMs: number;
  /** Milliseconds between polls. Default 500. */
  readonly intervalMs?: number;
  /**
   * A task that ended other than `finished` (aborted, crashed) may never get statistics for a
   * cut-short workload: after this many milliseconds in a final status it is returned as it is.
   * Default 5000.
   */
  readonly graceMs?: number;
  readonly signal?: AbortSignal;
  readonly now?: () => number;
}

export function isFinal(detail: Pick<TaskDetail, "status">): boolean {
  return FINAL_STATUSES.includes(detail.status);
}

/** Final, and every workload's statistics are there. */
export function isSettled(detail: TaskDetail): boolean {
  return isFinal(detail) && detail.workloads.every((workload) => workload.statistics !== null);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

export async function waitForTaskDetail(
  results: ResultsApi,
  taskId: string,
  options: DetailWaitOptions,
): Promise<TaskDetail> {
  const now = options.now ?? Date.now;
  const deadline = now() + options.timeoutMs;
  const graceMs = options.graceMs ?? 5000;
  let finalSince: number | undefined;
  let last: TaskDetail | undefined;
  let lastError: Error | undefined;
  while (!options.signal?.aborted) {
    try {
      last = await results.getTask(taskId);
      lastError = undefined;
      if (isSettled(last)) return last;
      if (isFinal(last)) {
        finalSince ??= now();
        if (last.status !== "finished" && now() - finalSince >= graceMs) return last;
      }
    } catch (error) {
      const waitable =
        error instanceof ServiceUnreachable || (error instanceof ServiceError && error.status === 404);
      if (!waitable) throw error;
      lastError = error;
    }
    if (now() >= deadline) break;
    await sleep(Math.min(options.intervalMs ?? 500, Math.max(0, deadline - now())), options.signal);
  }
  const seconds = Math.round(options.timeoutMs / 1000);
  const state =
    lastError instanceof ServiceUnreachable
      ? `it does not answer at ${lastError.url}: ${lastError.reason}`
      : last
        ? `its status there is '${last.status}'${isFinal(last) ? " and its statistics are not all stored" : ""}`
        : (lastError?.message ?? "it does not know the task");
  throw new ResultsNotReady(
    `the results service has no final report of task ${taskId} after ${seconds} s (${state}); look again with: paddock task status ${taskId}`,
    lastError ? { cause: lastError } : {},
  );
}
