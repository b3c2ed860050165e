/**
 * `ctx.http`'s transport for `http:` URLs: keep-alive HTTP/1.1 written straight to `node:net`
 * sockets and parsed here, the way load generators (autocannon, wrk) do it rather than through a
 * general-purpose client. Per origin a stack of idle sockets (no limit: one per concurrent
 * request), one request in flight per socket (no pipelining), each request written as one string,
 * and responses read through `onread` into one shared buffer: no `Buffer` and no stream event per
 * read, a body that arrives whole is decoded straight from that buffer.
 *
 * Idle sockets are dropped a second before the server's `keep-alive: timeout=N` (10 s when it
 * announces none) and as soon as the server closes them. A request written to a reused socket
 * that dies before any response byte is sent once more on a fresh connection when its method is
 * idempotent (the server may have closed the idle socket while the request was on its way).
 */
import type { IncomingHttpHeaders } from "node:http";
import { connect, type Socket } from "node:net";
import type { Interruptible, Interrupts } from "./interrupts.js";

/** Bytes a response's header section (status line to the empty line) or trailer section may take. */
export const MAX_HEADER_BYTES = 64 * 1024;
/** Idle time a socket is kept when the server announces no `keep-alive: timeout` (ms). */
const DEFAULT_IDLE_MS = 10_000;
/** The longest a socket is kept idle, whatever the server announces (ms). */
const MAX_IDLE_MS = 600_000;
/** Idle sockets are dropped this long before the server's announced timeout (ms). */
const IDLE_MARGIN_MS = 1_000;
/** How often idle sockets past their time are closed (ms). */
const SWEEP_MS = 1_000;
/** A connection not established after this long fails (ms). */
const CONNECT_TIMEOUT_MS = 10_000;
/** Methods a request may be sent again with when a reused socket dies before any response byte. */
const IDEMPOTENT = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"]);
/** Methods that carry a body by definition: without one they send `content-length: 0`. */
const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);

/** Every socket reads into this buffer; a read is parsed before the next one can overwrite it. */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);
const END_OF_HEAD = Buffer.from("\r\n\r\n", "latin1");
const CR = 13;
const LF = 10;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const UNSAFE_VALUE = /[\r\n\0]/;
const STRAY_LINE_BREAK = /\r(?!\n)|(?<!\r)\n|\0/;
/** A content length: at most 15 digits, so always a safe integer. */
const DIGITS = /^\d{1,15}$/;

/** The header fields that frame a response, read while its header section is checked. */
const OTHER_FIELD = 0;
const CONNECTION = 1;
const KEEP_ALIVE = 2;
const CONTENT_LENGTH = 3;
const TRANSFER_ENCODING = 4;
/** `TOKEN_CHARS[code]` is 1 for the characters a field name may have (RFC 9110 §5.6.2). */
const TOKEN_CHARS = new Uint8Array(128);
for (const char of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") {
  TOKEN_CHARS[char.charCodeAt(0)] = 1;
}

/** What the parser is reading. */
const HEAD = 0;
const LENGTH = 1;
const UNTIL_CLOSE = 2;
const CHUNK_SIZE = 3;
const CHUNK_DATA = 4;
const CHUNK_END = 5;
const TRAILERS = 6;
const DONE = 7;

/** The final response to one request (1xx interim responses are skipped). */
export class WireResponse {
  private fields: IncomingHttpHeaders | undefined;

  constructor(
    readonly status: number,
    /** The header section as received and checked: status line and fields, each line ending in CRLF. */
    private readonly head: string,
    /** The body decoded as UTF-8, "" when there is none. */
    readonly body: string,
    /** A chunked body's trailer fields (same form as `headers`); undefined when it had none. */
    readonly trailers: IncomingHttpHeaders | undefined,
  ) {}

  /** Names lower-cased; a repeated field is an array of its values, `set-cookie` always is. */
  get headers(): IncomingHttpHeaders {
    this.fields ??= fieldsOf(this.head);
    return this.fields;
  }
}

/** The response broke HTTP/1.1's syntax or framing; its connection was destroyed. */
export class HttpProtocolError extends Error {
  override name = "HttpProtocolError";
}

