/**
 * The HTTP client scenarios use (`ctx.http`). `http:` URLs go through `http-wire.ts`, keep-alive
 * HTTP/1.1 written to raw `node:net` sockets and parsed there; `https:` through undici's
 * low-level `dispatch` on one process-wide keep-alive pool. Rally opens a new connection per
 * request; Paddock reuses them. Redirects are followed here, only when a response is one, and
 * every request is bound to the iteration's interruption (`interrupts.ts`).
 *
 * Bare loops at concurrency 20, 50,000 GETs against the http bench's target in its own process
 * (medians of 3, 2-core bench machine, load 1.2–1.9): undici `dispatch` 38,164 req/s and
 * 32.5 µs of CPU per request, `http-wire` 51,958 (18.4 µs), this client over it 50,112
 * (20.9 µs), autocannon 41,168 (25.5 µs; timed to its last response). Earlier, with undici
 * (D15): `fetch` ~3,400, `request` ~18,500, `request` through undici's redirect interceptor
 * ~11,400. See D23.
 */
import type { IncomingHttpHeaders } from "node:http";
import { describeError } from "@paddock/shared/errors";
import { Agent, type Dispatcher } from "undici";
import { requestHttp } from "./http-wire.js";
import { Interrupts } from "./interrupts.js";
import type { HttpClient, HttpRequestOptions, HttpResponse } from "./plugin.js";

/** Keep-alive pools for `https:` shared by every iteration of every task in this process. */
const pool: Dispatcher = new Agent({ keepAliveTimeout: 10_000, connections: null });
/** Redirects followed per request at most, as undici's and python-requests' defaults. */
const MAX_REDIRECTS = 10;
/** Headers not carried to another origin when following a redirect there. */
const CREDENTIAL_HEADERS = ["authorization", "cookie", "proxy-authorization"];

