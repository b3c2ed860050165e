/**
 * HTTP for the OpenStack client: undici requests over keep-alive pools, one pool per TLS setting
 * of an environment (`https_insecure`, `https_cacert`), bound to the caller's abort signal. Bodies
 * go out as text or as a stream (image data), and come back either read whole or as a stream
 * (image downloads). A request that gets no answer throws `ConnectionError` with the system's
 * reason (`connect ECONNREFUSED 127.0.0.1:5000`).
 */
import { readFileSync } from "node:fs";
import type { Readable } from "node:stream";
import { describeError } from "@paddock/shared/errors";
import { Agent, type Dispatcher, request } from "undici";
import { toHeaders } from "../http-client.js";
import { ConnectionError, OpenStackSpecInvalid } from "./openstack-errors.js";

/** How to verify a cloud's TLS certificates (the environment's `https_insecure` / `https_cacert`). */
export interface TlsSettings {
  /** Skip certificate verification. */
  readonly insecure: boolean;
  /** Path of a PEM bundle of CA certificates to verify with, instead of the system's. */
  readonly caFile?: string | undefined;
}

export interface TransportRequest {
  readonly method: string;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Text (sent as is), or a stream of bytes (image data). */
  readonly body?: string | Readable | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** An answer read whole. */
export interface TransportResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** An answer whose body is still to be read (or dumped). */
export interface StreamedResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Dispatcher.ResponseData["body"];
}

const pools = new Map<string, Dispatcher>();

function poolFor(tls: TlsSettings): Dispatcher {
  const key = `${tls.insecure}|${tls.caFile ?? ""}`;
  let pool = pools.get(key);
  if (pool === undefined) {
    let ca: Buffer | undefined;
    if (tls.caFile !== undefined) {
      try {
        ca = readFileSync(tls.caFile);
      } catch (error) {
        throw new OpenStackSpecInvalid(
          `spec.https_cacert: cannot read the CA bundle ${tls.caFile} (${describeError(error)})`,
        );
      }
    }
    pool = new Agent({
      keepAliveTimeout: 10_000,
      connections: null,
      connect: { rejectUnauthorized: !tls.insecure, ...(ca === undefined ? {} : { ca }) },
    });
    pools.set(key, pool);
  }
  return pool;
}

/** Why a request got no answer: the system error code and message when there is one. */
export function unreachableReason(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown }) : undefined;
  if (cause !== undefined && cause !== null && typeof cause === "object") {
    const code = typeof cause.code === "string" ? cause.code : undefined;
    const message = typeof cause.message === "string" ? cause.message : describeError(cause);
    return code !== undefined && !message.includes(code) ? `${code}: ${message}` : message;
  }
  const code = (error as { code?: unknown }).code;
  const message = describeError(error);
  return typeof code === "string" && !message.includes(code) ? `${code}: ${message}` : message;
}

const CONNECT_FAILURES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** Whether a request failed before reaching the server (no connection), rather than during it. */
export function neverConnected(error: unknown): boolean {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === "string" ? cause.code : (error as { code?: unknown }).code;
  return typeof code === "string" && (CONNECT_FAILURES.has(code) || /CERT|SSL|TLS/.test(code));
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError");
}

/** Requests to one cloud with one TLS setting. */
export class OpenStackTransport {
  private readonly pool: Dispatcher;

  constructor(tls: TlsSettings = { insecure: false }) {
    this.pool = poolFor(tls);
  }

  /** Sends the request and leaves the answer's body unread: the caller reads or dumps it. */
  async open(url: string, options: TransportRequest): Promise<StreamedResponse> {
    const headers: Record<string, string> = { "user-agent": "paddock-runner", ...options.headers };
    try {
      const response = await request(url, {
        method: options.method as Dispatcher.HttpMethod,
        headers,
        dispatcher: this.pool,
        ...(options.body === undefined ? {} : { body: options.body }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
      return { status: response.statusCode, headers: toHeaders(response.headers), body: response.body };
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason ?? error;
      if (isAbort(error)) throw error;
      throw new ConnectionError(`${options.method} ${url} got no answer: ${unreachableReason(error)}`, {
        cause: error,
      });
    }
  }

  /** Sends the request and reads the whole answer as text. */
  async send(url: string, options: TransportRequest): Promise<TransportResponse> {
    const response = await this.open(url, options);
    let text: string;
    try {
      text = await response.body.text();
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason ?? error;
      throw new ConnectionError(
        `${options.method} ${url}: the answer broke off (${unreachableReason(error)})`,
        { cause: error },
      );
    }
    return { status: response.status, headers: response.headers, text };
  }
}
