import { join } from "node:path";
import { createLogger, type ServiceApp } from "@paddock/http";
import type { IterationPage, TaskDetail, TaskList } from "@paddock/shared/api";
import { createEvent } from "@paddock/shared/event-codec";
import type { AnyPaddockEvent } from "@paddock/shared/events";
import { type TempDir, tempDir } from "@paddock/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dummyTaskScript, type TaskScript } from "../test/fixtures/task-events.js";
import { buildApp } from "./app.js";
import { applyEvent } from "./ingestion/apply-event.js";
import { computeWorkloadFigures } from "./statistics/workload-figures.js";
import type { ResultStore } from "./store/result-store.js";
import { openSqliteStore } from "./store/sqlite-store.js";

let dir: TempDir;
let store: ResultStore;
let app: ServiceApp;
let natsUp: boolean;
const logger = createLogger("results-test", "silent");

async function apply(...events: readonly AnyPaddockEvent[]) {
  await store.write(async (tx) => {
    for (const event of events) await applyEvent(tx, event);
  });
}

/** Five tasks queued a minute apart (t0 oldest … t4 newest), varied status, tags and environment. */
async function seed(): Promise<TaskScript[]> {
  const scripts = [0, 1, 2, 3, 4].map((i) =>
    dummyTaskScript({
      taskId: `t${i}`,
      iterations: 10 + i,
      batches: 2,
      queuedAt: `2026-11-23T22:0${i}:00.000Z`,
      tags: i % 2 === 0 ? ["even", "nightly"] : ["odd"],
      title: i === 3 ? "Keystone token storm" : `Dummy run ${i}`,
      environment: i === 4 ? "staging" : "local",
    }),
  );
  const [s0, s1, s2, s3, s4] = scripts as [TaskScript, TaskScript, TaskScript, TaskScript, TaskScript];
  await apply(...s0.events, ...s1.events, ...s3.events);
  await apply(s2.queued, s2.started, s2.workloadStarted, ...s2.batches.slice(0, 1));
  await apply(
    s4.queued,
    s4.started,
    createEvent("TaskFailed", "t4", {
      error: ["ConnectionError", "keystone unreachable", "tb"],
      validation: false,
    }),
  );
  return scripts;
}

async function get<T>(url: string, headers: Record<string, string> = {}) {
  const response = await app.inject({ method: "GET", url, headers });
  return { status: response.statusCode, body: response.json() as T };
}

beforeEach(async () => {
  dir = tempDir("paddock-results-app-");
  store = openSqliteStore(join(dir.path, "results.sqlite"));
  natsUp = true;
  app = await buildApp({ store, logger, natsConnected: () => natsUp });
});

afterEach(async () => {
  await app.close();
  await store.close();
  dir.remove();
});

