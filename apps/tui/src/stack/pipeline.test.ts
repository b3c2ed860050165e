/**
 * The whole pipeline as separate processes, as `paddock up` and a deployment run it:
 * nats-server, catalog, runner and results each started from its built `dist/main.js` with only
 * environment variables, a task submitted over HTTP, and what results stored compared, iteration
 * by iteration, with what the runner published.
 */
import { spawn } from "node:child_process";
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import type { NatsConnection } from "@nats-io/transport-node";
import { connectBus, followTask } from "@paddock/bus";
import type { TaskDetail } from "@paddock/shared/api";
import type { AnyPaddockEvent, IterationRecord } from "@paddock/shared/events";
import { eventually, freePort, startTestNats, type TempDir, type TestNats, tempDir } from "@paddock/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonRequest, storedIterations } from "../../test/support/stack-http.js";
import { type ServiceProcess, startService, waitReady } from "./service-process.js";
import { findRepoRoot } from "./up.js";

const root = findRepoRoot();
/** Rally's own sample task files, from Debian's `rally` package (CI installs it). */
const RALLY_SAMPLES = "/usr/share/rally/samples/tasks/scenarios/dummy";
const hasRallySamples = existsSync(RALLY_SAMPLES);
if (!hasRallySamples)
  console.log(`SKIPPED rally folder in the catalog: ${RALLY_SAMPLES} does not exist (apt-get install rally)`);
