/**
 * The results service's report endpoints the TUI uses beyond the task history: a workload's
 * iterations (for charts), the comparison of tasks, and an export written straight to a file.
 */
import { createWriteStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { IterationPage, TaskComparison } from "@paddock/shared/api";
import { ServiceError, ServiceUnreachable } from "../errors.js";
import { createHttpClient, type HttpClientOptions, networkReason } from "./http-client.js";

/** Formats the TUI offers: Rally's JSON report, its HTML report, JUnit XML, CSV of iterations. */
export type ReportExportType = "json" | "html" | "junit-xml" | "csv";

export const REPORT_EXPORT_TYPES: readonly ReportExportType[] = ["json", "html", "junit-xml", "csv"];

/** The file name extension of each export type. */
export const EXPORT_EXTENSIONS: Record<ReportExportType, string> = {
  json: "json",
  html: "html",
  "junit-xml": "xml",
  csv: "csv",
};

export interface ReportsApi {
  /** One page of a workload's stored iterations (`limit` at most 1000). */
  iterations(taskId: string, workloadId: string, offset: number, limit: number): Promise<IterationPage>;
  /** Two or more tasks side by side; the first is the baseline. */
  compare(taskIds: readonly string[]): Promise<TaskComparison>;
  /** Streams `GET /tasks/:id/export?type=` into `file`; resolves with the bytes written. */
  exportTask(taskId: string, type: ReportExportType, file: string): Promise<number>;
}

export function createReportsClient(options: HttpClientOptions): ReportsApi {
  const http = createHttpClient(options);
  return {
    iterations: (taskId, workloadId, offset, limit) =>
      http.request(
        "GET",
        `/tasks/${encodeURIComponent(taskId)}/workloads/${encodeURIComponent(workloadId)}/iterations`,
        IterationPage,
        { query: { offset: String(offset), limit: String(limit) } },
      ),
    compare: (taskIds) =>
      http.request("GET", "/compare", TaskComparison, { query: { tasks: taskIds.join(",") } }),
    async exportTask(taskId, type, file) {
      const path = `/tasks/${encodeURIComponent(taskId)}/export`;
      const url = new URL(`${options.baseUrl}${path}`);
      url.searchParams.set("type", type);
      const headers: Record<string, string> = {};
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      let response: Response;
      try {
        response = await fetch(url, { headers, signal: AbortSignal.timeout(options.timeoutMs) });
      } catch (error) {
        throw new ServiceUnreachable(
          options.service,
          options.baseUrl,
          networkReason(error, options.timeoutMs),
          {
            cause: error,
          },
        );
      }
      if (!response.ok) {
        const text = await response.text();
        let message = `the ${options.service} answered ${path} with HTTP ${response.status}`;
        let code = `HTTP_${response.status}`;
        try {
          const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
          if (typeof body.error?.message === "string") message = body.error.message;
          if (typeof body.error?.code === "string") code = body.error.code;
        } catch {
          message = `${message}: ${text.trim().split("\n")[0]?.slice(0, 200) ?? ""}`;
        }
        throw new ServiceError(options.service, response.status, code, message);
      }
      if (response.body === null) {
        throw new ServiceError(options.service, 502, "RESPONSE_EMPTY", `the ${options.service} sent no body`);
      }
      const output = createWriteStream(file);
      await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), output);
      return output.bytesWritten;
    },
  };
}
