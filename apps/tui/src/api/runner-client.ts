/**
 * The runner's HTTP API: start, validate and abort tasks; check an environment.
 */
import { EnvironmentCheck, type StartTaskRequest, StartTaskResponse } from "@paddock/shared/api";
import type { HttpClient } from "./http-client.js";

export interface AbortResult {
  readonly taskId: string;
  /** The status the runner reports after the request, when it says. */
  readonly status?: string;
}

export interface RunnerApi {
  startTask(request: StartTaskRequest): Promise<StartTaskResponse>;
  /** Resolves when the task is valid; throws the runner's `ServiceError` (with problems) when not. */
  validateTask(request: StartTaskRequest): Promise<void>;
  abortTask(taskId: string, soft: boolean): Promise<AbortResult>;
  /** `rally env check`: the runner checks each platform with the secrets only it reads. */
  checkEnvironment(name: string): Promise<EnvironmentCheck>;
}

export function createRunnerClient(http: HttpClient): RunnerApi {
  return {
    startTask: (request) => http.request("POST", "/tasks", StartTaskResponse, { body: request }),
    async validateTask(request) {
      await http.requestJson("POST", "/tasks/validate", { body: request });
    },
    async abortTask(taskId, soft) {
      const body = await http.requestJson("POST", `/tasks/${encodeURIComponent(taskId)}/abort`, {
        body: { soft },
      });
      const status = (body as { status?: unknown } | undefined)?.status;
      return typeof status === "string" ? { taskId, status } : { taskId };
    },
    checkEnvironment: (name) =>
      http.request("POST", `/environments/${encodeURIComponent(name)}/check`, EnvironmentCheck),
  };
}