/** The connection ended before the response was complete (a socket error, if any, is the cause). */
export class ConnectionClosed extends Error {
  override name = "ConnectionClosed";
}

/** No connection to the server within `CONNECT_TIMEOUT_MS`. */
export class ConnectTimeout extends Error {
  override name = "ConnectTimeout";
}

type Resolve = (response: WireResponse) => void;
type Reject = (reason: unknown) => void;

/** Idle sockets per origin (`host[:port]`), the most recently used last. */
const idlePools = new Map<string, Connection[]>();
let sweeper: NodeJS.Timeout | undefined;

/**
 * Sends one request to an `http:` URL over a kept-alive socket (or a new one) and resolves with
 * the whole response. Rejects with the reason when `interrupts` interrupts it (the socket is destroyed),
 * with the socket's error when a connection cannot be made (ECONNREFUSED, ENOTFOUND...), with
 * `HttpProtocolError` for a malformed response and `ConnectionClosed` for a truncated one.
 * `headers` are sent as given after `host` (unless given); `content-length` is computed.
 */
export function requestHttp(
  url: URL,
  method: string,
  headers: Readonly<Record<string, string>>,
  body: string | undefined,
  interrupts: Interrupts | undefined,
): Promise<WireResponse> {
  if (interrupts?.interrupted) return Promise.reject(interrupts.reason);
  const host = url.host;
  let text: string;
  try {
    text = requestText(method, `${url.pathname}${url.search}`, host, headers, body);
  } catch (error) {
    return Promise.reject(error);
  }
  return new Promise((resolve, reject) => {
    const connection = takeIdle(host) ?? new Connection(host, hostnameOf(url), portOf(url));
    connection.send(text, method, interrupts, resolve, reject, false);
  });
}

/** The number of idle sockets kept for `host` (`host[:port]` as in a URL). */
export function idleConnectionCount(host: string): number {
  return idlePools.get(host)?.length ?? 0;
}

function hostnameOf(url: URL): string {
  const name = url.hostname;
  return name.startsWith("[") ? name.slice(1, -1) : name;
}

function portOf(url: URL): number {
  return url.port === "" ? 80 : Number(url.port);
}

