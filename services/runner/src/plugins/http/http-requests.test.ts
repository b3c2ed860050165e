import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { AtomicAction } from "@paddock/shared/task-model";
import { loadTask } from "@paddock/tasks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../clock.js";
import { IterationContext } from "../../iteration-context.js";
import { prepareTask } from "../../task-validator.js";
import { iterationError } from "../../workload-load.js";
import { createPluginRegistry } from "../index.js";

const registry = createPluginRegistry();

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  /** Field names as sent, lower-cased (repeats kept). */
  names: string[];
  body: string;
}

let server: Server;
let base: string;
let connections = 0;
const seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      const names = request.rawHeaders
        .filter((_, index) => index % 2 === 0)
        .map((name) => name.toLowerCase());
      seen.push({
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
        names,
        body,
      });
      if (request.url?.startsWith("/missing")) response.writeHead(404).end("no");
      else if (request.url?.startsWith("/moved")) response.writeHead(302, { location: "/ok" }).end();
      else response.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  server.on("connection", () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function once(name: string, args: Record<string, unknown>) {
  const preparation = prepareTask(
    loadTask(JSON.stringify({ [name]: [{ args, runner: { type: "serial", times: 1 } }] })).task,
    registry,
  );
  if (!preparation.ok) throw new Error(JSON.stringify(preparation.problems));
  const prepared = preparation.task.subtasks[0]?.workloads[0];
  const ctx = new IterationContext(1, systemClock);
  let error: string[] = [];
  try {
    await prepared?.scenario.run(ctx, prepared.args);
  } catch (thrown) {
    error = iterationError(thrown);
  }
  return { ctx, error };
}

describe("HttpRequests.check_request", () => {
  it("times the request in requests.check_request and passes on the expected status", async () => {
    const { ctx, error } = await once("HttpRequests.check_request", { url: `${base}/ok`, method: "GET" });
    expect(error).toEqual([]);
    expect(ctx.atomics.map((action) => action.name)).toEqual(["requests.check_request"]);
    expect((ctx.atomics[0] as AtomicAction).finished_at).not.toBeNull();
  });

  it("fails with Rally's ValueError on another status", async () => {
    const { ctx, error } = await once("HttpRequests.check_request", {
      url: `${base}/missing`,
      method: "GET",
      status_code: 200,
    });
    expect(error.slice(0, 2)).toEqual(["ValueError", "Expected HTTP request code is `200` actual `404`"]);
    expect(ctx.atomics[0]?.failed).toBe(true);
  });

  it("sends params, headers, cookies and a JSON or form body", async () => {
    seen.length = 0;
    await once("HttpRequests.check_request", {
      url: `${base}/ok`,
      method: "post",
      params: { q: "a b", n: 2 },
      headers: { "x-test": "1" },
      cookies: { session: "s1" },
      json: { hello: "world" },
    });
    await once("HttpRequests.check_request", { url: `${base}/ok`, method: "PUT", data: { a: 1, b: "x" } });
    expect(seen[0]).toMatchObject({ method: "POST", url: "/ok?q=a+b&n=2", body: '{"hello":"world"}' });
    expect(seen[0]?.headers).toMatchObject({
      "x-test": "1",
      cookie: "session=s1",
      "content-type": "application/json",
    });
    expect(seen[1]).toMatchObject({ method: "PUT", body: "a=1&b=x" });
    expect(seen[1]?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
  });

  it("builds the body as python-requests does: data over json, a json string encoded, null sends none", async () => {
    seen.length = 0;
    await once("HttpRequests.check_request", {
      url: `${base}/ok`,
      method: "POST",
      data: { tag: ["a", "b"], n: 1 },
      json: { ignored: true },
    });
    await once("HttpRequests.check_request", { url: `${base}/ok`, method: "POST", json: "text" });
    await once("HttpRequests.check_request", { url: `${base}/ok`, method: "POST", json: null });
    await once("HttpRequests.check_request", {
      url: `${base}/ok`,
      method: "POST",
      headers: { "Content-Type": "application/vnd.x+json" },
      json: [1],
    });
    expect(seen.map((request) => [request.body, request.headers["content-type"]])).toEqual([
      ["tag=a&tag=b&n=1", "application/x-www-form-urlencoded"],
      ['"text"', "application/json"],
      ["", undefined],
      ["[1]", "application/vnd.x+json"],
    ]);
    expect(seen.map((request) => request.names.filter((name) => name === "content-type").length)).toEqual([
      1, 1, 0, 1,
    ]);
  });

  it("sends the same request every iteration of a workload", async () => {
    seen.length = 0;
    const args = { url: `${base}/ok`, method: "patch", params: { page: 2 }, json: { n: 1 } };
    const preparation = prepareTask(
      loadTask(
        JSON.stringify({ "HttpRequests.check_request": [{ args, runner: { type: "serial", times: 3 } }] }),
      ).task,
      registry,
    );
    if (!preparation.ok) throw new Error(JSON.stringify(preparation.problems));
    const workload = preparation.task.subtasks[0]?.workloads[0];
    for (let i = 1; i <= 3; i += 1)
      await workload?.scenario.run(new IterationContext(i, systemClock), workload.args);
    expect(seen.map((request) => [request.method, request.url, request.body])).toEqual([
      ["PATCH", "/ok?page=2", '{"n":1}'],
      ["PATCH", "/ok?page=2", '{"n":1}'],
      ["PATCH", "/ok?page=2", '{"n":1}'],
    ]);
  });

  it("can check a redirect itself", async () => {
    const followed = await once("HttpRequests.check_request", { url: `${base}/moved`, method: "GET" });
    expect(followed.error).toEqual([]);
    const kept = await once("HttpRequests.check_request", {
      url: `${base}/moved`,
      method: "GET",
      status_code: 302,
      allow_redirects: false,
    });
    expect(kept.error).toEqual([]);
  });

  it("keeps the connection alive across iterations", async () => {
    const before = connections;
    for (let i = 0; i < 10; i += 1)
      await once("HttpRequests.check_request", { url: `${base}/ok`, method: "GET" });
    expect(connections - before).toBeLessThanOrEqual(1);
  });

  it("reports a refused connection as ConnectionError naming the URL", async () => {
    const { error } = await once("HttpRequests.check_request", { url: "http://127.0.0.1:1/", method: "GET" });
    expect(error[0]).toBe("ConnectionError");
    expect(error[1]).toMatch(/^GET http:\/\/127\.0\.0\.1:1\/ failed: /);
  });

  it("rejects request options it does not support when the task is validated", () => {
    const preparation = prepareTask(
      loadTask(
        JSON.stringify({
          "HttpRequests.check_request": [{ args: { url: "http://x", method: "GET", verify: false } }],
        }),
      ).task,
      registry,
    );
    expect(preparation.ok ? [] : preparation.problems).toEqual([
      { path: "subtasks[0].workloads[0].args", message: "Unexpected argument(s) found ['verify']" },
    ]);
  });
});

describe("HttpRequests.check_random_request", () => {
  it("sends one of the listed requests, with the shared expected status unless it has its own", async () => {
    seen.length = 0;
    const requests = [
      { url: `${base}/ok`, method: "GET" },
      { url: `${base}/missing`, method: "GET", status_code: 404 },
    ];
    for (let i = 0; i < 30; i += 1) {
      expect((await once("HttpRequests.check_random_request", { requests })).error).toEqual([]);
    }
    expect(new Set(seen.map((request) => request.url))).toEqual(new Set(["/ok", "/missing"]));
    const { error } = await once("HttpRequests.check_random_request", {
      requests: [{ url: `${base}/missing`, method: "GET" }],
      status_code: 200,
    });
    expect(error[1]).toBe("Expected HTTP request code is `200` actual `404`");
  });
});
