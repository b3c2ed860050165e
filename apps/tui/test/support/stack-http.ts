/** HTTP helpers of the whole-stack tests: JSON requests to the real services. */
import type { IterationRecord } from "@paddock/shared/events";

/** Sends a JSON request; the status and the parsed answer. */
export async function jsonRequest<T>(url: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const response = await fetch(url, { ...init, headers: { "content-type": "application/json" } });
  return { status: response.status, body: (await response.json()) as T };
}

/** Every iteration the results service at `resultsUrl` stores for a workload, page by page. */
export async function storedIterations(
  resultsUrl: string,
  taskId: string,
  workloadId: string,
): Promise<IterationRecord[]> {
  const all: IterationRecord[] = [];
  for (let offset = 0; ; offset += 1000) {
    const { body } = await jsonRequest<{ iterations: IterationRecord[] }>(
      `${resultsUrl}/tasks/${taskId}/workloads/${workloadId}/iterations?offset=${offset}&limit=1000`,
    );
    all.push(...body.iterations);
    if (body.iterations.length < 1000) return all;
  }
}