function requestText(
  method: string,
  path: string,
  host: string,
  headers: Readonly<Record<string, string>>,
  body: string | undefined,
): string {
  if (!TOKEN.test(method)) throw new TypeError(`Invalid HTTP method ${show(method)}`);
  let fields = "";
  let hasHost = false;
  for (const name in headers) {
    const value = headers[name] as string;
    if (!TOKEN.test(name)) throw new TypeError(`Invalid header name ${show(name)}`);
    if (UNSAFE_VALUE.test(value)) throw new TypeError(`Header '${name}' has a CR, LF or NUL in its value`);
    const length = name.length;
    if (length === 4 && name.toLowerCase() === "host") hasHost = true;
    else if (
      (length === 14 && name.toLowerCase() === "content-length") ||
      (length === 17 && name.toLowerCase() === "transfer-encoding")
    ) {
      continue;
    }
    fields += `${name}: ${value}\r\n`;
  }
  const start = hasHost
    ? `${method} ${path} HTTP/1.1\r\n`
    : `${method} ${path} HTTP/1.1\r\nhost: ${host}\r\n`;
  if (body !== undefined) return `${start}${fields}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  if (BODY_METHODS.has(method)) return `${start}${fields}content-length: 0\r\n\r\n`;
  return `${start}${fields}\r\n`;
}

function takeIdle(host: string): Connection | undefined {
  const idle = idlePools.get(host);
  if (idle === undefined) return undefined;
  let now = 0;
  for (let connection = idle.pop(); connection !== undefined; connection = idle.pop()) {
    connection.idle = false;
    if (now === 0) now = Date.now();
    if (connection.idleUntil > now && !connection.socket.destroyed) {
      connection.socket.ref();
      return connection;
    }
    connection.destroy();
  }
  return undefined;
}

function keepIdle(connection: Connection): void {
  let idle = idlePools.get(connection.host);
  if (idle === undefined) {
    idle = [];
    idlePools.set(connection.host, idle);
  }
  connection.idle = true;
  connection.socket.unref();
  idle.push(connection);
  sweeper ??= setInterval(sweep, SWEEP_MS).unref();
}

function forgetIdle(connection: Connection): void {
  connection.idle = false;
  const idle = idlePools.get(connection.host);
  const at = idle === undefined ? -1 : idle.indexOf(connection);
  if (at !== -1) idle?.splice(at, 1);
}

function sweep(): void {
  const now = Date.now();
  for (const [host, idle] of idlePools) {
    for (let at = idle.length - 1; at >= 0; at -= 1) {
      const connection = idle[at] as Connection;
      if (connection.idleUntil <= now) connection.destroy();
    }
    if (idle.length === 0) idlePools.delete(host);
  }
  if (idlePools.size === 0 && sweeper !== undefined) {
    clearInterval(sweeper);
    sweeper = undefined;
  }
}

/** One socket: the exchange in flight on it, if any, and the parser's state for its response. */
class Connection implements Interruptible {
  readonly socket: Socket;
  /** Whether the socket is in its origin's idle stack. */
  idle = false;
  /** When an idle socket is dropped (ms since the epoch). */
  idleUntil = 0;
  /** Responses completed on this socket: a request on a reused socket may be sent again. */
  private served = 0;
  private socketError: Error | undefined;

  private resolve: Resolve | undefined;
  private reject: Reject | undefined;
  private interrupts: Interrupts | undefined;
  private method = "";
  private text = "";
  private retried = false;
  private received = false;

  private phase = HEAD;
  private readonly headParts: Buffer[] = [];
  private headLength = 0;
  /** Bytes of CRLFCRLF the kept head parts end with. */
  private headMatched = 0;
  private status = 0;
  /** The final response's header section, lines ending in CRLF. */
  private head = "";
  private trailers: IncomingHttpHeaders | undefined;
  private trailerBytes = 0;
  private lastTrailer: string | undefined;
  private keepAlive = false;
  private idleMs = DEFAULT_IDLE_MS;
  /** Body bytes still expected: of the content length, or of the current chunk. */
  private remaining = 0;
  private readonly bodyParts: Buffer[] = [];
  private bodyLength = 0;
  /** The body when it arrived whole in one read (decoded from the read buffer). */
  private bodyText: string | undefined;
  /** The start of a line of a chunked body that goes on in the next read. */
  private partialLine = "";
  private line = "";

  constructor(
    readonly host: string,
    private readonly hostname: string,
    private readonly port: number,
  ) {
    this.socket = connect({
      host: hostname,
      port,
      noDelay: true,
      onread: { buffer: READ_BUFFER, callback: this.onRead },
    });
    this.socket.setTimeout(CONNECT_TIMEOUT_MS);
    this.socket.once("connect", this.onConnect);
    this.socket.on("timeout", this.onConnectTimeout);
    this.socket.on("end", this.onEnd);
    this.socket.on("error", this.onError);
    this.socket.on("close", this.onClose);
  }

  send(
    text: string,
    method: string,
    interrupts: Interrupts | undefined,
    resolve: Resolve,
    reject: Reject,
    retried: boolean,
  ): void {
    this.text = text;
    this.method = method;
    this.interrupts = interrupts;
    this.resolve = resolve;
    this.reject = reject;
    this.retried = retried;
    this.received = false;
    interrupts?.watch(this);
    this.socket.write(text);
  }

  destroy(): void {
    if (this.idle) forgetIdle(this);
    this.socket.destroy();
  }

  private readonly onConnect = (): void => {
    this.socket.setTimeout(0);
  };

  private readonly onConnectTimeout = (): void => {
    this.socket.destroy(
      new ConnectTimeout(
        `No connection to ${this.hostname}:${this.port} after ${CONNECT_TIMEOUT_MS / 1000} s`,
      ),
    );
  };

  private readonly onRead = (length: number): boolean => {
    if (this.resolve === undefined) {
      this.destroy();
      return true;
    }
    this.received = true;
    try {
      this.parse(READ_BUFFER, 0, length);
    } catch (error) {
      this.fail(error);
    }
    return true;
  };

  private readonly onEnd = (): void => {
    if (this.resolve !== undefined && this.phase === UNTIL_CLOSE) this.complete();
    else this.destroy();
  };

  private readonly onError = (error: Error): void => {
    this.socketError = error;
  };

  private readonly onClose = (): void => {
    if (this.idle) forgetIdle(this);
    else if (this.resolve !== undefined) this.closedEarly();
  };

  /** Its iteration was interrupted: the exchange rejects with `reason`. */
  interrupt(reason: unknown): void {
    this.fail(reason);
  }

  private parse(buf: Buffer, start: number, end: number): void {
    let offset = start;
    while (offset < end) {
      switch (this.phase) {
        case HEAD:
          offset = this.readHead(buf, offset, end);
          break;
        case LENGTH: {
          const take = Math.min(this.remaining, end - offset);
          if (take === this.remaining && this.bodyParts.length === 0) {
            this.bodyText = buf.toString("utf8", offset, offset + take);
          } else this.keepBody(buf, offset, offset + take);
          offset += take;
          this.remaining -= take;
          if (this.remaining === 0) this.phase = DONE;
          break;
        }
        case UNTIL_CLOSE:
          this.keepBody(buf, offset, end);
          offset = end;
          break;
        case CHUNK_SIZE: {
          const next = this.readLine(buf, offset, end);
          if (next === -1) return;
          this.startChunk(this.line);
          offset = next;
          break;
        }
        case CHUNK_DATA: {
          const take = Math.min(this.remaining, end - offset);
          this.keepBody(buf, offset, offset + take);
          offset += take;
          this.remaining -= take;
          if (this.remaining === 0) this.phase = CHUNK_END;
          break;
        }
        case CHUNK_END: {
          const next = this.readLine(buf, offset, end);
          if (next === -1) return;
          if (this.line !== "")
            throw new HttpProtocolError(`A chunk's data goes on past its size: ${show(this.line)}`);
          this.phase = CHUNK_SIZE;
          offset = next;
          break;
        }
        case TRAILERS: {
          const next = this.readLine(buf, offset, end);
          if (next === -1) return;
          this.addTrailer(this.line);
          offset = next;
          break;
        }
        default:
          offset = end;
      }
      if (this.phase === DONE) {
        // Bytes after the response: the server is out of step with the requests; do not reuse.
        if (offset < end) this.keepAlive = false;
        this.complete();
        return;
      }
    }
  }

  /** Reads (part of) a header section; returns the offset after what it took. */
  private readHead(buf: Buffer, offset: number, end: number): number {
    let from = offset;
    let matched = this.headMatched;
    if (this.headLength === 0) checkStatusStart(buf, offset, end);
    while (matched > 0 && from < end) {
      const byte = buf[from];
      if (byte === (matched % 2 === 0 ? CR : LF)) {
        matched += 1;
        from += 1;
        if (matched === 4) break;
      } else if (byte === CR) {
        matched = 1;
        from += 1;
      } else matched = 0;
    }
    let stop = -1;
    if (matched === 4) stop = from;
    else if (matched === 0) {
      const at = buf.indexOf(END_OF_HEAD, from);
      if (at !== -1 && at + 4 <= end) stop = at + 4;
    }
    if (stop === -1) {
      this.headMatched = matched > 0 ? matched : trailingMatch(buf, from, end);
      this.headLength += end - offset;
      if (this.headLength > MAX_HEADER_BYTES) throw headTooLarge();
      this.headParts.push(Buffer.copyBytesFrom(buf, offset, end - offset));
      return end;
    }
    const total = this.headLength + stop - offset;
    if (total > MAX_HEADER_BYTES) throw headTooLarge();
    if (this.headLength === 0) this.parseHead(buf.toString("latin1", offset, stop - 2));
    else {
      this.headParts.push(buf.subarray(offset, stop));
      const head = Buffer.concat(this.headParts, total);
      this.headParts.length = 0;
      this.headLength = 0;
      this.headMatched = 0;
      this.parseHead(head.toString("latin1", 0, total - 2));
    }
    return stop;
  }

  /**
   * Checks a header section (every line ending in CRLF) and chooses how the body is framed. Only
   * the fields that frame the message are read here; the others when someone reads `headers`.
   */
  private parseHead(text: string): void {
    if (STRAY_LINE_BREAK.test(text)) {
      throw new HttpProtocolError(
        "The response's header section has a CR, LF or NUL outside a CRLF line end",
      );
    }
    const lineEnd = text.indexOf("\r\n");
    if (!isStatusLine(text, lineEnd)) {
      throw new HttpProtocolError(`Malformed status line ${show(text.slice(0, lineEnd))}`);
    }
    const status =
      (text.charCodeAt(9) - 48) * 100 + (text.charCodeAt(10) - 48) * 10 + (text.charCodeAt(11) - 48);
    let connection: string | undefined;
    let hint: string | undefined;
    let length: string | undefined;
    let coding: string | undefined;
    /** The framing field the previous line was, which a folded line continues. */
    let previous = OTHER_FIELD;
    for (let start = lineEnd + 2; start < text.length; ) {
      const end = text.indexOf("\r\n", start);
      const first = text.charCodeAt(start);
      if (first === 32 || first === 9) {
        if (start === lineEnd + 2) {
          throw new HttpProtocolError(
            `A header section starts with a continuation line ${show(text.slice(start, end))}`,
          );
        }
        const more = trimmed(text, start, end);
        if (previous === CONNECTION) connection = `${connection} ${more}`;
        else if (previous === KEEP_ALIVE) hint = `${hint} ${more}`;
        else if (previous === CONTENT_LENGTH) length = `${length} ${more}`;
        else if (previous === TRANSFER_ENCODING) coding = `${coding} ${more}`;
      } else {
        const colon = fieldNameEnd(text, start, end);
        previous = OTHER_FIELD;
        const size = colon - start;
        if (size === 10) {
          if (nameIs(text, start, "connection")) {
            connection = also(connection, trimmed(text, colon + 1, end));
            previous = CONNECTION;
          } else if (nameIs(text, start, "keep-alive")) {
            hint = also(hint, trimmed(text, colon + 1, end));
            previous = KEEP_ALIVE;
          }
        } else if (size === 14 && nameIs(text, start, "content-length")) {
          length = also(length, trimmed(text, colon + 1, end));
          previous = CONTENT_LENGTH;
        } else if (size === 17 && nameIs(text, start, "transfer-encoding")) {
          coding = also(coding, trimmed(text, colon + 1, end));
          previous = TRANSFER_ENCODING;
        }
      }
      start = end + 2;
    }
    if (status < 200) {
      if (status === 101) {
        throw new HttpProtocolError("The server switched protocols (101) though no upgrade was asked for");
      }
      return;
    }
    this.status = status;
    this.head = text;
    this.keepAlive =
      text.charCodeAt(7) === 49 ? !hasToken(connection, "close") : hasToken(connection, "keep-alive");
    this.idleMs = idleTimeoutOf(hint);
    if (this.idleMs <= 0) this.keepAlive = false;
    if (this.method === "HEAD" || status === 204 || status === 304) this.phase = DONE;
    else if (coding !== undefined) {
      // A length beside a transfer coding is ignored, and such a connection is not reused (RFC 9112 §6.3).
      if (length !== undefined) this.keepAlive = false;
      if (isChunked(coding)) this.phase = CHUNK_SIZE;
      else {
        this.phase = UNTIL_CLOSE;
        this.keepAlive = false;
      }
    } else if (length !== undefined) {
      this.remaining = contentLengthOf(length);
      this.phase = this.remaining === 0 ? DONE : LENGTH;
    } else {
      this.phase = UNTIL_CLOSE;
      this.keepAlive = false;
    }
  }

  /** Reads one CRLF-ended line of a chunked body into `line`; -1 when it goes on in the next read. */
  private readLine(buf: Buffer, offset: number, end: number): number {
    const lf = buf.indexOf(LF, offset);
    if (lf === -1 || lf >= end) {
      this.partialLine += buf.toString("latin1", offset, end);
      if (this.partialLine.length > MAX_HEADER_BYTES) {
        throw new HttpProtocolError(`A line of the chunked body is longer than ${MAX_HEADER_BYTES} bytes`);
      }
      return -1;
    }
    const line = `${this.partialLine}${buf.toString("latin1", offset, lf)}`;
    this.partialLine = "";
    if (line.charCodeAt(line.length - 1) !== CR) {
      throw new HttpProtocolError(`A line of the chunked body ends in a bare LF: ${show(line)}`);
    }
    this.line = line.slice(0, -1);
    return lf + 1;
  }

  private startChunk(line: string): void {
    let stop = line.indexOf(";");
    if (stop === -1) stop = line.length;
    while (stop > 0 && (line.charCodeAt(stop - 1) === 32 || line.charCodeAt(stop - 1) === 9)) stop -= 1;
    if (stop === 0 || stop > 12) throw new HttpProtocolError(`Invalid chunk size line ${show(line)}`);
    let size = 0;
    for (let at = 0; at < stop; at += 1) {
      const digit = hexValue(line.charCodeAt(at));
      if (digit === -1) throw new HttpProtocolError(`Invalid chunk size line ${show(line)}`);
      size = size * 16 + digit;
    }
    if (size === 0) {
      this.phase = TRAILERS;
      this.trailerBytes = 0;
    } else {
      this.remaining = size;
      this.phase = CHUNK_DATA;
    }
  }

  private addTrailer(line: string): void {
    if (line === "") {
      this.phase = DONE;
      return;
    }
    this.trailerBytes += line.length + 2;
    if (this.trailerBytes > MAX_HEADER_BYTES) {
      throw new HttpProtocolError(`The response's trailer section is larger than ${MAX_HEADER_BYTES} bytes`);
    }
    if (STRAY_LINE_BREAK.test(line)) {
      throw new HttpProtocolError(`A trailer line has a CR or NUL in it: ${show(line)}`);
    }
    this.trailers ??= fieldsObject();
    this.lastTrailer = addField(this.trailers, line, 0, line.length, this.lastTrailer);
  }

  private keepBody(buf: Buffer, start: number, stop: number): void {
    if (stop === start) return;
    this.bodyParts.push(Buffer.copyBytesFrom(buf, start, stop - start));
    this.bodyLength += stop - start;
  }

  private complete(): void {
    const resolve = this.resolve as Resolve;
    const parts = this.bodyParts;
    let body = this.bodyText;
    if (body === undefined) {
      if (parts.length === 0) body = "";
      else if (parts.length === 1) body = (parts[0] as Buffer).toString();
      else body = Buffer.concat(parts, this.bodyLength).toString();
    }
    const response = new WireResponse(this.status, this.head, body, this.trailers);
    const reuse = this.keepAlive && this.socket.writableLength === 0;
    this.served += 1;
    this.endExchange();
    if (reuse) {
      this.idleUntil = Date.now() + this.idleMs;
      keepIdle(this);
    } else this.destroy();
    resolve(response);
  }

  /** The socket closed with the exchange still open: send it again or reject it. */
  private closedEarly(): void {
    const error = this.socketError;
    const reused = this.served > 0;
    if (!this.received && reused && !this.retried && IDEMPOTENT.has(this.method)) {
      const { text, method, interrupts, resolve, reject } = this;
      this.endExchange();
      new Connection(this.host, this.hostname, this.port).send(
        text,
        method,
        interrupts,
        resolve as Resolve,
        reject as Reject,
        true,
      );
      return;
    }
    if (error !== undefined && !this.received && !reused && !this.retried) {
      this.fail(error);
      return;
    }
    this.fail(
      new ConnectionClosed(this.closedMessage(reused), error === undefined ? undefined : { cause: error }),
    );
  }

  private closedMessage(reused: boolean): string {
    if (!this.received) {
      if (this.retried) return "The connection closed before any response, again on a fresh connection";
      if (reused) {
        return `The reused connection closed before any response (${this.method} is not idempotent, so not sent again)`;
      }
      return "The connection closed before any response";
    }
    if (this.phase === HEAD) return "The connection closed in the middle of the response's header section";
    if (this.phase === LENGTH) {
      const received = this.bodyLength;
      return `The connection closed after ${received} of the response's ${received + this.remaining} body bytes`;
    }
    return `The connection closed in the middle of the response's chunked body (${this.bodyLength} bytes in)`;
  }

  /** Rejects the exchange in flight and destroys the socket. */
  private fail(reason: unknown): void {
    const reject = this.reject;
    if (reject === undefined) return;
    this.endExchange();
    this.destroy();
    reject(reason);
  }

  private endExchange(): void {
    this.interrupts?.unwatch(this);
    this.resolve = undefined;
    this.reject = undefined;
    this.interrupts = undefined;
    this.text = "";
    this.head = "";
    this.phase = HEAD;
    this.headParts.length = 0;
    this.headLength = 0;
    this.headMatched = 0;
    this.trailers = undefined;
    this.lastTrailer = undefined;
    this.remaining = 0;
    this.bodyParts.length = 0;
    this.bodyLength = 0;
    this.bodyText = undefined;
    this.partialLine = "";
  }
}