describe("GET /tasks", () => {
  it("lists tasks newest first as TaskSummary", async () => {
    await seed();
    const { status, body } = await get<TaskList>("/tasks");
    expect(status).toBe(200);
    expect(body.tasks.map((t) => [t.id, t.status])).toEqual([
      ["t4", "crashed"],
      ["t3", "finished"],
      ["t2", "running"],
      ["t1", "finished"],
      ["t0", "finished"],
    ]);
    expect(body.nextCursor).toBeUndefined();
    const t3 = body.tasks[1];
    expect(t3).toEqual({
      id: "t3",
      title: "Keystone token storm",
      description: "Nested atomics, a context and a hook",
      status: "finished",
      tags: ["odd"],
      environment: "local",
      scenarios: ["Dummy.dummy"],
      source: { kind: "scenario", scenarioId: "dummy/dummy.yaml", hash: "a".repeat(64) },
      createdAt: "2026-11-23T22:03:00.001Z",
      updatedAt: expect.any(String),
      passSla: true,
      duration: expect.any(Number),
      iterations: 13,
      failedIterations: 1,
    });
    expect(body.tasks[2]?.duration).toBeNull();
  });

  it("filters by status, tag, scenario, environment and free text", async () => {
    await seed();
    const ids = async (query: string) => (await get<TaskList>(`/tasks?${query}`)).body.tasks.map((t) => t.id);
    expect(await ids("status=finished")).toEqual(["t3", "t1", "t0"]);
    expect(await ids("tag=even")).toEqual(["t4", "t2", "t0"]);
    expect(await ids("tag=even&status=finished")).toEqual(["t0"]);
    expect(await ids("scenario=Dummy.dummy&environment=staging")).toEqual(["t4"]);
    expect(await ids("scenario=Nope.nope")).toEqual([]);
    expect(await ids("q=token%20KEYSTONE")).toEqual(["t3"]);
    expect(await ids("q=dummy%20run")).toEqual(["t4", "t3", "t2", "t1", "t0"].filter((id) => id !== "t3"));
    expect(await ids("from=2026-11-23T22:02:00Z")).toEqual(["t4", "t3", "t2"]);
    expect(await ids("from=2026-11-23T22:01:00Z&to=2026-11-23T22:03:00Z")).toEqual(["t2", "t1"]);
    expect((await get("/tasks?from=yesterday")).status).toBe(400);
  });

  it("pages with limit and cursor, without gaps or repeats", async () => {
    await seed();
    const seen: string[] = [];
    let url = "/tasks?limit=2";
    for (let pages = 0; pages < 10; pages += 1) {
      const { body } = await get<TaskList>(url);
      seen.push(...body.tasks.map((t) => t.id));
      if (!body.nextCursor) break;
      url = `/tasks?limit=2&cursor=${encodeURIComponent(body.nextCursor)}`;
    }
    expect(seen).toEqual(["t4", "t3", "t2", "t1", "t0"]);
  });

  it("names the parameter a request got wrong", async () => {
    const badStatus = await get<{ error: { code: string; problems: { path: string }[] } }>(
      "/tasks?status=done",
    );
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.error.code).toBe("REQUEST_INVALID");
    expect(badStatus.body.error.problems).toEqual([
      {
        path: "querystring/status",
        message: expect.stringMatching(/^must be one of init, queued, .*, paused$/),
      },
    ]);

    const badCursor = await get<{ error: { code: string; message: string } }>("/tasks?cursor=garbage");
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.error).toMatchObject({ code: "REQUEST_INVALID" });
    expect(badCursor.body.error.message).toMatch(/querystring\/cursor 'garbage' is not a cursor/);

    expect((await get("/tasks?limit=0")).status).toBe(400);
  });
});

describe("GET /tasks/:id", () => {
  it("gives the task with its workloads and Rally-shaped statistics", async () => {
    const scripts = await seed();
    const t3 = scripts[3] as TaskScript;
    const { status, body } = await get<TaskDetail>("/tasks/t3");
    expect(status).toBe(200);
    expect(body).toMatchObject({
      id: "t3",
      input: t3.queued.data.input,
      args: t3.queued.data.args,
      task: t3.queued.data.task,
      status: "finished",
    });
    expect(body).not.toHaveProperty("reason");
    expect(body.workloads).toHaveLength(1);
    const figures = computeWorkloadFigures(t3.iterations);
    expect(body.workloads[0]).toMatchObject({
      id: t3.workloadId,
      status: "finished",
      spec: t3.workloadStarted.data.spec,
      totalIterationCount: 13,
      storedIterationCount: 13,
      minDuration: figures.minDuration,
      maxDuration: figures.maxDuration,
      statistics: figures.statistics,
      hookResults: [{ hookIndex: 0, result: t3.hook.data.result }],
    });
    const total = body.workloads[0]?.statistics?.durations.total;
    expect(Object.keys(total?.data ?? {})).toEqual([
      "iteration_count",
      "min",
      "median",
      "90%ile",
      "95%ile",
      "max",
      "avg",
      "success",
    ]);
  });

  it("says why a task failed, and 404s an unknown id", async () => {
    await seed();
    expect((await get<TaskDetail>("/tasks/t4")).body).toMatchObject({
      status: "crashed",
      reason: "ConnectionError: keystone unreachable",
      workloads: [],
    });
    const missing = await get("/tasks/nope");
    expect(missing).toEqual({
      status: 404,
      body: { error: { code: "TASK_NOT_FOUND", message: "There is no task 'nope'" } },
    });
  });
});

