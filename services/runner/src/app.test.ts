import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ServiceApp } from "@paddock/http";
import { ScenarioNotFound } from "@paddock/shared/errors";
import { eventually } from "@paddock/testkit";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { MemoryPublisher } from "../test/support/memory-publisher.js";
import { buildApp, type RunnerAppDeps } from "./app.js";
import { createCatalogClient } from "./catalog-client.js";
import { systemClock } from "./clock.js";
import { createPluginRegistry } from "./plugins/index.js";

const DUMMY = `
version: 2
title: Dummy smoke
description: smallest task
tags: [smoke]
subtasks:
  - title: dummy
    scenario: {Dummy.dummy: {sleep: {{ sleep }}}}
    runner: {constant: {times: {{ times }}, concurrency: 2}}
`;

const INCLUDING = '{% include "dummy.yaml" %}\n';

const apps: ServiceApp[] = [];
const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function build(overrides: Partial<RunnerAppDeps> = {}) {
  const publisher = new MemoryPublisher();
  const app = await buildApp({
    publisher,
    fetchScenario: async (id) => {
      if (id === "dummy/dummy.yaml") return { raw: DUMMY, text: DUMMY };
      if (id === "dummy/included.yaml") return { raw: INCLUDING, text: DUMMY };
      throw new ScenarioNotFound(id);
    },
    plugins: createPluginRegistry(),
    runnerId: "runner-test",
    clock: systemClock,
    logger: pino({ level: "silent" }),
    heartbeatIntervalMs: 50,
    executor: { progressIntervalMs: 50 },
    ...overrides,
  });
  apps.push(app);
  return { app, publisher };
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("POST /tasks", () => {
  it("queues an inline task, answers 202 and runs it to TaskFinished", async () => {
    const { app, publisher } = await build();
    const response = await app.inject({
      method: "POST",
      url: "/tasks",
      payload: { task: DUMMY, args: { sleep: 0, times: 6 }, tags: ["mine", "smoke"] },
    });
    expect(response.statusCode).toBe(202);
    const { taskId, status } = response.json();
    expect(status).toBe("queued");
    expect(taskId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const queued = publisher.ofType("TaskQueued")[0];
    expect(queued?.taskId).toBe(taskId);
    expect(queued?.data).toMatchObject({
      title: "Dummy smoke",
      description: "smallest task",
      tags: ["smoke", "mine"],
      environment: "local",
      source: { kind: "inline", hash: sha256(DUMMY) },
      args: { sleep: 0, times: 6 },
      input: DUMMY,
    });
    expect(queued?.data.task.subtasks[0]?.workloads[0]?.runner).toEqual({
      type: "constant",
      config: { times: 6, concurrency: 2 },
    });
    await eventually(() => publisher.ofType("TaskFinished").length === 1, 10_000, "TaskFinished");
    expect(publisher.types()[0]).toBe("TaskQueued");
    expect(publisher.ofType("IterationsRecorded").flatMap((e) => e.data.iterations)).toHaveLength(6);
  });

  it("fetches a catalog scenario and records where it came from", async () => {
    const { app, publisher } = await build();
    const response = await app.inject({
      method: "POST",
      url: "/tasks",
      payload: { scenarioId: "dummy/dummy.yaml", args: { sleep: 0, times: 2 }, environment: "lab" },
    });
    expect(response.statusCode).toBe(202);
    expect(publisher.ofType("TaskQueued")[0]?.data).toMatchObject({
      source: { kind: "scenario", scenarioId: "dummy/dummy.yaml", hash: sha256(DUMMY) },
      environment: "lab",
    });
  });

  it("applies edit-before-start overrides: the queued task is the one that runs, next to its source", async () => {
    const { app, publisher } = await build();
    const response = await app.inject({
      method: "POST",
      url: "/tasks",
      payload: {
        scenarioId: "dummy/dummy.yaml",
        args: { sleep: 0, times: 3 },
        overrides: [
          {
            workload: "*",
            runner: { type: "serial", config: { times: 4 } },
            contexts: { dummy_context: { fail_setup: false } },
            sla: { max_seconds_per_iteration: 5 },
          },
        ],
      },
    });
    expect(response.statusCode).toBe(202);
    const queued = publisher.ofType("TaskQueued")[0];
    expect(queued?.data.source).toEqual({
      kind: "scenario",
      scenarioId: "dummy/dummy.yaml",
      hash: sha256(DUMMY),
    });
    const workload = queued?.data.task.subtasks[0]?.workloads[0];
    expect(workload?.runner).toEqual({ type: "serial", config: { times: 4 } });
    expect(workload?.contexts).toEqual({ dummy_context: { fail_setup: false } });
    expect(workload?.sla).toEqual({ failure_rate: { max: 0 }, max_seconds_per_iteration: 5 });
    await eventually(() => publisher.ofType("TaskFinished").length === 1, 10_000, "TaskFinished");
    const finished = publisher.ofType("WorkloadFinished")[0];
    expect(finished?.data.totalIterationCount).toBe(4);
  });

  it("answers 422 when the overrides make the task invalid, publishing nothing", async () => {
    const { app, publisher } = await build();
    const response = await app.inject({
      method: "POST",
      url: "/tasks",
      payload: {
        scenarioId: "dummy/dummy.yaml",
        args: { sleep: 0, times: 3 },
        overrides: [{ workload: "*", runner: { type: "constant", config: { times: 2, concurrency: 5 } } }],
      },
    });
    expect(response.statusCode).toBe(422);
    expect(JSON.stringify(response.json().error.problems)).toContain("concurrency");
    expect(publisher.events).toHaveLength(0);
  });

  it("renders the catalog's expanded text of a file with includes, hashing the file itself", async () => {
    const { app, publisher } = await build();
    const response = await app.inject({
      method: "POST",
      url: "/tasks",
      payload: { scenarioId: "dummy/included.yaml", args: { sleep: 0, times: 2 } },
    });
    expect(response.statusCode).toBe(202);
    expect(publisher.ofType("TaskQueued")[0]?.data).toMatchObject({
      title: "Dummy smoke",
      input: DUMMY,
      source: { kind: "scenario", scenarioId: "dummy/included.yaml", hash: sha256(INCLUDING) },
    });
  });

  it("names a file the client read the task from", async () => {
    const { app, publisher } = await build();
    await app.inject({
      method: "POST",
      url: "/tasks",
      payload: { task: DUMMY, path: "tasks/dummy.yaml", args: { sleep: 0, times: 2 } },
    });
    expect(publisher.ofType("TaskQueued")[0]?.data.source).toEqual({
      kind: "file",
      path: "tasks/dummy.yaml",
      hash: sha256(DUMMY),
    });
  });

  it("answers 422 with every problem and publishes nothing for an invalid task", async () => {
    const { app, publisher } = await build();
    const task = `
version: 2
title: broken
subtasks:
  - title: a
    scenario: {Dummy.dumy: {}}
    runner: {constant: {times: 2, concurrency: 0}}
  - title: b
    scenario: {Dummy.dummy_output: {nosuch: 1}}
    sla: {failure_rate: {max: 200}}
`;
    const response = await app.inject({
      method: "POST",
      url: "/tasks",
      payload: { task, path: "broken.yaml" },
    });
    expect(response.statusCode).toBe(422);
    const body = response.json();
    expect(body.error.code).toBe("TASK_FILE_INVALID");
    expect(body.error.message).toMatch(/^broken\.yaml: the task is invalid:/);
    expect(body.error.problems).toEqual([
      { path: "subtasks[0].workloads[0].scenario", message: "There is no Scenario plugin 'Dummy.dumy'" },
      {
        path: "subtasks[0].workloads[0].runner.constant.concurrency",
        message: "0 is less than the minimum of 1",
      },
      { path: "subtasks[1].workloads[0].args", message: "Unexpected argument(s) found ['nosuch']" },
      {
        path: "subtasks[1].workloads[0].sla.failure_rate.max",
        message: "200 is greater than the maximum of 100.0",
      },
    ]);
    expect(publisher.events).toHaveLength(0);
  });

  it("answers 422 for a task that cannot be rendered or parsed", async () => {
    const { app, publisher } = await build();
    const response = await app.inject({
      method: "POST",
      url: "/tasks",
      payload: { task: "version: 2\ntitle: [unclosed\n", path: "bad.yaml" },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().error.code).toBe("TASK_FILE_UNLOADABLE");
    expect(response.json().error.message).toContain("bad.yaml");
    expect(publisher.events).toHaveLength(0);
  });

  it("needs exactly one of scenarioId and task", async () => {
    const { app } = await build();
    const neither = await app.inject({ method: "POST", url: "/tasks", payload: {} });
    expect(neither.statusCode).toBe(400);
    expect(neither.json().error.message).toBe(
      "Give 'scenarioId' (a catalog scenario) or 'task' (the task file text)",
    );
    const both = await app.inject({ method: "POST", url: "/tasks", payload: { scenarioId: "x", task: "y" } });
    expect(both.statusCode).toBe(400);
  });

  it("answers 404 naming a scenario the catalog does not have", async () => {
    const { app, publisher } = await build();
    const response = await app.inject({
      method: "POST",
      url: "/tasks",
      payload: { scenarioId: "nope/x.yaml" },
    });
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toEqual({
      code: "SCENARIO_NOT_FOUND",
      message: "There is no scenario 'nope/x.yaml' in the catalog",
    });
    expect(publisher.events).toHaveLength(0);
  });
});

describe("catalog client against a loopback catalog", () => {
  async function catalog(): Promise<string> {
    const server = createServer((request, response) => {
      if (request.url === "/scenarios/dummy/dummy.yaml") {
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify({ id: "dummy/dummy.yaml", raw: DUMMY }));
      } else if (request.url === "/scenarios/dummy/included.yaml") {
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify({ id: "dummy/included.yaml", raw: INCLUDING, expanded: DUMMY }));
      } else {
        response.writeHead(404, { "content-type": "application/json" });
        response.end(JSON.stringify({ error: { code: "SCENARIO_NOT_FOUND", message: "no" } }));
      }
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it("gets the raw text and maps 404 to SCENARIO_NOT_FOUND", async () => {
    const fetchScenario = createCatalogClient(await catalog());
    await expect(fetchScenario("dummy/dummy.yaml")).resolves.toEqual({ raw: DUMMY, text: DUMMY });
    await expect(fetchScenario("dummy/included.yaml")).resolves.toEqual({ raw: INCLUDING, text: DUMMY });
    await expect(fetchScenario("other/x.yaml")).rejects.toThrow(
      "There is no scenario 'other/x.yaml' in the catalog",
    );
  });

  it("answers 503 naming the catalog URL when it is down", async () => {
    const { app } = await build({ fetchScenario: createCatalogClient("http://127.0.0.1:1") });
    const response = await app.inject({
      method: "POST",
      url: "/tasks",
      payload: { scenarioId: "dummy/dummy.yaml" },
    });
    expect(response.statusCode).toBe(503);
    expect(response.json().error.code).toBe("DEPENDENCY_UNAVAILABLE");
    expect(response.json().error.message).toContain("The catalog is not reachable at http://127.0.0.1:1");
  });
});

describe("POST /tasks/validate", () => {
  it("says valid or lists the problems, publishing nothing", async () => {
    const { app, publisher } = await build();
    const ok = await app.inject({
      method: "POST",
      url: "/tasks/validate",
      payload: { task: DUMMY, args: { sleep: 0, times: 3 } },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ valid: true });
    const bad = await app.inject({
      method: "POST",
      url: "/tasks/validate",
      payload: { task: DUMMY, args: { sleep: -1, times: 3 } },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.problems).toEqual([
      { path: "subtasks[0].workloads[0].args.sleep", message: "-1 is less than the minimum of 0.0" },
    ]);
    expect(publisher.events).toHaveLength(0);
  });
});

describe("active tasks, abort, heartbeat and shutdown", () => {
  async function startLong(app: ServiceApp): Promise<string> {
    const response = await app.inject({
      method: "POST",
      url: "/tasks",
      payload: { task: DUMMY, args: { sleep: 0.01, times: 100000 } },
    });
    expect(response.statusCode).toBe(202);
    return response.json().taskId;
  }

  it("lists a running task with its workload counts", async () => {
    const { app } = await build();
    const taskId = await startLong(app);
    const active = await eventually(
      async () => {
        const body = (await app.inject({ method: "GET", url: "/tasks/active" })).json();
        return body.tasks[0]?.workloads[0]?.completed > 0 ? body : undefined;
      },
      10_000,
      "progress",
    );
    expect(active.runnerId).toBe("runner-test");
    expect(active.tasks[0]).toMatchObject({ taskId, title: "Dummy smoke", status: "running" });
    expect(active.tasks[0].workloads[0]).toMatchObject({
      scenario: "Dummy.dummy",
      expected: 100000,
      status: "running",
    });
  });

  it("aborts softly on request: TaskAborted, no TaskFinished", async () => {
    const { app, publisher } = await build();
    const taskId = await startLong(app);
    await eventually(() => publisher.ofType("IterationsRecorded").length > 0, 10_000, "iterations");
    const response = await app.inject({
      method: "POST",
      url: `/tasks/${taskId}/abort`,
      payload: { soft: true },
    });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ taskId, status: "soft_aborting" });
    await eventually(() => publisher.ofType("TaskAborted").length === 1, 10_000, "TaskAborted");
    expect(publisher.ofType("TaskAborted")[0]?.data.mode).toBe("soft");
    expect(publisher.ofType("TaskFinished")).toHaveLength(0);
    const active = (await app.inject({ method: "GET", url: "/tasks/active" })).json();
    expect(active.tasks).toEqual([]);
  });

  it("refuses to sweep an environment while it runs a task (a dry run still answers), and sweeps only openstack ones", async () => {
    const { app, publisher } = await build({
      fetchEnvironment: async (name) => ({
        name,
        platform: "http",
        spec: { base_url: "http://127.0.0.1:9" },
        file: `${name}.yaml`,
        description: "",
        secrets: [],
      }),
    });
    const generic = await app.inject({ method: "POST", url: "/environments/example-api/sweep", payload: {} });
    expect(generic.statusCode).toBe(400);
    expect(generic.json().error.message).toBe(
      "Environment 'example-api' has platform 'http': only openstack environments have resources to sweep",
    );
    const taskId = await startLong(app);
    await eventually(() => publisher.ofType("IterationsRecorded").length > 0, 10_000, "iterations");
    const busy = await app.inject({ method: "POST", url: "/environments/devstack/sweep" });
    expect(busy.statusCode).toBe(409);
    expect(busy.json().error.message).toBe(
      `Runner runner-test is running ${taskId}: a sweep would delete resources in use. Sweep when it is idle (or list them with dryRun).`,
    );
    const listing = await app.inject({
      method: "POST",
      url: "/environments/devstack/sweep",
      payload: { dryRun: true },
    });
    expect(listing.statusCode).toBe(400);
    const unknown = await app.inject({
      method: "POST",
      url: "/environments/devstack/sweep",
      payload: { dryRun: true, everything: true },
    });
    expect(unknown.statusCode).toBe(400);
    expect(JSON.stringify(unknown.json().error)).toContain("everything");
    await app.inject({ method: "POST", url: `/tasks/${taskId}/abort`, payload: {} });
  });

  it("stops a task whose SLA fails when asked to (abortOnSlaFailure)", async () => {
    const { app, publisher } = await build();
    const failing = `
version: 2
title: failing
subtasks:
  - title: boom
    scenario: {Dummy.dummy_exception: {sleep: 0.001}}
    runner: {constant: {times: 100000, concurrency: 2}}
    sla: {failure_rate: {max: 0}}
`;
    const response = await app.inject({
      method: "POST",
      url: "/tasks",
      payload: { task: failing, abortOnSlaFailure: true },
    });
    expect(response.statusCode).toBe(202);
    await eventually(() => publisher.ofType("TaskAborted").length === 1, 10_000, "TaskAborted");
    expect(publisher.ofType("TaskAborted")[0]?.data.mode).toBe("sla");
    const finished = publisher.ofType("WorkloadFinished")[0];
    expect(finished?.data.slaResults.map((result) => result.criterion)).toEqual([
      "failure_rate",
      "aborted_on_sla",
    ]);
    expect(finished?.data.totalIterationCount).toBeLessThan(100000);
  });

  it("aborts hard without a body, and 404s an unknown task", async () => {
    const { app, publisher } = await build();
    const taskId = await startLong(app);
    const response = await app.inject({ method: "POST", url: `/tasks/${taskId}/abort` });
    expect(response.statusCode).toBe(202);
    expect(response.json().status).toBe("aborting");
    await eventually(() => publisher.ofType("TaskAborted").length === 1, 10_000, "TaskAborted");
    expect(publisher.ofType("TaskAborted")[0]?.data.mode).toBe("hard");
    const unknown = await app.inject({ method: "POST", url: "/tasks/nope/abort", payload: {} });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toEqual({ code: "TASK_NOT_FOUND", message: "There is no task 'nope'" });
  });

  it("beats with the running task ids and soft-aborts running tasks on close", async () => {
    const { app, publisher } = await build();
    await app.ready();
    const taskId = await startLong(app);
    const beat = await eventually(
      () => publisher.heartbeats.find((event) => event.data.tasks.includes(taskId)),
      10_000,
      "a heartbeat naming the task",
    );
    expect(beat.data).toEqual({ runnerId: "runner-test", tasks: [taskId], ttl: 10, capacity: 1 });
    expect(beat.taskId).toBe("");
    await app.close();
    expect(publisher.ofType("TaskAborted")[0]?.data.mode).toBe("soft");
    const beats = publisher.heartbeats.length;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(publisher.heartbeats.length).toBe(beats);
  });

  it("documents its routes in OpenAPI and is ready", async () => {
    const { app } = await build({ readiness: () => ({ nats: true }) });
    const paths = Object.keys((await app.inject({ method: "GET", url: "/openapi.json" })).json().paths);
    expect(paths).toEqual(
      expect.arrayContaining(["/tasks", "/tasks/validate", "/tasks/active", "/tasks/{id}/abort"]),
    );
    const ready = await app.inject({ method: "GET", url: "/readyz" });
    expect(ready.json()).toEqual({
      status: "ok",
      service: "runner",
      checks: { nats: true, accepting: true },
    });
  });
});