/** Fails fast when the first bytes of a response cannot start a status line. */
function checkStatusStart(buf: Buffer, offset: number, end: number): void {
  const stop = Math.min(end, offset + 5);
  for (let at = offset; at < stop; at += 1) {
    if (buf[at] !== "HTTP/".charCodeAt(at - offset)) {
      const shown = buf.toString("latin1", offset, Math.min(end, offset + 80)).split("\r\n")[0] ?? "";
      throw new HttpProtocolError(`Malformed status line ${show(shown)}`);
    }
  }
}

/** An object without a prototype: a field named `constructor` or `__proto__` is just a field. */
function fieldsObject(): IncomingHttpHeaders {
  return Object.create(null) as IncomingHttpHeaders;
}

/** `HTTP/1.x NNN[ reason]`, the line ending at `end`. */
function isStatusLine(text: string, end: number): boolean {
  if (end < 12 || (end > 12 && text.charCodeAt(12) !== 32)) return false;
  if (!text.startsWith("HTTP/1.") || text.charCodeAt(8) !== 32) return false;
  const minor = text.charCodeAt(7);
  if (minor !== 48 && minor !== 49) return false;
  const first = text.charCodeAt(9);
  if (first < 49 || first > 57) return false;
  for (let at = 10; at < 12; at += 1) {
    const digit = text.charCodeAt(at);
    if (digit < 48 || digit > 57) return false;
  }
  return true;
}

