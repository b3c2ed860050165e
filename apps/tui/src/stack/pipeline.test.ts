/**
 * The whole pipeline as separate processes, as `paddock up` and a deployment run it:
 * nats-server, catalog, runner and results each started from its built `dist/main.js` with only
 * environment variables, a task submitted over HTTP, and what results stored compared, iteration
 * by iteration, with what the runner published.
 */
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { NatsConnection } from "@nats-io/transport-node";
import { connectBus, followTask } from "@paddock/bus";
import type { IterationPage, TaskDetail } from "@paddock/shared/api";
import type { AnyPaddockEvent, IterationRecord } from "@paddock/shared/events";
import { eventually, freePort, startTestNats, type TempDir, type TestNats, tempDir } from "@paddock/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServiceProcess, startService, waitReady } from "./service-process.js";
import { findRepoRoot } from "./up.js";

const root = findRepoRoot();
type Name = "catalog" | "runner" | "results";

describe("catalog → runner → NATS → results, as separate processes", () => {
  let nats: TestNats;
  let nc: NatsConnection;
  let dir: TempDir;
  const urls = {} as Record<Name, string>;
  const running = {} as Record<Name, ServiceProcess>;
  let env: Record<string, string | undefined>;

  function start(name: Name, extra: Record<string, string> = {}): ServiceProcess {
    const service = startService({
      name,
      script: join(root, "services", name, "dist", "main.js"),
      url: urls[name],
      env: { ...env, ...extra },
      logFile: join(dir.path, `${name}.log`),
    });
    running[name] = service;
    return service;
  }

  async function json<T>(url: string, init?: RequestInit): Promise<{ status: number; body: T }> {
    const response = await fetch(url, { ...init, headers: { "content-type": "application/json" } });
    return { status: response.status, body: (await response.json()) as T };
  }

  async function submit(args: Record<string, unknown>): Promise<string> {
    const { status, body } = await json<{ taskId: string }>(`${urls.runner}/tasks`, {
      method: "POST",
      body: JSON.stringify({ scenarioId: "dummy/dummy.yaml", args, tags: ["pipeline-test"] }),
    });
    expect(status).toBe(202);
    return body.taskId;
  }

  /** Every event of the task until it ends, replayed from JetStream (so nothing is missed). */
  async function eventsUntilEnd(taskId: string): Promise<AnyPaddockEvent[]> {
    const events: AnyPaddockEvent[] = [];
    const following = await followTask(nc, taskId, {
      channels: ["lifecycle", "iterations"],
      onEvent: (e) => events.push(e),
    });
    await eventually(
      () =>
        events.some((e) => e.type === "TaskFinished" || e.type === "TaskFailed" || e.type === "TaskAborted"),
      60_000,
      `task ${taskId} to end`,
    );
    // The iterations channel is consumed separately: wait until it has caught up with the finish.
    const expected = events
      .filter((e) => e.type === "WorkloadFinished")
      .reduce((n, e) => n + (e.type === "WorkloadFinished" ? e.data.totalIterationCount : 0), 0);
    await eventually(
      () => publishedIterations(events).length === expected,
      30_000,
      "every published iteration",
    );
    await following.stop();
    return events;
  }

  function publishedIterations(events: AnyPaddockEvent[]): IterationRecord[] {
    return events
      .flatMap((e) => (e.type === "IterationsRecorded" ? e.data.iterations : []))
      .sort((a, b) => a.seq - b.seq);
  }

  async function storedDetail(taskId: string): Promise<TaskDetail> {
    return eventually(
      async () => {
        const { status, body } = await json<TaskDetail>(`${urls.results}/tasks/${taskId}`);
        return status === 200 &&
          body.status === "finished" &&
          body.workloads.every((w) => w.statistics !== null)
          ? body
          : undefined;
      },
      60_000,
      `results to hold task ${taskId} with statistics`,
    );
  }

  async function storedIterations(taskId: string, workloadId: string): Promise<IterationRecord[]> {
    const all: IterationRecord[] = [];
    for (let offset = 0; ; offset += 1000) {
      const { body } = await json<IterationPage>(
        `${urls.results}/tasks/${taskId}/workloads/${workloadId}/iterations?offset=${offset}&limit=1000`,
      );
      all.push(...body.iterations);
      if (body.iterations.length < 1000) return all;
    }
  }

  beforeAll(async () => {
    nats = await startTestNats();
    nc = await connectBus({ url: nats.url, name: "pipeline-test" });
    dir = tempDir("paddock-pipeline-");
    const scenarios = join(dir.path, "scenarios");
    mkdirSync(join(scenarios, "dummy"), { recursive: true });
    copyFileSync(join(root, "scenarios", "dummy", "dummy.yaml"), join(scenarios, "dummy", "dummy.yaml"));
    writeFileSync(join(scenarios, "dummy", "broken.yaml"), "version: 2\nsubtasks:\n  - title: [unclosed\n");
    for (const name of ["catalog", "runner", "results"] as const)
      urls[name] = `http://127.0.0.1:${await freePort()}`;
    env = {
      PATH: process.env.PATH,
      NATS_URL: nats.url,
      PADDOCK_LOG_LEVEL: "info",
      PADDOCK_DATA_DIR: join(dir.path, "data"),
      PADDOCK_SCENARIOS: scenarios,
      PADDOCK_ENVIRONMENTS: join(root, "environments"),
      PADDOCK_CATALOG_URL: urls.catalog,
      PADDOCK_CATALOG_PORT: new URL(urls.catalog).port,
      PADDOCK_RUNNER_PORT: new URL(urls.runner).port,
      PADDOCK_RESULTS_PORT: new URL(urls.results).port,
      PADDOCK_RUNNER_ID: "pipeline-runner",
    };
    await Promise.all(
      (["catalog", "results", "runner"] as const).map((name) => waitReady(start(name), 30_000)),
    );
  }, 120_000);

  afterAll(async () => {
    for (const service of Object.values(running)) await service.stop();
    await nc?.close();
    await nats?.dispose();
    dir?.remove();
  });

  it("stores exactly the iterations the runner published, with Rally's statistics", async () => {
    const taskId = await submit({ times: 60, concurrency: 6, sleep: 0.001 });
    const events = await eventsUntilEnd(taskId);
    const published = publishedIterations(events);
    expect(published.map((i) => i.seq)).toEqual([...Array(60).keys()]);

    const detail = await storedDetail(taskId);
    expect(detail).toMatchObject({
      id: taskId,
      status: "finished",
      passSla: true,
      iterations: 60,
      failedIterations: 0,
      tags: expect.arrayContaining(["pipeline-test"]),
    });
    expect(detail.source).toMatchObject({ kind: "scenario", scenarioId: "dummy/dummy.yaml" });
    const [workload] = detail.workloads;
    expect(workload?.spec.runner).toEqual({ type: "constant", config: { times: 60, concurrency: 6 } });

    const stored = await storedIterations(taskId, workload?.id ?? "");
    expect(stored).toEqual(published);

    const stats = workload?.statistics?.durations;
    expect(stats?.total.data.iteration_count).toBe(60);
    expect(stats?.total.data.success).toBe("100.0%");
    const atomicNames = new Set(published.flatMap((i) => i.atomic_actions.map((a) => a.name)));
    expect(stats?.atomics.map((row) => row.name).sort()).toEqual([...atomicNames].sort());
  });

  it("loses nothing acknowledged when results is killed mid-task and started again", async () => {
    const earlier = (await json<{ tasks: { id: string }[] }>(`${urls.results}/tasks`)).body.tasks.map(
      (t) => t.id,
    );
    const taskId = await submit({ times: 20_000, concurrency: 10, sleep: 0.001 });
    // Kill results hard while the iterations stream in.
    await eventually(
      async () => (await json<{ status: number }>(`${urls.results}/tasks/${taskId}`)).status === 200,
      30_000,
      "results to see the task",
    );
    running.results.child.kill("SIGKILL");
    await running.results.exited;

    const events = await eventsUntilEnd(taskId);
    expect(publishedIterations(events)).toHaveLength(20_000);

    await waitReady(start("results"), 30_000);
    const detail = await storedDetail(taskId);
    expect(detail.iterations).toBe(20_000);
    const stored = await storedIterations(taskId, detail.workloads[0]?.id ?? "");
    expect(stored.map((i) => i.seq)).toEqual([...Array(20_000).keys()]);
    expect(stored).toEqual(publishedIterations(events));
    const after = (await json<{ tasks: { id: string }[] }>(`${urls.results}/tasks?limit=100`)).body.tasks.map(
      (t) => t.id,
    );
    expect(after).toEqual(expect.arrayContaining([...earlier, taskId]));
  }, 180_000);

  it("previews an edited scenario, starts exactly that, and stores exactly that configuration", async () => {
    const overrides = [
      {
        workload: "*",
        runner: { type: "serial", config: { times: 5 } },
        contexts: { dummy_context: { fail_setup: false, fail_cleanup: false } },
        sla: { max_avg_duration: 5 },
      },
    ];
    const args = { times: 7, sleep: 0.001 };
    const preview = await json<{ valid: boolean; task: TaskDetail["task"] }>(
      `${urls.catalog}/scenarios/dummy/dummy.yaml/render`,
      {
        method: "POST",
        body: JSON.stringify({ args, overrides }),
      },
    );
    expect(preview.status).toBe(200);
    expect(preview.body.valid).toBe(true);
    const { status, body } = await json<{ taskId: string }>(`${urls.runner}/tasks`, {
      method: "POST",
      body: JSON.stringify({ scenarioId: "dummy/dummy.yaml", args, overrides }),
    });
    expect(status).toBe(202);
    await eventsUntilEnd(body.taskId);
    const detail = await storedDetail(body.taskId);
    expect(detail.task).toEqual(preview.body.task);
    expect(detail.args).toEqual(args);
    expect(detail.source).toMatchObject({ kind: "scenario", scenarioId: "dummy/dummy.yaml" });
    expect(detail.workloads[0]?.spec.runner).toEqual({ type: "serial", config: { times: 5 } });
    expect(detail.workloads[0]?.contextsResults.map((result) => `${result.name}:${result.stage}`)).toEqual([
      "dummy_context:setup",
      "dummy_context:cleanup",
    ]);
    expect(detail.iterations).toBe(5);
  });

  it("answers an unknown scenario id with one precise error", async () => {
    const { status, body } = await json<{ error: { code: string; message: string } }>(
      `${urls.runner}/tasks`,
      {
        method: "POST",
        body: JSON.stringify({ scenarioId: "dummy/nope.yaml" }),
      },
    );
    expect(status).toBe(404);
    expect(body.error).toEqual({
      code: "SCENARIO_NOT_FOUND",
      message: "There is no scenario 'dummy/nope.yaml' in the catalog",
    });
  });

  it("lists a broken scenario file with its line, and refuses to start it naming the problem", async () => {
    const { body } = await json<{
      services: { scenarios: { id: string; error?: { file: string; line?: number; message: string } }[] }[];
    }>(`${urls.catalog}/scenarios`);
    const broken = body.services.flatMap((s) => s.scenarios).find((s) => s.id === "dummy/broken.yaml");
    expect(broken?.error).toMatchObject({ file: "dummy/broken.yaml", line: expect.any(Number) });
    const start = await json<{ error: { code: string; message: string } }>(`${urls.runner}/tasks`, {
      method: "POST",
      body: JSON.stringify({ scenarioId: "dummy/broken.yaml" }),
    });
    expect(start.status).toBe(422);
    expect(start.body.error.code).toBe("TASK_FILE_UNLOADABLE");
    expect(start.body.error.message).toContain("broken.yaml");
  });

  it("refuses to start a runner without NATS, saying where it looked and what to do", async () => {
    const deadPort = await freePort();
    const lonely = startService({
      name: "runner",
      script: join(root, "services", "runner", "dist", "main.js"),
      url: `http://127.0.0.1:${await freePort()}`,
      env: { ...env, NATS_URL: `nats://127.0.0.1:${deadPort}`, PADDOCK_RUNNER_PORT: "0" },
      logFile: join(dir.path, "lonely-runner.log"),
    });
    const code = await lonely.exited;
    expect(code).not.toBe(0);
    expect(lonely.tail(3)).toContain(`NATS is not reachable at nats://127.0.0.1:${deadPort}`);
  }, 30_000);
});
