/**
 * One small HTTP client per service: JSON in and out, bearer token, a timeout, responses
 * checked against their contract, and failures turned into `ServiceUnreachable` (no answer) or
 * `ServiceError` (an error body, with its problems).
 */
import type { ProblemDetail } from "@paddock/shared/errors";
import type { Static, TSchema } from "typebox";
import Compile, { type Validator } from "typebox/compile";
import { ServiceError, ServiceUnreachable } from "../errors.js";

export interface HttpClientOptions {
  /** Service name used in messages: `catalog`, `runner`, `results`. */
  readonly service: string;
  /** Base URL without a trailing slash. */
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer <token>` when not empty. */
  readonly token?: string;
  /** Milliseconds to wait for an answer. */
  readonly timeoutMs: number;
}

export type Query = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface HttpClient {
  readonly service: string;
  readonly baseUrl: string;
  /** Sends a request and returns the body checked against `schema`. */
  request<S extends TSchema>(
    method: string,
    path: string,
    schema: S,
    options?: { query?: Query; body?: unknown },
  ): Promise<Static<S>>;
  /** Sends a request whose answer body is not checked (its shape is not a shared contract). */
  requestJson(method: string, path: string, options?: { query?: Query; body?: unknown }): Promise<unknown>;
  /** The status `GET path` answers with, or undefined when the service does not answer. */
  probe(path: string, timeoutMs?: number): Promise<number | undefined>;
}

const validators = new WeakMap<TSchema, Validator>();

function validatorOf(schema: TSchema): Validator {
  let validator = validators.get(schema);
  if (validator === undefined) {
    validator = Compile(schema);
    validators.set(schema, validator);
  }
  return validator;
}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host not found",
  ECONNRESET: "connection reset",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ETIMEDOUT: "connection timed out",
  UND_ERR_CONNECT_TIMEOUT: "connection timed out",
  UND_ERR_SOCKET: "connection closed",
};

/** A short human reason for a failed `fetch`, e.g. `connection refused`. */
export function networkReason(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return `no answer within ${timeoutMs / 1000} s`;
  }
  let current: unknown = error;
  let innermost = error instanceof Error ? error.message : String(error);
  for (let depth = 0; current instanceof Error && depth < 5; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return NETWORK_REASONS[code] ?? code;
    innermost = current.message || innermost;
    const nested = (current as { errors?: unknown }).errors;
    if (Array.isArray(nested) && nested[0] instanceof Error) current = nested[0];
    else current = current.cause;
  }
  return innermost;
}

function urlOf(baseUrl: string, path: string, query: Query = {}): string {
  const url = new URL(`${baseUrl}${path}`);
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, item as string);
  }
  return url.toString();
}

function isErrorBody(
  value: unknown,
): value is { error: { code: string; message: string; problems?: ProblemDetail[] } } {
  if (typeof value !== "object" || value === null) return false;
  const error = (value as { error?: unknown }).error;
  return (
    typeof error === "object" &&
    error !== null &&
    typeof (error as { code?: unknown }).code === "string" &&
    typeof (error as { message?: unknown }).message === "string"
  );
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const { service, baseUrl, timeoutMs } = options;
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.token) headers.authorization = `Bearer ${options.token}`;

  async function send(method: string, path: string, query?: Query, body?: unknown): Promise<unknown> {
    const init: RequestInit = { method, headers: { ...headers }, signal: AbortSignal.timeout(timeoutMs) };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)["content-type"] = "application/json";
    }
    let response: Response;
    let text: string;
    try {
      response = await fetch(urlOf(baseUrl, path, query), init);
      text = await response.text();
    } catch (error) {
      throw new ServiceUnreachable(service, baseUrl, networkReason(error, timeoutMs), { cause: error });
    }
    let parsed: unknown;
    let parseError: unknown;
    if (text.length > 0) {
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        parseError = error;
      }
    }
    if (!response.ok) {
      if (isErrorBody(parsed)) {
        const problems = parsed.error.problems ?? [];
        throw new ServiceError(service, response.status, parsed.error.code, parsed.error.message, {
          problems,
        });
      }
      const excerpt = text.trim().split("\n")[0]?.slice(0, 200);
      throw new ServiceError(
        service,
        response.status,
        `HTTP_${response.status}`,
        `the ${service} answered ${method} ${path} with HTTP ${response.status} ${response.statusText}${excerpt ? `: ${excerpt}` : ""}`,
      );
    }
    if (parseError !== undefined) {
      throw new ServiceError(
        service,
        502,
        "RESPONSE_INVALID",
        `the ${service} answered ${method} ${path} with a body that is not JSON`,
        { cause: parseError },
      );
    }
    return parsed;
  }

  return {
    service,
    baseUrl,
    async request(method, path, schema, requestOptions = {}) {
      const value = await send(method, path, requestOptions.query, requestOptions.body);
      const validator = validatorOf(schema);
      if (!validator.Check(value)) {
        const problems = validator
          .Errors(value)
          .slice(0, 5)
          .map((error) => ({ path: error.instancePath || "/", message: error.message }));
        const first = problems[0];
        throw new ServiceError(
          service,
          502,
          "RESPONSE_INVALID",
          `the ${service} answered ${method} ${path} with a body that breaks the contract${first ? `: ${first.path} ${first.message}` : ""}`,
          { problems },
        );
      }
      return value as Static<typeof schema>;
    },
    requestJson(method, path, requestOptions = {}) {
      return send(method, path, requestOptions.query, requestOptions.body);
    },
    async probe(path, probeTimeoutMs = Math.min(timeoutMs, 2000)) {
      try {
        const response = await fetch(urlOf(baseUrl, path), {
          headers,
          signal: AbortSignal.timeout(probeTimeoutMs),
        });
        await response.arrayBuffer();
        return response.status;
      } catch {
        return undefined;
      }
    },
  };
}