/** A secret only the runner's environment holds; it must never leave the runner. */
const SECRET = `s3cret-${process.pid}-${Date.now()}`;
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

  async function submit(args: Record<string, unknown>): Promise<string> {
    const { status, body } = await jsonRequest<{ taskId: string }>(`${urls.runner}/tasks`, {
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
        const { status, body } = await jsonRequest<TaskDetail>(`${urls.results}/tasks/${taskId}`);
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

  /** An HTTP peer that records the Authorization header it receives. */
  let peer: Server;
  const authorizations: string[] = [];

  /**
   * Runs the `paddock` executable against the services; resolves with its exit code and output.
   * A run that outlives `timeoutMs` is killed and reported with what it printed so far and the
   * services' logs, so a hang says where it hung.
   */
  function cli(args: string[], timeoutMs = 75_000): Promise<{ code: number | null; out: string }> {
    const started = Date.now();
    const child = spawn(process.execPath, [join(root, "apps", "tui", "bin", "paddock.mjs"), ...args], {
      env: { ...env, PADDOCK_RUNNER_URL: urls.runner, PADDOCK_RESULTS_URL: urls.results },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        const logs = (["catalog", "runner", "results"] as const)
          .map((name) => `--- ${name}.log (tail)\n${tail(join(dir.path, `${name}.log`), 40)}`)
          .join("\n");
        reject(
          new Error(
            `paddock ${args.join(" ")} did not exit in ${timeoutMs} ms; it printed:\n${out}\n${logs}`,
          ),
        );
      }, timeoutMs);
      child.once("exit", (code) => {
        clearTimeout(timer);
        const took = Date.now() - started;
        // CI once saw this command outlive the test's 30 s; say so when it is slow, with its output.
        if (took > 20_000) console.log(`SLOW paddock ${args.join(" ")}: ${took} ms\n${out}`);
        resolve({ code, out });
      });
    });
  }

  function tail(file: string, lines: number): string {
    return existsSync(file) ? readFileSync(file, "utf8").split("\n").slice(-lines).join("\n") : "(no log)";
  }

  beforeAll(async () => {
    peer = createServer((request, response) => {
      authorizations.push(request.headers.authorization ?? "");
      response.end("ok");
    });
    await new Promise<void>((resolve) => peer.listen(0, "127.0.0.1", () => resolve()));
    const peerPort = (peer.address() as { port: number }).port;
    nats = await startTestNats();
    nc = await connectBus({ url: nats.url, name: "pipeline-test" });
    dir = tempDir("paddock-pipeline-");
    const scenarios = join(dir.path, "scenarios");
    mkdirSync(join(scenarios, "dummy"), { recursive: true });
    mkdirSync(join(scenarios, "http"), { recursive: true });
    copyFileSync(join(root, "scenarios", "dummy", "dummy.yaml"), join(scenarios, "dummy", "dummy.yaml"));
    writeFileSync(join(scenarios, "dummy", "broken.yaml"), "version: 2\nsubtasks:\n  - title: [unclosed\n");
    writeFileSync(
      join(scenarios, "http", "secret-header.yaml"),
      "---\nversion: 2\ntitle: secret header\nsubtasks:\n  - title: get\n    scenario:\n      HttpRequests.check_request: {url: /, method: GET}\n    runner:\n      serial: {times: 3}\n",
    );
    cpSync(join(root, "scenarios", "_contexts"), join(scenarios, "_contexts"), { recursive: true });
    if (hasRallySamples) cpSync(RALLY_SAMPLES, join(scenarios, "rally-dummy"), { recursive: true });
    const environments = join(dir.path, "environments");
    mkdirSync(environments);
    copyFileSync(join(root, "environments", "local.yaml"), join(environments, "local.yaml"));
    writeFileSync(
      join(environments, "peer.yaml"),
      `name: peer\ndescription: a loopback peer behind a token\nplatform: http\nspec:\n  base_url: http://127.0.0.1:${peerPort}\n  headers:\n    Authorization: "Bearer \${PIPELINE_SECRET}"\n`,
    );
    for (const name of ["catalog", "runner", "results"] as const)
      urls[name] = `http://127.0.0.1:${await freePort()}`;
    env = {
      PATH: process.env.PATH,
      NATS_URL: nats.url,
      PADDOCK_LOG_LEVEL: "info",
      PADDOCK_DATA_DIR: join(dir.path, "data"),
      PADDOCK_SCENARIOS: scenarios,
      PADDOCK_ENVIRONMENTS: join(dir.path, "environments"),
      PADDOCK_CATALOG_URL: urls.catalog,
      PADDOCK_CATALOG_PORT: new URL(urls.catalog).port,
      PADDOCK_RUNNER_PORT: new URL(urls.runner).port,
      PADDOCK_RESULTS_PORT: new URL(urls.results).port,
      PADDOCK_RUNNER_ID: "pipeline-runner",
    };
    await Promise.all(
      (["catalog", "results", "runner"] as const).map((name) =>
        waitReady(start(name, name === "runner" ? { PIPELINE_SECRET: SECRET } : {}), 30_000),
      ),
    );
  }, 120_000);

  afterAll(async () => {
    for (const service of Object.values(running)) await service.stop();
    await nc?.close();
    await nats?.dispose();
    await new Promise((resolve) => peer?.close(resolve));
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

    const stored = await storedIterations(urls.results, taskId, workload?.id ?? "");
    expect(stored).toEqual(published);

    const stats = workload?.statistics?.durations;
    expect(stats?.total.data.iteration_count).toBe(60);
    expect(stats?.total.data.success).toBe("100.0%");
    const atomicNames = new Set(published.flatMap((i) => i.atomic_actions.map((a) => a.name)));
    expect(stats?.atomics.map((row) => row.name).sort()).toEqual([...atomicNames].sort());
  });

  it("loses nothing acknowledged when results is killed mid-task and started again", async () => {
    const earlier = (await jsonRequest<{ tasks: { id: string }[] }>(`${urls.results}/tasks`)).body.tasks.map(
      (t) => t.id,
    );
    const taskId = await submit({ times: 200_000, concurrency: 20, sleep: 0.0001 });
    // Kill results hard while the iterations stream in: once it has stored some, not all.
    await eventually(
      async () => {
        const { status, body } = await jsonRequest<TaskDetail>(`${urls.results}/tasks/${taskId}`);
        return status === 200 && body.iterations > 0;
      },
      30_000,
      "results to store the first iterations",
    );
    running.results.child.kill("SIGKILL");
    await running.results.exited;

    const events = await eventsUntilEnd(taskId);
    expect(publishedIterations(events)).toHaveLength(200_000);

    await waitReady(start("results"), 30_000);
    const detail = await storedDetail(taskId);
    expect(detail.iterations).toBe(200_000);
    const stored = await storedIterations(urls.results, taskId, detail.workloads[0]?.id ?? "");
    expect(stored.map((i) => i.seq)).toEqual([...Array(200_000).keys()]);
    expect(stored).toEqual(publishedIterations(events));
    const after = (
      await jsonRequest<{ tasks: { id: string }[] }>(`${urls.results}/tasks?limit=100`)
    ).body.tasks.map((t) => t.id);
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
    const preview = await jsonRequest<{ valid: boolean; task: TaskDetail["task"] }>(
      `${urls.catalog}/scenarios/dummy/dummy.yaml/render`,
      {
        method: "POST",
        body: JSON.stringify({ args, overrides }),
      },
    );
    expect(preview.status).toBe(200);
    expect(preview.body.valid).toBe(true);
    const { status, body } = await jsonRequest<{ taskId: string }>(`${urls.runner}/tasks`, {
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

  it("edits before start from the CLI: the preview and the stored task are the edited one", async () => {
    const override = '[{"workload": "*", "runner": {"type": "serial", "config": {"times": 4}}}]';
    const preview = await cli([
      "scenario",
      "render",
      "dummy/dummy.yaml",
      "--task-args",
      "times=9",
      "--overrides",
      override,
    ]);
    expect(preview.code).toBe(0);
    expect(preview.out).toContain('"serial"');
    const started = await cli([
      "task",
      "start",
      "dummy/dummy.yaml",
      "--task-args",
      "sleep=0.001",
      "--overrides",
      override,
      "--context-preset",
      "dummy-context-ok",
      "--tag",
      "cli-edit",
      "--wait",
    ]);
    expect(started.code, started.out).toBe(0);
    const taskId = /Task ([0-9a-f-]{36}):/.exec(started.out)?.[1] ?? "";
    const detail = await storedDetail(taskId);
    expect(detail.tags).toContain("cli-edit");
    expect(detail.workloads[0]?.spec.runner).toEqual({ type: "serial", config: { times: 4 } });
    expect(Object.keys(detail.workloads[0]?.spec.contexts ?? {})).toContain("dummy_context");
    expect(detail.iterations).toBe(4);
  }, 180_000);

  it("uses an environment's secret where the runner runs it, and nowhere else", async () => {
    const { status, body } = await jsonRequest<{ taskId: string }>(`${urls.runner}/tasks`, {
      method: "POST",
      body: JSON.stringify({ scenarioId: "http/secret-header.yaml", environment: "peer" }),
    });
    expect(status).toBe(202);
    const events = await eventsUntilEnd(body.taskId);
    const detail = await storedDetail(body.taskId);
    expect(detail).toMatchObject({ environment: "peer", iterations: 3, failedIterations: 0 });
    expect(authorizations).toContain(`Bearer ${SECRET}`);

    const exported = await fetch(`${urls.results}/tasks/${body.taskId}/export?type=json`).then((r) =>
      r.text(),
    );
    const shown = await fetch(`${urls.catalog}/environments/peer`).then((r) => r.text());
    expect(shown).toContain(`$${"{"}PIPELINE_SECRET}`);
    const dataDir = join(dir.path, "data");
    const stored = readdirSync(dataDir).map((file) => readFileSync(join(dataDir, file)).toString("latin1"));
    const logs = ["catalog", "runner", "results"].map((name) =>
      readFileSync(join(dir.path, `${name}.log`), "utf8"),
    );
    for (const [where, text] of [
      ["events", JSON.stringify(events)],
      ["task detail", JSON.stringify(detail)],
      ["Rally export", exported],
      ["catalog", shown],
      ["results store files", stored.join("")],
      ["service logs", logs.join("")],
    ] as const) {
      expect(text.includes(SECRET), `${where} must not contain the secret`).toBe(false);
    }
  });

  it.skipIf(!hasRallySamples)(
    "lists a folder of Rally's own task files with their args, and validates each unchanged",
    async () => {
      const { body } = await jsonRequest<{
        services: { service: string; scenarios: { id: string; error?: unknown }[] }[];
      }>(`${urls.catalog}/scenarios?service=rally-dummy`);
      const scenarios = body.services.flatMap((group) => group.scenarios);
      expect(scenarios.length).toBe(
        readdirSync(RALLY_SAMPLES).filter((f) => /\.(ya?ml|json)$/.test(f)).length,
      );
      for (const scenario of scenarios) {
        expect(scenario.error, scenario.id).toBeUndefined();
        const verdict = await jsonRequest<{ valid?: boolean; error?: { message: string } }>(
          `${urls.runner}/tasks/validate`,
          {
            method: "POST",
            body: JSON.stringify({ scenarioId: scenario.id }),
          },
        );
        expect(verdict.status, `${scenario.id}: ${verdict.body.error?.message ?? ""}`).toBe(200);
        expect(verdict.body.valid).toBe(true);
      }
    },
  );

  it("answers an unknown scenario id with one precise error", async () => {
    const { status, body } = await jsonRequest<{ error: { code: string; message: string } }>(
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
    const { body } = await jsonRequest<{
      services: { scenarios: { id: string; error?: { file: string; line?: number; message: string } }[] }[];
    }>(`${urls.catalog}/scenarios`);
    const broken = body.services.flatMap((s) => s.scenarios).find((s) => s.id === "dummy/broken.yaml");
    expect(broken?.error).toMatchObject({ file: "dummy/broken.yaml", line: expect.any(Number) });
    const start = await jsonRequest<{ error: { code: string; message: string } }>(`${urls.runner}/tasks`, {
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