/** The fields of a checked header section (its status line skipped). */
function fieldsOf(head: string): IncomingHttpHeaders {
  const fields = fieldsObject();
  let name: string | undefined;
  for (let start = head.indexOf("\r\n") + 2; start < head.length; ) {
    const end = head.indexOf("\r\n", start);
    name = addField(fields, head, start, end, name);
    start = end + 2;
  }
  return fields;
}

/** Checks the name of the field on `text`'s line [start, end); returns the index of its colon. */
function fieldNameEnd(text: string, start: number, end: number): number {
  for (let at = start; at < end; at += 1) {
    const code = text.charCodeAt(at);
    if (code === 58 && at > start) return at;
    if (code >= 128 || TOKEN_CHARS[code] !== 1) {
      const colon = text.indexOf(":", start);
      if (colon <= start || colon >= end) {
        throw new HttpProtocolError(`Malformed header line ${show(text.slice(start, end))}`);
      }
      throw new HttpProtocolError(`Invalid header name ${show(text.slice(start, colon))}`);
    }
  }
  throw new HttpProtocolError(`Malformed header line ${show(text.slice(start, end))}`);
}

/** Whether the name at `text`[start] is `lower` in any case (the name is a checked token). */
function nameIs(text: string, start: number, lower: string): boolean {
  for (let at = 0; at < lower.length; at += 1) {
    if ((text.charCodeAt(start + at) | 0x20) !== lower.charCodeAt(at)) return false;
  }
  return true;
}

