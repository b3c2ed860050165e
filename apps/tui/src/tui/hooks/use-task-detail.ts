/**
 * A task's report from the results service: fetched once, or (`waitUntilSettled`) polled until
 * the task is final and every workload's statistics are stored.
 */
import type { TaskDetail } from "@paddock/shared/api";
import type { ResultsApi } from "../../api/results-client.js";
import { waitForTaskDetail } from "../../live/task-detail-waiter.js";
import { type AsyncState, useAsync } from "./use-async.js";

export function useTaskDetail(
  results: ResultsApi,
  taskId: string | undefined,
  options: { readonly enabled: boolean; readonly waitUntilSettledMs?: number },
): AsyncState<TaskDetail> {
  const wait = options.waitUntilSettledMs;
  return useAsync(
    (signal) => {
      const id = taskId as string;
      return wait === undefined
        ? results.getTask(id)
        : waitForTaskDetail(results, id, { timeoutMs: wait, signal });
    },
    [results, taskId, wait],
    options.enabled && taskId !== undefined,
  );
}
