import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { type AddressInfo, createServer, type Server, type Socket } from "node:net";
import { eventually } from "@paddock/testkit";
import { afterEach, describe, expect, it } from "vitest";
import {
  ConnectionClosed,
  HttpProtocolError,
  idleConnectionCount,
  MAX_HEADER_BYTES,
  requestHttp,
} from "./http-wire.js";
import { Interrupts } from "./interrupts.js";

/** A request as the raw test server read it. */
interface RawRequest {
  readonly method: string;
  readonly path: string;
  /** Names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  /** 1-based number of the connection it came on. */
  readonly connection: number;
  /** 1-based number of the request on its connection. */
  readonly index: number;
}

interface RawServer {
  readonly url: string;
  readonly requests: RawRequest[];
  /** Connections accepted so far. */
  connections(): number;
  /** Connections the client closed or reset. */
  closedByClient(): number;
}

type Respond = (request: RawRequest, socket: Socket) => void;

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function closeServer(server: Server | HttpServer, sockets: Iterable<Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A TCP server that reads HTTP/1.1 requests (content-length bodies) and lets `respond` write exact bytes. */
async function rawServer(respond: Respond): Promise<RawServer> {
  const requests: RawRequest[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  let closedByClient = 0;
  const server = createServer((socket) => {
    connections += 1;
    const connection = connections;
    let index = 0;
    let pending = Buffer.alloc(0);
    let serverClosed = false;
    let counted = false;
    sockets.add(socket);
    socket.setNoDelay(true);
    const destroy = socket.destroy.bind(socket);
    const end = socket.end.bind(socket);
    socket.destroy = (error?: Error) => {
      serverClosed = true;
      return destroy(error);
    };
    socket.end = ((...args: Parameters<Socket["end"]>) => {
      serverClosed = true;
      return end(...args);
    }) as Socket["end"];
    // A FIN or a reset from the client before this server closed its side.
    const clientClosed = () => {
      if (serverClosed || counted) return;
      counted = true;
      closedByClient += 1;
    };
    socket.on("end", clientClosed);
    socket.on("error", clientClosed);
    socket.on("close", () => sockets.delete(socket));
    socket.on("data", (data: Buffer) => {
      pending = Buffer.concat([pending, data]);
      for (;;) {
        const end = pending.indexOf("\r\n\r\n");
        if (end === -1) return;
        const [line = "", ...fields] = pending.toString("latin1", 0, end).split("\r\n");
        const headers: Record<string, string> = {};
        for (const field of fields) {
          const colon = field.indexOf(":");
          headers[field.slice(0, colon).toLowerCase()] = field.slice(colon + 1).trim();
        }
        const length = Number(headers["content-length"] ?? 0);
        if (pending.length < end + 4 + length) return;
        const [method = "", path = ""] = line.split(" ");
        index += 1;
        const request = {
          method,
          path,
          headers,
          body: pending.subarray(end + 4, end + 4 + length),
          connection,
          index,
        };
        pending = pending.subarray(end + 4 + length);
        requests.push(request);
        respond(request, socket);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => closeServer(server, sockets));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    connections: () => connections,
    closedByClient: () => closedByClient,
  };
}

interface NodeServer {
  readonly url: string;
  readonly server: HttpServer;
  connections(): number;
}

/** A `node:http` server answering with `handle`, counting its connections. */
async function nodeServer(handle: Parameters<typeof createHttpServer>[1]): Promise<NodeServer> {
  const server = createHttpServer(handle);
  const sockets = new Set<Socket>();
  let connections = 0;
  server.on("connection", (socket: Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => closeServer(server, sockets));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    connections: () => connections,
  };
}

/** Writes `text` a few bytes at a time with a pause between writes, so the client reads it in pieces. */
async function writeSlowly(socket: Socket, text: string | Buffer, size = 1): Promise<void> {
  const bytes = typeof text === "string" ? Buffer.from(text, "latin1") : text;
  for (let at = 0; at < bytes.length; at += size) {
    if (socket.destroyed) return;
    socket.write(bytes.subarray(at, at + size));
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

function get(url: string, method = "GET", body?: string, signal?: AbortSignal) {
  return requestHttp(
    new URL(url),
    method,
    {},
    body,
    signal === undefined ? undefined : Interrupts.of(signal),
  );
}

const OK = "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok";

describe("requestHttp", () => {
  it("reuses one kept-alive connection for requests in sequence, and opens one per concurrent request", async () => {
    const target = await nodeServer((request, response) => response.end(`ok ${request.url}`));
    for (let n = 0; n < 5; n += 1) {
      const response = await get(`${target.url}/seq/${n}`);
      expect(response).toMatchObject({ status: 200, body: `ok /seq/${n}` });
    }
    expect(target.connections()).toBe(1);
    const host = new URL(target.url).host;
    expect(idleConnectionCount(host)).toBe(1);
    const together = await Promise.all(Array.from({ length: 4 }, (_, n) => get(`${target.url}/par/${n}`)));
    expect(together.map((response) => response.body)).toEqual([0, 1, 2, 3].map((n) => `ok /par/${n}`));
    expect(target.connections()).toBe(4);
    expect(idleConnectionCount(host)).toBe(4);
    await get(`${target.url}/again`);
    expect(target.connections()).toBe(4);
  });

  it("sends method, path, host, the caller's headers and a UTF-8 body with its byte length", async () => {
    const server = await rawServer((request, socket) => {
      const echoed = Buffer.concat([Buffer.from("you sent: "), request.body]);
      socket.write(`HTTP/1.1 200 OK\r\ncontent-length: ${echoed.length}\r\n\r\n`);
      socket.write(echoed);
    });
    const text = "héllo ☃ 😀";
    const response = await requestHttp(
      new URL(`${server.url}/a/b?c=d%20e`),
      "POST",
      { "x-team": "qa", "content-type": "text/plain; charset=utf-8", "content-length": "1" },
      text,
      undefined,
    );
    expect(response.body).toBe(`you sent: ${text}`);
    const [request] = server.requests;
    expect(request).toMatchObject({ method: "POST", path: "/a/b?c=d%20e" });
    expect(request?.body.toString("utf8")).toBe(text);
    expect(request?.headers).toEqual({
      host: new URL(server.url).host,
      "x-team": "qa",
      "content-type": "text/plain; charset=utf-8",
      "content-length": String(Buffer.byteLength(text)),
    });
    await requestHttp(new URL(server.url), "POST", {}, undefined, undefined);
    expect(server.requests[1]?.headers["content-length"]).toBe("0");
    await requestHttp(new URL(server.url), "GET", { Host: "example.test" }, undefined, undefined);
    expect(server.requests[2]?.headers).toEqual({ host: "example.test" });
  });

  it("refuses a header that would break the request's framing, before sending anything", async () => {
    const server = await rawServer((_request, socket) => socket.write(OK));
    await expect(
      requestHttp(new URL(server.url), "GET", { "x-a": "1\r\nx-b: 2" }, undefined, undefined),
    ).rejects.toThrow("Header 'x-a' has a CR, LF or NUL in its value");
    await expect(
      requestHttp(new URL(server.url), "GET", { "x a": "1" }, undefined, undefined),
    ).rejects.toThrow('Invalid header name "x a"');
    await expect(requestHttp(new URL(server.url), "GE T", {}, undefined, undefined)).rejects.toThrow(
      'Invalid HTTP method "GE T"',
    );
    expect(server.connections()).toBe(0);
  });

  it("reads content-length and chunked bodies delivered one byte at a time, with chunk extensions and trailers", async () => {
    const chunked =
      "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\nx-a: 1\r\n\r\n" +
      "5;name=value\r\nhello\r\n1 ; ext\r\n,\r\n6\r\n world\r\n0\r\nx-checksum: abc\r\nx-more: 1\r\n\r\n";
    const server = await rawServer((request, socket) => {
      const response =
        request.path === "/chunked"
          ? chunked
          : "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 11\r\n\r\nhello world";
      void writeSlowly(socket, response);
    });
    const plain = await get(`${server.url}/length`);
    expect(plain).toMatchObject({ status: 200, body: "hello world", trailers: undefined });
    expect(plain.headers["content-type"]).toBe("text/plain");
    const pieces = await get(`${server.url}/chunked`);
    expect(pieces.body).toBe("hello, world");
    expect(pieces.headers["x-a"]).toBe("1");
    expect(pieces.trailers).toEqual({ "x-checksum": "abc", "x-more": "1" });
    const again = await get(`${server.url}/chunked`);
    expect(again.body).toBe("hello, world");
    expect(server.connections()).toBe(1);
  });

  it("decodes UTF-8 split across reads and reads bodies of several MB both ways", async () => {
    const big = "é😀x".repeat(500_000);
    const server = await nodeServer((request, response) => {
      const parts: Buffer[] = [];
      request.on("data", (part: Buffer) => parts.push(part));
      request.on("end", () => {
        const received = Buffer.concat(parts).toString("utf8");
        if (request.url === "/chunked") {
          response.write(big.slice(0, 300_001));
          response.end(big.slice(300_001));
        } else if (request.url === "/echo-length") response.end(String(received.length));
        else response.writeHead(200, { "content-length": Buffer.byteLength(big) }).end(big);
      });
    });
    expect(Buffer.byteLength(big)).toBeGreaterThan(3_000_000);
    const whole = await get(`${server.url}/length`);
    expect(whole.body).toBe(big);
    const chunked = await get(`${server.url}/chunked`);
    expect(chunked.headers["transfer-encoding"]).toBe("chunked");
    expect(chunked.body).toBe(big);
    const sent = await get(`${server.url}/echo-length`, "PUT", big);
    expect(sent.body).toBe(String(big.length));
    expect(server.connections()).toBe(1);
  });

  it("keeps repeated header fields as arrays, set-cookie always, names lower-cased", async () => {
    const server = await rawServer((_request, socket) => {
      socket.write(
        "HTTP/1.1 201 Created\r\nX-Upper: v\r\nx-a: 1\r\nX-A: 2\r\nx-a:3\r\nset-cookie: a=1\r\n" +
          "constructor: c\r\nx-folded: one\r\n  two\r\ncontent-length: 0\r\n\r\n",
      );
    });
    const response = await get(server.url);
    expect(response.status).toBe(201);
    expect({ ...response.headers }).toEqual({
      "x-upper": "v",
      "x-a": ["1", "2", "3"],
      "set-cookie": ["a=1"],
      constructor: "c",
      "x-folded": "one two",
      "content-length": "0",
    });
  });

  it("frames a body by a repeated equal content-length, a folded one, and a transfer coding list", async () => {
    const server = await rawServer((request, socket) => {
      const answers: Record<string, string> = {
        "/twice": "HTTP/1.1 200 OK\r\ncontent-length: 2\r\nContent-Length: 2\r\n\r\nok",
        "/list": "HTTP/1.1 200 OK\r\ncontent-length: 2, 2\r\n\r\nok",
        "/folded": "HTTP/1.1 200 OK\r\ncontent-length:\r\n 2\r\n\r\nok",
        "/codings":
          "HTTP/1.1 200 OK\r\ntransfer-encoding: gzip\r\nTransfer-Encoding: CHUNKED\r\n\r\n2\r\nok\r\n0\r\n\r\n",
      };
      socket.write(answers[request.path] ?? OK);
    });
    for (const path of ["/twice", "/list", "/folded", "/codings"]) {
      expect(await get(`${server.url}${path}`)).toMatchObject({ status: 200, body: "ok" });
    }
    expect(server.connections()).toBe(1);
  });

  it("drops an idle connection that receives bytes nobody asked for", async () => {
    const server = await rawServer((_request, socket) => {
      socket.write(OK);
      setTimeout(() => socket.write("HTTP/1.1 408 Request Timeout\r\n\r\n"), 20);
    });
    const host = new URL(server.url).host;
    await get(server.url);
    await eventually(() => idleConnectionCount(host) === 0, 10_000, "the idle connection dropped");
    expect(await get(server.url)).toMatchObject({ status: 200, body: "ok" });
    expect(server.connections()).toBe(2);
  });

  it("reads no body for HEAD, 204 and 304, and keeps the connection", async () => {
    const server = await rawServer((request, socket) => {
      if (request.method === "HEAD") socket.write("HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\n");
      else if (request.path === "/none") socket.write("HTTP/1.1 204 No Content\r\n\r\n");
      else if (request.path === "/same")
        socket.write("HTTP/1.1 304 Not Modified\r\ncontent-length: 9\r\n\r\n");
      else socket.write(OK);
    });
    expect(await get(server.url, "HEAD")).toMatchObject({ status: 200, body: "" });
    expect(await get(`${server.url}/none`)).toMatchObject({ status: 204, body: "" });
    expect(await get(`${server.url}/same`)).toMatchObject({ status: 304, body: "" });
    expect(await get(`${server.url}/after`)).toMatchObject({ status: 200, body: "ok" });
    expect(server.connections()).toBe(1);
  });

  it("skips 100 Continue and other 1xx responses and waits for the final one", async () => {
    const server = await rawServer((_request, socket) => {
      socket.write("HTTP/1.1 100 Continue\r\n\r\n");
      setTimeout(() => {
        socket.write("HTTP/1.1 103 Early Hints\r\nlink: </a.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\n");
        setTimeout(() => socket.write("x-final: yes\r\ncontent-length: 4\r\n\r\ndone"), 20);
      }, 20);
    });
    const response = await get(server.url, "POST", "payload");
    expect(response).toMatchObject({ status: 200, body: "done" });
    expect(response.headers).toEqual({ "x-final": "yes", "content-length": "4" });
    expect(await get(server.url)).toMatchObject({ status: 200, body: "done" });
    expect(server.connections()).toBe(1);
  });

  it("reads a body without length or chunking until the server closes, then uses a new connection", async () => {
    const server = await rawServer((request, socket) => {
      if (request.connection === 1) {
        void writeSlowly(socket, "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n\r\nuntil the end", 4).then(
          () => socket.end(),
        );
      } else socket.write(OK);
    });
    expect(await get(server.url)).toMatchObject({ status: 200, body: "until the end" });
    expect(await get(server.url)).toMatchObject({ status: 200, body: "ok" });
    expect(server.connections()).toBe(2);
  });

  it("does not reuse a connection after `connection: close`, an HTTP/1.0 response or a short keep-alive", async () => {
    const server = await rawServer((request, socket) => {
      const answers: Record<string, string> = {
        "/close": "HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 2\r\n\r\nok",
        "/old": "HTTP/1.0 200 OK\r\ncontent-length: 2\r\n\r\nok",
        "/old-kept": "HTTP/1.0 200 OK\r\nconnection: keep-alive\r\ncontent-length: 2\r\n\r\nok",
        "/short": "HTTP/1.1 200 OK\r\nkeep-alive: timeout=1\r\ncontent-length: 2\r\n\r\nok",
      };
      socket.write(answers[request.path] ?? OK);
    });
    const host = new URL(server.url).host;
    await get(`${server.url}/close`);
    expect(idleConnectionCount(host)).toBe(0);
    await get(`${server.url}/old`);
    expect(idleConnectionCount(host)).toBe(0);
    await get(`${server.url}/short`);
    expect(idleConnectionCount(host)).toBe(0);
    expect(server.connections()).toBe(3);
    await get(`${server.url}/old-kept`);
    await get(`${server.url}/next`);
    expect(server.connections()).toBe(4);
    await eventually(() => server.closedByClient() === 3, 10_000, "the client closing 3 connections");
  });

  it("drops an idle connection before the server's keep-alive timeout", async () => {
    const server = await rawServer((_request, socket) => {
      socket.write("HTTP/1.1 200 OK\r\nkeep-alive: timeout=2\r\ncontent-length: 2\r\n\r\nok");
    });
    const host = new URL(server.url).host;
    await get(server.url);
    expect(idleConnectionCount(host)).toBe(1);
    await eventually(() => idleConnectionCount(host) === 0, 10_000, "the idle connection dropped");
    await eventually(() => server.closedByClient() === 1, 10_000, "the server seeing the client close");
  });

  it("drops an idle connection the server closes; the next request uses a new one", async () => {
    const server = await rawServer((_request, socket) => {
      socket.write(OK);
      setTimeout(() => socket.end(), 20);
    });
    const host = new URL(server.url).host;
    await get(server.url);
    await eventually(() => idleConnectionCount(host) === 0, 10_000, "the closed connection dropped");
    expect(await get(server.url)).toMatchObject({ status: 200, body: "ok" });
    expect(server.connections()).toBe(2);
  });

  it("sends an idempotent request again, once, when a reused connection dies before any response byte", async () => {
    // Every connection answers its first request and drops the socket on the second without a byte.
    const server = await rawServer((request, socket) => {
      if (request.index === 1) socket.write(OK);
      else socket.destroy();
    });
    await get(server.url);
    expect(await get(server.url, "PUT", "x")).toMatchObject({ status: 200, body: "ok" });
    expect(server.connections()).toBe(2);
    expect(
      server.requests.map((request) => `${request.connection}.${request.index} ${request.method}`),
    ).toEqual(["1.1 GET", "1.2 PUT", "2.1 PUT"]);
    const post = get(server.url, "POST", "x");
    await expect(post).rejects.toThrow(ConnectionClosed);
    await expect(post).rejects.toThrow(
      /reused connection closed before any response \(POST is not idempotent/,
    );
    expect(server.connections()).toBe(2);
  });

  it("sends again only once: a fresh connection that also dies rejects", async () => {
    const server = await rawServer((request, socket) => {
      if (request.connection === 1 && request.index === 1) socket.write(OK);
      else socket.destroy();
    });
    await get(server.url);
    const failed = get(server.url);
    await expect(failed).rejects.toThrow(ConnectionClosed);
    await expect(failed).rejects.toThrow("again on a fresh connection");
    expect(server.connections()).toBe(2);
    const fresh = get(server.url);
    await expect(fresh).rejects.toThrow(/The connection closed before any response|ECONNRESET/);
  });

  it("rejects a response cut short, naming where", async () => {
    const server = await rawServer((_request, socket) => {
      socket.write("HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc");
      setTimeout(() => socket.end(), 20);
    });
    await expect(get(server.url)).rejects.toThrow(
      "The connection closed after 3 of the response's 10 body bytes",
    );
  });

  it.each([
    ["a status line that is not HTTP", "HTTX/1.1 200 OK\r\n\r\n", 'Malformed status line "HTTX/1.1 200 OK"'],
    [
      "a status code that is not 3 digits",
      "HTTP/1.1 2O0 OK\r\n\r\n",
      'Malformed status line "HTTP/1.1 2O0 OK"',
    ],
    [
      "a bad chunk size",
      "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n",
      'Invalid chunk size line "zz"',
    ],
    [
      "chunk data longer than its size",
      "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n",
      `A chunk's data goes on past its size: "c"`,
    ],
    ["a bad content-length", "HTTP/1.1 200 OK\r\ncontent-length: 1x\r\n\r\n", 'Invalid content-length "1x"'],
    [
      "conflicting content-lengths",
      "HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-length: 3\r\n\r\nok",
      'Invalid content-length "2,3"',
    ],
    [
      "a header line without a colon",
      "HTTP/1.1 200 OK\r\nno colon\r\n\r\n",
      'Malformed header line "no colon"',
    ],
    ["a space before the colon", "HTTP/1.1 200 OK\r\nx-a : 1\r\n\r\n", 'Invalid header name "x-a "'],
    ["a bare LF", "HTTP/1.1 200 OK\r\nx-a: 1\nx-b: 2\r\n\r\n", "CR, LF or NUL outside a CRLF line end"],
    ["an unasked-for upgrade", "HTTP/1.1 101 Switching Protocols\r\n\r\n", "switched protocols (101)"],
  ])("rejects %s with a precise error and destroys the socket", async (_what, response, message) => {
    const server = await rawServer((_request, socket) => socket.write(response));
    const failed = get(server.url);
    await expect(failed).rejects.toThrow(HttpProtocolError);
    await expect(failed).rejects.toThrow(message);
    await eventually(() => server.closedByClient() === 1, 10_000, "the client closing the socket");
    expect(idleConnectionCount(new URL(server.url).host)).toBe(0);
  });

  it("rejects a header section larger than the limit, also when it arrives in pieces", async () => {
    const filler = `x-filler: ${"a".repeat(1000)}\r\n`.repeat(Math.ceil(MAX_HEADER_BYTES / 1000));
    const server = await rawServer((request, socket) => {
      const head = `HTTP/1.1 200 OK\r\n${filler}content-length: 0\r\n\r\n`;
      if (request.path === "/pieces") void writeSlowly(socket, head, 4096);
      else socket.write(head);
    });
    for (const path of ["/whole", "/pieces"]) {
      const failed = get(`${server.url}${path}`);
      await expect(failed).rejects.toThrow(HttpProtocolError);
      await expect(failed).rejects.toThrow(
        `The response's header section is larger than ${MAX_HEADER_BYTES} bytes`,
      );
    }
    await eventually(() => server.closedByClient() === 2, 10_000, "the client closing both sockets");
  });

  it("rejects with the signal's reason when aborted mid-response, and destroys the socket", async () => {
    const server = await rawServer((_request, socket) => {
      socket.write("HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\npartial");
    });
    const controller = new AbortController();
    const pending = get(server.url, "GET", undefined, controller.signal);
    await eventually(() => server.requests.length === 1, 10_000, "the request to arrive");
    const reason = new Error("iteration aborted");
    setTimeout(() => controller.abort(reason), 20);
    await expect(pending).rejects.toBe(reason);
    await eventually(() => server.closedByClient() === 1, 10_000, "the client closing the socket");
    await expect(get(server.url, "GET", undefined, controller.signal)).rejects.toBe(reason);
    expect(server.connections()).toBe(1);
  });

  it("rejects a refused connection with the socket's error", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(get(`http://127.0.0.1:${port}/x`)).rejects.toMatchObject({ code: "ECONNREFUSED" });
  });

  it("does not reuse a connection that sent bytes after the response", async () => {
    const server = await rawServer((_request, socket) => socket.write(`${OK}HTTP/1.1 200 OK\r\n`));
    expect(await get(server.url)).toMatchObject({ body: "ok" });
    expect(await get(server.url)).toMatchObject({ body: "ok" });
    expect(server.connections()).toBe(2);
  });
});
