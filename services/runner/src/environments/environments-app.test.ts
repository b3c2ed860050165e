// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is how environments reference secrets.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import type { ServiceApp } from "@paddock/http";
import type { EnvironmentDefinition } from "@paddock/shared/api";
import { eventually } from "@paddock/testkit";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { MemoryPublisher } from "../../test/support/memory-publisher.js";
import { buildApp, type RunnerAppDeps } from "../app.js";
import { systemClock } from "../clock.js";
import { defineScenario, Type } from "../plugin.js";
import { createPluginRegistry } from "../plugins/index.js";
import { createEnvironmentClient } from "./environment-client.js";

const SECRET = "s3cr3t-Value-7f1c9a";

const servers: Server[] = [];
const apps: ServiceApp[] = [];

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function serve(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function definition(name: string, platform: string, spec: Record<string, unknown>): EnvironmentDefinition {
  return { name, description: "", platform, spec, secrets: ["API_TOKEN"], file: `${name}.yaml` };
}

/** A catalog answering `GET /environments/<name>` from `environments` (404 otherwise). */
function catalog(environments: Record<string, EnvironmentDefinition>): Promise<string> {
  return serve((request, response) => {
    const name = decodeURIComponent((request.url ?? "").replace(/^\/environments\//, ""));
    const found = environments[name];
    response.writeHead(found === undefined ? 404 : 200, { "content-type": "application/json" });
    response.end(
      JSON.stringify(
        found ?? { error: { code: "ENVIRONMENT_NOT_FOUND", message: `There is no environment '${name}'` } },
      ),
    );
  });
}

/** Records what a scenario saw of its environment (only the name and platform, never the spec). */
const seen: { name: string; platform: string; hasToken: boolean }[] = [];
const probe = defineScenario({
  name: "Test.environment_probe",
  args: Type.Object({}),
  async run(ctx) {
    const headers = (ctx.environment.spec.headers ?? {}) as Record<string, string>;
    seen.push({
      name: ctx.environment.name,
      platform: ctx.environment.platform,
      hasToken: headers.Authorization === `Bearer ${SECRET}`,
    });
    const response = await ctx.http.get("items");
    if (response.status !== 200) throw new Error(`GET items answered ${response.status}`);
  },
});

const TASK = `
version: 2
title: environment smoke
subtasks:
  - title: probe
    scenario: {Test.environment_probe: {}}
    runner: {constant: {times: 3, concurrency: 1}}
  - title: http
    scenario: {HttpRequests.check_request: {url: "items", method: GET, status_code: 200}}
    runner: {constant: {times: 2, concurrency: 1}}
`;

async function build(catalogUrl: string, overrides: Partial<RunnerAppDeps> = {}) {
  const publisher = new MemoryPublisher();
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(String(chunk));
      callback();
    },
  });
  const app = await buildApp({
    publisher,
    fetchScenario: async () => {
      throw new Error("no catalog scenarios here");
    },
    fetchEnvironment: createEnvironmentClient(catalogUrl),
    variables: { API_TOKEN: SECRET },
    plugins: createPluginRegistry([probe]),
    runnerId: "runner-test",
    clock: systemClock,
    logger: pino({ level: "trace" }, stream),
    heartbeatIntervalMs: 50,
    executor: { progressIntervalMs: 50 },
    ...overrides,
  });
  apps.push(app);
  return { app, publisher, lines };
}

describe("environments in the runner", () => {
  it("resolves ${VAR} secrets at run time for ctx.http and ctx.environment, and never publishes or logs them", async () => {
    const authorizations: (string | undefined)[] = [];
    const api = await serve((request, response) => {
      authorizations.push(request.headers.authorization);
      response.writeHead(request.url === "/v1/items" ? 200 : 404, { "content-type": "application/json" });
      response.end("[]");
    });
    const catalogUrl = await catalog({
      "example-api": definition("example-api", "http", {
        base_url: `${api}/v1/`,
        headers: { Authorization: "Bearer ${API_TOKEN}", Accept: "application/json" },
      }),
    });
    const { app, publisher, lines } = await build(catalogUrl);
    seen.length = 0;
    const response = await app.inject({
      method: "POST",
      url: "/tasks",
      payload: { task: TASK, environment: "example-api" },
    });
    expect(response.statusCode).toBe(202);
    expect(response.body).not.toContain(SECRET);
    await eventually(() => publisher.ofType("TaskFinished").length === 1, 20_000, "TaskFinished");
    expect(publisher.ofType("TaskFinished")[0]?.data).toMatchObject({ status: "finished", passSla: true });
    expect(publisher.ofType("TaskQueued")[0]?.data.environment).toBe("example-api");
    // The secret reached the target API and the scenario, so it really was resolved...
    expect(authorizations).toHaveLength(5);
    expect(authorizations.every((value) => value === `Bearer ${SECRET}`)).toBe(true);
    expect(seen).toEqual(Array(3).fill({ name: "example-api", platform: "http", hasToken: true }));
    const failed = publisher.ofType("IterationsRecorded").flatMap((event) => event.data.iterations);
    expect(failed.filter((iteration) => iteration.error.length > 0)).toEqual([]);
    // ...and appears in no event, no heartbeat and no log line.
    expect(publisher.events.length).toBeGreaterThan(5);
    expect(JSON.stringify(publisher.events)).not.toContain(SECRET);
    expect(JSON.stringify(publisher.heartbeats)).not.toContain(SECRET);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join("")).not.toContain(SECRET);
    const check = await app.inject({ method: "POST", url: "/environments/example-api/check" });
    expect(check.statusCode).toBe(200);
    expect(check.json()).toMatchObject({ environment: "example-api", available: true });
    expect(check.body).not.toContain(SECRET);
    expect(lines.join("")).not.toContain(SECRET);
  });

  it("refuses an unknown environment at POST /tasks with ENVIRONMENT_NOT_FOUND, publishing nothing", async () => {
    const { app, publisher } = await build(await catalog({}));
    const response = await app.inject({
      method: "POST",
      url: "/tasks",
      payload: { task: TASK, environment: "nowhere" },
    });
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toMatchObject({
      code: "ENVIRONMENT_NOT_FOUND",
      message: "There is no environment 'nowhere'",
    });
    expect(publisher.events).toEqual([]);
    const check = await app.inject({ method: "POST", url: "/environments/nowhere/check" });
    expect(check.statusCode).toBe(404);
    expect(check.json().error.code).toBe("ENVIRONMENT_NOT_FOUND");
  });

  it("fails the task at run time naming the missing variable and the environment file", async () => {
    const catalogUrl = await catalog({
      "example-api": definition("example-api", "http", {
        base_url: "http://127.0.0.1:1/",
        headers: { Authorization: "Bearer ${API_TOKEN}" },
      }),
    });
    const { app, publisher } = await build(catalogUrl, { variables: {} });
    const response = await app.inject({
      method: "POST",
      url: "/tasks",
      payload: { task: TASK, environment: "example-api" },
    });
    expect(response.statusCode).toBe(202);
    await eventually(() => publisher.ofType("TaskFailed").length === 1, 20_000, "TaskFailed");
    const [type, message] = publisher.ofType("TaskFailed")[0]?.data.error ?? [];
    expect(type).toBe("EnvironmentVariableMissing");
    expect(message).toBe(
      "Environment 'example-api' (example-api.yaml): spec.headers.Authorization references ${API_TOKEN}, but API_TOKEN is not set in the runner's environment",
    );
    expect(publisher.ofType("WorkloadStarted")).toEqual([]);
  });
});