/** A repeated field's values joined as one list. */
function also(earlier: string | undefined, value: string): string {
  return earlier === undefined ? value : `${earlier},${value}`;
}

/** Adds the field on `text`'s line [start, end) to `fields`; returns its name (for a continuation line). */
function addField(
  fields: IncomingHttpHeaders,
  text: string,
  start: number,
  end: number,
  previous: string | undefined,
): string {
  const first = text.charCodeAt(start);
  if (first === 32 || first === 9) {
    // An obsolete line folding: the previous field's value goes on (RFC 9112 §5.2).
    if (previous === undefined) {
      throw new HttpProtocolError(
        `A header section starts with a continuation line ${show(text.slice(start, end))}`,
      );
    }
    const more = trimmed(text, start, end);
    const current = fields[previous] as string | string[];
    if (typeof current === "string") fields[previous] = `${current} ${more}`;
    else current[current.length - 1] = `${current[current.length - 1]} ${more}`;
    return previous;
  }
  const colon = text.indexOf(":", start);
  if (colon <= start || colon >= end) {
    throw new HttpProtocolError(`Malformed header line ${show(text.slice(start, end))}`);
  }
  const raw = text.slice(start, colon);
  if (!TOKEN.test(raw)) throw new HttpProtocolError(`Invalid header name ${show(raw)}`);
  const name = raw.toLowerCase();
  const value = trimmed(text, colon + 1, end);
  const current = fields[name];
  if (current === undefined) fields[name] = name === "set-cookie" ? [value] : value;
  else if (typeof current === "string") fields[name] = [current, value];
  else current.push(value);
  return name;
}

