/**
 * The HTTP client scenarios use (`ctx.http`): undici requests over one process-wide pool of
 * keep-alive connections (Rally opens a new connection per request; Paddock reuses them).
 * `fetch` was the first client; the http bench measured it at ~3,400 req/s at concurrency 20
 * against ~21,000 for undici's request API on the same machine. Every request is bound to the
 * iteration's abort signal, and the body is always read so the connection returns to the pool.
 */
import type { IncomingHttpHeaders } from "node:http";
import { describeError } from "@paddock/shared/errors";
import { Agent, type Dispatcher, interceptors, request as send } from "undici";
import type { HttpClient, HttpRequestOptions, HttpResponse } from "./plugin.js";

/** Keep-alive pools shared by every iteration of every task in this process. */
const direct: Dispatcher = new Agent({ keepAliveTimeout: 10_000, connections: null });
const redirecting: Dispatcher = direct.compose(interceptors.redirect({ maxRedirections: 10 }));

export interface HttpClientOptions {
  /** Base URL relative request URLs resolve against. */
  readonly baseUrl?: string | undefined;
  /** Headers sent with every request (a request's own headers win). */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Aborts every request (the iteration's signal). */
  readonly signal?: AbortSignal | undefined;
}

export class HttpRequestFailed extends Error {
  override name = "HttpRequestFailed";
}

/** The request never got a response: refused, reset, unknown host, TLS failure... */
export class ConnectionError extends Error {
  override name = "ConnectionError";
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError");
}

function resolveUrl(url: string, baseUrl: string | undefined): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return url;
  if (baseUrl === undefined) {
    throw new HttpRequestFailed(`Relative URL '${url}' needs a base URL (none is configured)`);
  }
  return new URL(url, baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`).toString();
}

function signalFor(options: HttpRequestOptions | undefined, signal: AbortSignal | undefined) {
  const timeout = options?.timeout;
  if (timeout === undefined || timeout <= 0) return signal;
  const timer = AbortSignal.timeout(timeout * 1000);
  return signal ? AbortSignal.any([signal, timer]) : timer;
}

function toHeaders(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const request = async (url: string, init?: HttpRequestOptions): Promise<HttpResponse> => {
    const target = resolveUrl(url, options.baseUrl);
    const headers: Record<string, string> = { ...options.headers, ...init?.headers };
    let body: string | undefined;
    if (init?.body !== undefined) {
      if (typeof init.body === "string") body = init.body;
      else {
        body = JSON.stringify(init.body);
        headers["content-type"] ??= "application/json";
      }
    }
    const signal = signalFor(init, options.signal);
    const method = (init?.method ?? "GET").toUpperCase() as Dispatcher.HttpMethod;
    let response: Dispatcher.ResponseData;
    let text: string;
    try {
      response = await send(target, {
        method,
        headers,
        dispatcher: init?.followRedirects === false ? direct : redirecting,
        ...(body === undefined ? {} : { body }),
        ...(signal === undefined ? {} : { signal }),
      });
      text = await response.body.text();
    } catch (error) {
      if (isAbort(error)) throw error;
      if (signal?.aborted) throw signal.reason ?? error;
      throw new ConnectionError(`${method} ${target} failed: ${describeError(error)}`, { cause: error });
    }
    const raw = response.headers;
    let parsed: Headers | undefined;
    return {
      status: response.statusCode,
      get headers() {
        parsed ??= toHeaders(raw);
        return parsed;
      },
      body: text,
      json<T>() {
        return JSON.parse(text) as T;
      },
    };
  };
  return {
    request,
    get: (url, init) => request(url, { ...init, method: "GET" }),
    post: (url, body, init) => request(url, { ...init, method: "POST", body }),
  };
}
