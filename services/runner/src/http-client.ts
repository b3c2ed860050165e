/**
 * The HTTP client scenarios use (`ctx.http`): `fetch` over Node's pooled keep-alive connections
 * (Rally opens a new connection per request; Paddock reuses them). Every request is bound to the
 * iteration's abort signal, and the body is always read so the connection returns to the pool.
 */
import { describeError } from "@paddock/shared/errors";
import type { HttpClient, HttpRequestOptions, HttpResponse } from "./plugin.js";

export interface HttpClientOptions {
  /** Base URL relative request URLs resolve against. */
  readonly baseUrl?: string | undefined;
  /** Headers sent with every request (a request's own headers win). */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Aborts every request (the iteration's signal). */
  readonly signal?: AbortSignal | undefined;
  /** The `fetch` implementation (injected in tests); default the global one. */
  readonly fetch?: typeof fetch;
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

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const doFetch = options.fetch ?? fetch;
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
    const method = init?.method ?? "GET";
    let response: Response;
    try {
      response = await doFetch(target, {
        method,
        headers,
        redirect: init?.followRedirects === false ? "manual" : "follow",
        ...(body === undefined ? {} : { body }),
        ...(signal === undefined ? {} : { signal }),
      });
    } catch (error) {
      if (isAbort(error)) throw error;
      throw new ConnectionError(`${method} ${target} failed: ${describeError(error)}`, { cause: error });
    }
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
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