export interface HttpClientOptions {
  /** Base URL relative request URLs resolve against. */
  readonly baseUrl?: string | undefined;
  /** Headers sent with every request (a request's own headers win). */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Interrupts every request (the iteration's). */
  readonly interrupts?: Interrupts | undefined;
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

const ABSOLUTE_URL = /^[a-z][a-z0-9+.-]*:\/\//i;
/** Parsed request URLs by base and text (scenarios send the same few over and over); never mutated. */
const parsedUrls = new Map<string, URL>();
/** Entries `parsedUrls` holds at most: it starts over when full. */
const MAX_PARSED_URLS = 1024;

function resolveUrl(url: string, baseUrl: string | undefined): URL {
  const absolute = ABSOLUTE_URL.test(url);
  if (!absolute && baseUrl === undefined) {
    throw new HttpRequestFailed(`Relative URL '${url}' needs a base URL (none is configured)`);
  }
  const key = absolute || baseUrl === undefined ? url : `${baseUrl.length}:${baseUrl}${url}`;
  let parsed = parsedUrls.get(key);
  if (parsed === undefined) {
    if (absolute || baseUrl === undefined) parsed = new URL(url);
    else parsed = new URL(url, baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`);
    if (parsedUrls.size >= MAX_PARSED_URLS) parsedUrls.clear();
    parsedUrls.set(key, parsed);
  }
  return parsed;
}

function interruptsFor(options: HttpRequestOptions | undefined, interrupts: Interrupts | undefined) {
  const timeout = options?.timeout;
  if (timeout === undefined || timeout <= 0) return interrupts;
  const timer = AbortSignal.timeout(timeout * 1000);
  return Interrupts.of(interrupts ? AbortSignal.any([interrupts.signal, timer]) : timer);
}

/** Node's parsed response headers as a fetch `Headers` (repeated headers appended). */
export function toHeaders(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

/** A response as a transport returns it (`headers` may be parsed only when first read). */
interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** One exchange: resolves with the whole response, rejects on a network error or abort. */
function exchange(
  url: URL,
  method: string,
  headers: Readonly<Record<string, string>>,
  body: string | undefined,
  interrupts: Interrupts | undefined,
): Promise<RawResponse> {
  if (url.protocol === "http:") return requestHttp(url, method, headers, body, interrupts);
  const signal = interrupts?.signal;
  return new Promise((resolve, reject) => {
    let status = 0;
    let responseHeaders: IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    let controller: Dispatcher.DispatchController | undefined;
    const onAbort = () => controller?.abort(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    const settle = () => signal?.removeEventListener("abort", onAbort);
    pool.dispatch(
      {
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: method as Dispatcher.HttpMethod,
        headers,
        body: body ?? null,
      },
      {
        onRequestStart(started) {
          controller = started;
          if (signal?.aborted) started.abort(signal.reason);
        },
        onResponseStart(_controller, statusCode, received) {
          status = statusCode;
          responseHeaders = received as IncomingHttpHeaders;
        },
        onResponseData(_controller, chunk) {
          chunks.push(chunk);
        },
        onResponseEnd() {
          settle();
          const text =
            chunks.length === 1 ? (chunks[0] as Buffer).toString() : Buffer.concat(chunks).toString();
          resolve({ status, headers: responseHeaders, body: text });
        },
        onResponseError(_controller, error) {
          settle();
          reject(error);
        },
      },
    );
  });
}

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/** Whether `headers` has a field `name` (lower case), whatever the case it is spelled in. */
export function hasHeader(headers: Readonly<Record<string, string>>, name: string): boolean {
  for (const field in headers) if (field.toLowerCase() === name) return true;
  return false;
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A response as scenarios see it; its `Headers` are built only when asked for. */
class ClientResponse implements HttpResponse {
  readonly status: number;
  readonly body: string;
  private parsed: Headers | undefined;

  constructor(private readonly raw: RawResponse) {
    this.status = raw.status;
    this.body = raw.body;
  }

  get headers(): Headers {
    this.parsed ??= toHeaders(this.raw.headers);
    return this.parsed;
  }

  json<T>(): T {
    return JSON.parse(this.body) as T;
  }
}

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const request = async (url: string, init?: HttpRequestOptions): Promise<HttpResponse> => {
    let current = resolveUrl(url, options.baseUrl);
    // Copied only when two sets must be merged or one added to: most requests send theirs as is.
    let headers: Readonly<Record<string, string>> =
      options.headers === undefined
        ? (init?.headers ?? NO_HEADERS)
        : { ...options.headers, ...init?.headers };
    let body: string | undefined;
    if (init?.body !== undefined) {
      if (typeof init.body === "string") body = init.body;
      else {
        body = JSON.stringify(init.body);
        if (!hasHeader(headers, "content-type")) headers = { ...headers, "content-type": "application/json" };
      }
    }
    const interrupts = interruptsFor(init, options.interrupts);
    let method = (init?.method ?? "GET").toUpperCase();
    const follow = init?.followRedirects !== false;
    let response: RawResponse;
    for (let hops = 0; ; hops += 1) {
      try {
        response = await exchange(current, method, headers, body, interrupts);
      } catch (error) {
        if (isAbort(error)) throw error;
        if (interrupts?.interrupted) throw interrupts.reason ?? error;
        throw new ConnectionError(`${method} ${current.href} failed: ${describeError(error)}`, {
          cause: error,
        });
      }
      if (!follow || !isRedirect(response.status)) break;
      const location = headerValue(response.headers, "location");
      if (location === undefined) break;
      if (hops === MAX_REDIRECTS) {
        const target = ABSOLUTE_URL.test(url) ? url : resolveUrl(url, options.baseUrl).href;
        throw new HttpRequestFailed(`${method} ${target} was redirected more than ${MAX_REDIRECTS} times`);
      }
      const next = new URL(location, current);
      // As browsers and python-requests do: 303, and 301/302 after a POST, continue with a GET.
      if (
        (response.status === 303 && method !== "HEAD") ||
        ((response.status === 301 || response.status === 302) && method === "POST")
      ) {
        method = "GET";
        body = undefined;
        headers = Object.fromEntries(
          Object.entries(headers).filter(([name]) => !/^content-(type|length)$/i.test(name)),
        );
      }
      if (next.origin !== current.origin) {
        headers = Object.fromEntries(
          Object.entries(headers).filter(([name]) => !CREDENTIAL_HEADERS.includes(name.toLowerCase())),
        );
      }
      current = next;
    }
    return new ClientResponse(response);
  };
  return {
    request,
    get: (url, init) => request(url, { ...init, method: "GET" }),
    post: (url, body, init) => request(url, { ...init, method: "POST", body }),
  };
}
