/**
 * `paddock task export ID --type T [--to F]`: one task in one of the results service's export
 * formats (Rally's JSON report, old results JSON, JUnit XML, CSV), streamed to a file or printed.
 * Also the small HTTP helpers the other history commands (report, import, sla-check, ...) share:
 * the results service answers them with files and bodies that are not JSON contracts.
 */
import { createWriteStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import type { ExportType } from "@paddock/shared/api";
import { SERVICE_LABELS, serviceHttpClient } from "../../api/clients.js";
import { type HttpClient, networkReason } from "../../api/http-client.js";
import { ServiceError, ServiceUnreachable, UsageError } from "../../errors.js";
import { type Command, type CommandContext, stringOption } from "../command.js";
import { EXIT } from "../exit-codes.js";

const SERVICE = SERVICE_LABELS.results;

/** The export types `--type` accepts, as the results service names them. */
export const EXPORT_TYPES: readonly ExportType[] = ["json", "old-json-results", "junit-xml", "csv", "html"];

/** A JSON client of the results service, for answers checked against their shared schema. */
export function resultsHttp(context: CommandContext): HttpClient {
  return serviceHttpClient(context.config(), "results");
}

export interface RawRequest {
  readonly method?: string;
  readonly query?: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** Sent as is. */
  readonly body?: string;
  readonly contentType?: string;
}

/**
 * Sends a request to the results service and returns the response once it answered 2xx; an error
 * answer becomes a `ServiceError` with the service's message. Only the wait for the answer's
 * headers is bounded by the HTTP timeout: a large body may take longer.
 */
export async function resultsRequest(
  context: CommandContext,
  path: string,
  request: RawRequest = {},
): Promise<Response> {
  const config = context.config();
  const url = new URL(`${config.resultsUrl}${path}`);
  for (const [key, value] of Object.entries(request.query ?? {})) {
    for (const item of value === undefined ? [] : Array.isArray(value) ? value : [value]) {
      url.searchParams.append(key, item as string);
    }
  }
  const headers: Record<string, string> = {};
  if (config.apiToken) headers.authorization = `Bearer ${config.apiToken}`;
  if (request.contentType) headers["content-type"] = request.contentType;
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException("timed out", "TimeoutError")),
    config.httpTimeoutMs,
  );
  const abort = () => controller.abort(context.signal.reason);
  context.signal.addEventListener("abort", abort, { once: true });
  let response: Response;
  try {
    response = await fetch(url, {
      method: request.method ?? "GET",
      headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      signal: controller.signal,
    });
  } catch (error) {
    const reason = controller.signal.reason instanceof DOMException ? controller.signal.reason : error;
    throw new ServiceUnreachable(SERVICE, config.resultsUrl, networkReason(reason, config.httpTimeoutMs), {
      cause: error,
    });
  } finally {
    clearTimeout(timer);
    context.signal.removeEventListener("abort", abort);
  }
  if (response.ok) return response;
  const text = await response.text();
  let parsed: {
    error?: { code?: string; message?: string; problems?: { path?: string; message: string }[] };
  } = {};
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    // Not an error body of ours: reported with the status below.
  }
  const error = parsed.error;
  if (typeof error?.code === "string" && typeof error.message === "string") {
    throw new ServiceError(SERVICE, response.status, error.code, error.message, {
      problems: error.problems ?? [],
    });
  }
  throw new ServiceError(
    SERVICE,
    response.status,
    `HTTP_${response.status}`,
    `the ${SERVICE} answered ${path} with HTTP ${response.status}: ${text.trim().split("\n")[0]?.slice(0, 200) ?? ""}`,
  );
}

/** Writes an answer's body to `file` as it arrives, or prints it when no file is given. */
export async function deliverBody(
  context: CommandContext,
  response: Response,
  file: string | undefined,
): Promise<void> {
  if (file === undefined) {
    context.io.out((await response.text()).replace(/\n$/, ""));
    return;
  }
  if (response.body === null)
    throw new ServiceError(SERVICE, 502, "RESPONSE_EMPTY", `the ${SERVICE} sent no body`);
  await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), createWriteStream(file));
}

export const taskExport: Command = {
  name: "task export",
  args: "TASK_ID",
  summary: "Export a task: Rally JSON report, old results JSON, JUnit XML or CSV",
  options: {
    type: {
      type: "string",
      value: EXPORT_TYPES.join("|"),
      description: "Format (default json, Rally's report 1.2)",
    },
    to: { type: "string", value: "FILE", description: "Write to FILE instead of printing" },
  },
  details: ["The file is streamed from the results service, so the size of a task does not matter."],
  positionals: { min: 1, max: 1 },
  async run(context, line) {
    const type = stringOption(line, "type") ?? "json";
    if (!(EXPORT_TYPES as readonly string[]).includes(type)) {
      throw new UsageError(`--type must be one of ${EXPORT_TYPES.join(", ")}, got '${type}'`, "task export");
    }
    const taskId = line.positionals[0] as string;
    const response = await resultsRequest(context, `/tasks/${encodeURIComponent(taskId)}/export`, {
      query: { type },
    });
    const file = stringOption(line, "to");
    await deliverBody(context, response, file);
    if (file !== undefined) context.io.err(`Exported task ${taskId} (${type}) to ${file}`);
    return EXIT.ok;
  },
};
