/**
 * The results service's HTTP API: task history and details.
 */
import { TaskDetail, TaskList } from "@paddock/shared/api";
import type { HttpClient } from "./http-client.js";

/** Filters of `GET /tasks`; all optional. */
export interface TaskFilter {
  readonly status?: string;
  readonly tag?: string;
  /** Free text matched against title, description, scenarios. */
  readonly q?: string;
  /** Tasks run against this environment. */
  readonly environment?: string;
  readonly cursor?: string;
}

export interface ResultsApi {
  listTasks(filter?: TaskFilter): Promise<TaskList>;
  getTask(taskId: string): Promise<TaskDetail>;
  deleteTask(taskId: string): Promise<void>;
}

export function createResultsClient(http: HttpClient): ResultsApi {
  return {
    listTasks: (filter = {}) =>
      http.request("GET", "/tasks", TaskList, {
        query: {
          status: filter.status,
          tag: filter.tag,
          q: filter.q,
          environment: filter.environment,
          cursor: filter.cursor,
        },
      }),
    getTask: (taskId) => http.request("GET", `/tasks/${encodeURIComponent(taskId)}`, TaskDetail),
    async deleteTask(taskId) {
      await http.requestJson("DELETE", `/tasks/${encodeURIComponent(taskId)}`);
    },
  };
}