/** `text` [start, end) without the spaces and tabs around it. */
function trimmed(text: string, start: number, end: number): string {
  let from = start;
  let to = end;
  while (from < to && (text.charCodeAt(from) === 32 || text.charCodeAt(from) === 9)) from += 1;
  while (to > from && (text.charCodeAt(to - 1) === 32 || text.charCodeAt(to - 1) === 9)) to -= 1;
  return text.slice(from, to);
}

/** How many bytes of CRLFCRLF `buf` [from, end) ends with (0 to 3). */
function trailingMatch(buf: Buffer, from: number, end: number): number {
  const size = end - from;
  if (size >= 3 && buf[end - 3] === CR && buf[end - 2] === LF && buf[end - 1] === CR) return 3;
  if (size >= 2 && buf[end - 2] === CR && buf[end - 1] === LF) return 2;
  if (size >= 1 && buf[end - 1] === CR) return 1;
  return 0;
}

function headTooLarge(): HttpProtocolError {
  return new HttpProtocolError(`The response's header section is larger than ${MAX_HEADER_BYTES} bytes`);
}

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
}

/** Whether a comma-separated field has `token` (lower case) among its elements. */
function hasToken(value: string | undefined, token: string): boolean {
  if (value === undefined) return false;
  const text = value.toLowerCase();
  if (text === token) return true;
  if (!text.includes(token)) return false;
  return text.split(",").some((element) => element.trim() === token);
}

