/**
 * The task history (first page of `GET /tasks`, newest first).
 */
import type { TaskList } from "@paddock/shared/api";
import type { ResultsApi } from "../../api/results-client.js";
import { type AsyncState, useAsync } from "./use-async.js";

export function useTaskList(results: ResultsApi): AsyncState<TaskList> {
  return useAsync(() => results.listTasks(), [results]);
}