describe("GET /tasks/:id/workloads/:workloadId/iterations", () => {
  it("pages through a workload's iterations in seq order", async () => {
    const scripts = await seed();
    const t3 = scripts[3] as TaskScript;
    const url = `/tasks/t3/workloads/${t3.workloadId}/iterations`;
    const first = await get<IterationPage>(`${url}?limit=5`);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      workloadId: t3.workloadId,
      offset: 0,
      limit: 5,
      total: 13,
      iterations: t3.iterations.slice(0, 5),
    });
    expect((await get<IterationPage>(`${url}?offset=10&limit=5`)).body.iterations).toEqual(
      t3.iterations.slice(10),
    );
    expect((await get<IterationPage>(url)).body.iterations).toHaveLength(13);
    expect((await get(`${url}?limit=5000`)).status).toBe(400);
  });

  it("404s a workload of another task, and an unknown task", async () => {
    const scripts = await seed();
    const other = (scripts[1] as TaskScript).workloadId;
    const wrong = await get<{ error: { code: string } }>(`/tasks/t3/workloads/${other}/iterations`);
    expect(wrong.status).toBe(404);
    expect(wrong.body.error.code).toBe("WORKLOAD_NOT_FOUND");
    const unknown = await get<{ error: { code: string } }>(`/tasks/zz/workloads/${other}/iterations`);
    expect(unknown.body.error.code).toBe("TASK_NOT_FOUND");
  });
});

describe("DELETE /tasks/:id", () => {
  it("refuses to delete a running task unless forced, then removes everything", async () => {
    const scripts = await seed();
    const refused = await app.inject({ method: "DELETE", url: "/tasks/t2" });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe("CONFLICT");
    expect(refused.json().error.message).toMatch(
      /is running; abort it first, or delete it anyway with \?force=true/,
    );

    const forced = await app.inject({ method: "DELETE", url: "/tasks/t2?force=true" });
    expect(forced.statusCode).toBe(204);
    expect(forced.body).toBe("");
    expect((await get("/tasks/t2")).status).toBe(404);
    expect(await store.readIterations((scripts[2] as TaskScript).workloadId, 0, 100)).toEqual([]);

    // Its late events do not bring it back.
    const t2 = scripts[2] as TaskScript;
    await apply(...t2.batches.slice(1), t2.workloadFinished, t2.finished);
    expect((await get("/tasks/t2")).status).toBe(404);
  });

  it("deletes a finished task, and 404s what is not there", async () => {
    await seed();
    expect((await app.inject({ method: "DELETE", url: "/tasks/t0" })).statusCode).toBe(204);
    expect((await get<TaskList>("/tasks")).body.tasks.map((t) => t.id)).toEqual(["t4", "t3", "t2", "t1"]);
    const again = await app.inject({ method: "DELETE", url: "/tasks/t0" });
    expect(again.statusCode).toBe(404);
    expect(again.json().error.code).toBe("TASK_NOT_FOUND");
  });
});

describe("service frame", () => {
  it("is ready only while the store is open and NATS is connected", async () => {
    expect((await get("/readyz")).body).toEqual({
      status: "ok",
      service: "results",
      checks: { store: true, nats: true },
    });
    natsUp = false;
    expect(await get("/readyz")).toEqual({
      status: 503,
      body: { status: "unavailable", service: "results", checks: { store: true, nats: false } },
    });
    natsUp = true;
    await store.close();
    expect((await get("/readyz")).status).toBe(503);
  });

  it("needs the bearer token on every route but health when one is set", async () => {
    const guarded = await buildApp({ store, logger, apiToken: "s3cret", natsConnected: () => true });
    expect((await guarded.inject({ method: "GET", url: "/tasks" })).statusCode).toBe(401);
    expect(
      (await guarded.inject({ method: "GET", url: "/tasks", headers: { authorization: "Bearer s3cret" } }))
        .statusCode,
    ).toBe(200);
    expect((await guarded.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    await guarded.close();
  });

  it("documents its routes in OpenAPI", async () => {
    const { body } = await get<{ paths: Record<string, unknown> }>("/openapi.json");
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining(["/tasks", "/tasks/{id}", "/tasks/{id}/workloads/{workloadId}/iterations"]),
    );
  });
});
