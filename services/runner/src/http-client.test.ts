import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConnectionError, createHttpClient, HttpRequestFailed } from "./http-client.js";
import { Interrupts } from "./interrupts.js";

interface Seen {
  readonly server: "a" | "b";
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage["headers"];
  /** Field names as sent, lower-cased (repeats kept). */
  readonly names: string[];
  readonly body: string;
}

const seen: Seen[] = [];
const servers: Server[] = [];
let a: string;
let b: string;

/** A loopback server answering by path: `/to/<code>?url` redirects, `/loop` forever, `/slow` never. */
async function listen(name: "a" | "b"): Promise<string> {
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      const url = new URL(request.url ?? "/", "http://x");
      seen.push({
        server: name,
        method: request.method ?? "",
        url: url.pathname,
        headers: request.headers,
        names: request.rawHeaders.filter((_, index) => index % 2 === 0).map((name) => name.toLowerCase()),
        body,
      });
      const redirect = /^\/to\/(\d{3})$/.exec(url.pathname);
      if (redirect)
        response.writeHead(Number(redirect[1]), { location: decodeURIComponent(url.search.slice(1)) }).end();
      else if (url.pathname === "/loop") response.writeHead(302, { location: "/loop" }).end();
      else if (url.pathname === "/slow") response.writeHead(200).write("partial");
      else if (url.pathname === "/big") response.writeHead(200).end("é".repeat(100_000));
      else response.writeHead(200, { "content-type": "text/plain", "x-seen": name }).end(`ok ${name}`);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  a = await listen("a");
  b = await listen("b");
});

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

function last(count: number): Seen[] {
  return seen.slice(-count);
}

describe("createHttpClient", () => {
  it("sends method, headers and a JSON body, and reads status, headers and the whole body", async () => {
    const http = createHttpClient({ baseUrl: a, headers: { "x-team": "qa" } });
    const response = await http.post("echo", { n: 1 }, { headers: { "x-extra": "1" } });
    expect(response.status).toBe(200);
    expect(response.body).toBe("ok a");
    expect(response.headers.get("x-seen")).toBe("a");
    const [request] = last(1);
    expect(request).toMatchObject({ method: "POST", url: "/echo", body: '{"n":1}' });
    expect(request?.headers).toMatchObject({
      "x-team": "qa",
      "x-extra": "1",
      "content-type": "application/json",
    });
    const big = await http.get(`${a}/big`);
    expect(big.body).toBe("é".repeat(100_000));
  });

  it("keeps a JSON body's content type when the request gives its own, however it is spelled", async () => {
    const http = createHttpClient({ headers: { "x-team": "qa" } });
    await http.post(`${a}/echo`, [1], { headers: { "Content-Type": "application/merge-patch+json" } });
    await createHttpClient().request(`${a}/echo`, { method: "PUT", body: { n: 2 } });
    const [own, plain] = last(2);
    expect(own?.headers["content-type"]).toBe("application/merge-patch+json");
    expect(own?.names.filter((name) => name === "content-type")).toHaveLength(1);
    expect(plain).toMatchObject({ method: "PUT", body: '{"n":2}' });
    expect(plain?.headers["content-type"]).toBe("application/json");
  });

  it("follows redirects: 303 and a POST's 301/302 continue as GET without the body; 307 keeps both", async () => {
    const http = createHttpClient();
    const see = await http.post(`${a}/to/303?/landed`, "payload", {
      headers: { "content-type": "text/plain" },
    });
    expect(see.status).toBe(200);
    expect(last(2).map((r) => `${r.method} ${r.url} ${r.body}`)).toEqual([
      "POST /to/303 payload",
      "GET /landed ",
    ]);
    expect(last(1)[0]?.headers["content-type"]).toBeUndefined();

    await http.post(`${a}/to/302?/landed`, "payload");
    expect(last(1).map((r) => `${r.method} ${r.url} ${r.body}`)).toEqual(["GET /landed "]);

    await http.post(`${a}/to/307?/landed`, "payload");
    expect(last(1).map((r) => `${r.method} ${r.url} ${r.body}`)).toEqual(["POST /landed payload"]);
  });

  it("drops credentials when a redirect leaves the origin, keeps them within it", async () => {
    const http = createHttpClient({ headers: { authorization: "Bearer secret", "x-keep": "1" } });
    await http.get(`${a}/to/302?${encodeURIComponent(`${b}/elsewhere`)}`);
    const [first, second] = last(2);
    expect(first).toMatchObject({ server: "a", headers: { authorization: "Bearer secret" } });
    expect(second).toMatchObject({ server: "b", url: "/elsewhere", headers: { "x-keep": "1" } });
    expect(second?.headers.authorization).toBeUndefined();
    await http.get(`${a}/to/301?/same`);
    expect(last(1)[0]?.headers.authorization).toBe("Bearer secret");
  });

  it("returns a redirect itself when told not to follow, and refuses an endless chain", async () => {
    const http = createHttpClient();
    const moved = await http.get(`${a}/to/302?/landed`, { followRedirects: false });
    expect(moved.status).toBe(302);
    expect(moved.headers.get("location")).toBe("/landed");
    await expect(http.get(`${a}/loop`)).rejects.toThrow(HttpRequestFailed);
    await expect(http.get(`${a}/loop`)).rejects.toThrow(/redirected more than 10 times/);
  });

  it("names the URL of a refused connection, and stops at the iteration's abort or its own timeout", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = createHttpClient().get(`http://127.0.0.1:${port}/x`);
    await expect(refused).rejects.toThrow(ConnectionError);
    await expect(refused).rejects.toThrow(`GET http://127.0.0.1:${port}/x failed`);

    const controller = new AbortController();
    const pending = createHttpClient({ interrupts: Interrupts.of(controller.signal) }).get(`${a}/slow`);
    setTimeout(() => controller.abort(new Error("iteration aborted")), 50);
    await expect(pending).rejects.toThrow("iteration aborted");

    const started = performance.now();
    await expect(createHttpClient().get(`${a}/slow`, { timeout: 0.2 })).rejects.toMatchObject({
      name: "TimeoutError",
    });
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it("refuses a relative URL without a base URL", async () => {
    await expect(createHttpClient().get("relative")).rejects.toThrow(/needs a base URL/);
  });
});