function isChunked(coding: string): boolean {
  if (coding === "chunked") return true;
  const last = coding.slice(coding.lastIndexOf(",") + 1).trim();
  return last.toLowerCase() === "chunked";
}

function contentLengthOf(text: string): number {
  if (DIGITS.test(text)) return Number(text);
  const values = new Set(text.split(",").map((element) => element.trim()));
  const [only] = values;
  // Repeated equal values ("5, 5") are one length (RFC 9110 §8.6).
  if (values.size !== 1 || only === undefined || !DIGITS.test(only)) {
    throw new HttpProtocolError(`Invalid content-length ${show(text)}`);
  }
  return Number(only);
}

let lastHint: string | undefined;
let lastHintMs = DEFAULT_IDLE_MS;

/** How long a socket may stay idle after a response with this `keep-alive` field (ms). */
function idleTimeoutOf(text: string | undefined): number {
  if (text === undefined) return DEFAULT_IDLE_MS;
  if (text !== lastHint) {
    const seconds = /(?:^|[\s,;])timeout\s*=\s*(\d+)/i.exec(text)?.[1];
    lastHint = text;
    lastHintMs =
      seconds === undefined
        ? DEFAULT_IDLE_MS
        : Math.min(Number(seconds) * 1000, MAX_IDLE_MS) - IDLE_MARGIN_MS;
  }
  return lastHintMs;
}

function show(text: string): string {
  return JSON.stringify(text.length > 100 ? `${text.slice(0, 100)}…` : text);
}
