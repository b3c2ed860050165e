/**
 * Each service deploys on its own: nats-server is started from deploy/nats.conf (JetStream, the
 * user compose gives it), then catalog, results and runner each from its built `dist/main.js` as
 * a separate process with only the environment a compose container would have — its image's ENV
 * (deploy/<name>.Dockerfile) plus its `environment:` in docker-compose.yml, secrets from a test
 * .env, compose host names mapped to 127.0.0.1 and free ports. If compose, the images and the
 * code drift apart, this breaks. Then services are stopped, started and upgraded one at a time
 * while the others keep running.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { NatsConnection } from "@nats-io/transport-node";
import { connectBus, followTask } from "@paddock/bus";
import { findNatsServer } from "@paddock/bus/server";
import type { AnyPaddockEvent } from "@paddock/shared/events";
import { parseTaskText } from "@paddock/tasks";
import { eventually, freePort, type TempDir, tempDir } from "@paddock/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCliConfig } from "../config.js";
import { createLiveBus } from "../live/live-bus.js";
import { type ServiceProcess, startService, waitReady } from "./service-process.js";
import { findRepoRoot } from "./up.js";

const root = findRepoRoot();
type Name = "catalog" | "runner" | "results";

/** What a test .env holds: the secrets docker-compose.yml requires. */
const DOT_ENV: Readonly<Record<string, string>> = {
  NATS_USER: "paddock-test",
  NATS_PASSWORD: `nats-${randomBytes(8).toString("hex")}`,
  PADDOCK_API_TOKEN: `token-${randomBytes(8).toString("hex")}`,
  // A MongoDB for the tests when one is given; else results keeps SQLite (said below).
  ...(process.env.MONGO_URL ? { MONGO_URL: process.env.MONGO_URL } : {}),
};
if (!process.env.MONGO_URL)
  console.log(
    "independence: results stores in SQLite (compose's MongoDB is not here; set MONGO_URL to use one)",
  );

interface ComposeService {
  readonly environment?: Record<string, string | number | boolean | null>;
  readonly volumes?: string[];
}

const composeServices = (
  parseTaskText(readFileSync(join(root, "docker-compose.yml"), "utf8"), "docker-compose.yml") as {
    services: Record<string, ComposeService>;
  }
).services;

/** Compose's interpolation of `${VAR}`, `${VAR:-default}`, `${VAR-default}` and `${VAR:?error}`. */
function interpolate(value: string, env: Readonly<Record<string, string>>): string | undefined {
  let unset = false;
  const text = value.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}/g,
    (_match, name: string, colon: string, kind: string | undefined, word: string) => {
      const current = env[name];
      const missing = current === undefined || (colon === ":" && current === "");
      if (!missing) return current;
      if (kind === "?") throw new Error(`compose would refuse: ${word}`);
      if (kind === "-") return word;
      unset = true;
      return "";
    },
  );
  return unset && text === "" ? undefined : text;
}

/** The final stage's ENV of deploy/<name>.Dockerfile: what the image sets before compose. */
function imageEnv(name: Name): Record<string, string> {
  const text = readFileSync(join(root, "deploy", `${name}.Dockerfile`), "utf8");
  const final = text.slice(text.lastIndexOf("\nFROM "));
  const env: Record<string, string> = {};
  for (const line of final.split("\n").filter((l) => l.startsWith("ENV "))) {
    for (const match of line.slice(4).matchAll(/([A-Za-z_][A-Za-z0-9_]*)=(\S+)/g))
      env[match[1] as string] = match[2] as string;
  }
  return env;
}

interface Ports {
  nats: number;
  natsMonitor: number;
  catalog: number;
  runner: number;
  results: number;
}

/**
 * The environment compose gives service `name`, made runnable here: compose host names become
 * 127.0.0.1 with this test's ports, container paths become the host folders mounted there (named
 * volumes become `dataDir`).
 */
function serviceEnv(name: Name, ports: Ports, dataDir: string): Record<string, string> {
  const service = composeServices[name];
  if (!service) throw new Error(`docker-compose.yml has no service ${name}`);
  const merged: Record<string, string> = { ...imageEnv(name) };
  for (const [key, raw] of Object.entries(service.environment ?? {})) {
    const value = interpolate(String(raw ?? ""), DOT_ENV);
    if (value === undefined) delete merged[key];
    else merged[key] = value;
  }
  const hostPort: Record<string, number> = {
    "nats:4222": ports.nats,
    "catalog:7401": ports.catalog,
    "runner:7402": ports.runner,
    "results:7403": ports.results,
  };
  const mounts = new Map(
    (service.volumes ?? []).map((volume) => {
      const [source = "", target = ""] = volume.split(":");
      return [target, source.startsWith(".") ? join(root, source) : dataDir] as const;
    }),
  );
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(merged)) {
    if (key === "MONGO_URL" && value.includes("//mongo:")) continue;
    let mapped = value.replace(/\/\/([a-z]+):(\d+)/g, (match, host: string, port: string) => {
      const local = hostPort[`${host}:${port}`];
      return local === undefined ? match : `//127.0.0.1:${local}`;
    });
    if (key === `PADDOCK_${name.toUpperCase()}_PORT`) mapped = String(ports[name]);
    mapped = mounts.get(mapped) ?? mapped;
    env[key] = mapped;
  }
  return env;
}

/** The HEALTHCHECK command of deploy/<name>.Dockerfile, as the engine would run it. */
function healthcheckCommand(name: Name): string[] {
  const text = readFileSync(join(root, "deploy", `${name}.Dockerfile`), "utf8").replace(/\\\n\s*/g, "");
  const line = text.split("\n").find((l) => l.startsWith("HEALTHCHECK "));
  const json = line?.slice(line.indexOf("CMD ") + 4);
  return JSON.parse(json ?? "[]") as string[];
}

function runHealthcheck(name: Name, env: Record<string, string>): number | null {
  const [command, ...args] = healthcheckCommand(name);
  expect(command).toBe("node");
  return spawnSync(process.execPath, args, { env, timeout: 10_000 }).status;
}

describe("each service on its own, as compose runs it", () => {
  let dir: TempDir;
  let ports: Ports;
  let nats: ReturnType<typeof spawn>;
  let nc: NatsConnection;
  const running = {} as Record<Name, ServiceProcess>;
  const envs = {} as Record<Name, Record<string, string>>;
  const urls = {} as Record<Name, string>;
  const auth = { authorization: `Bearer ${DOT_ENV.PADDOCK_API_TOKEN}` };

  function start(name: Name, log: string = name): ServiceProcess {
    const service = startService({
      name,
      script: join(root, "services", name, "dist", "main.js"),
      url: urls[name],
      env: envs[name],
      logFile: join(dir.path, `${log}.log`),
    });
    running[name] = service;
    return service;
  }

  async function ready(name: Name): Promise<boolean> {
    try {
      return (await fetch(`${urls[name]}/readyz`, { signal: AbortSignal.timeout(2000) })).ok;
    } catch {
      return false;
    }
  }

  async function submit(
    times: number,
  ): Promise<{ status: number; body: { taskId?: string; error?: { code: string } } }> {
    const response = await fetch(`${urls.runner}/tasks`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ scenarioId: "dummy/dummy.yaml", args: { times, concurrency: 2, sleep: 0.001 } }),
    });
    return { status: response.status, body: (await response.json()) as { taskId?: string } };
  }

  /** Resolves with the task's terminal event, replayed from JetStream (results plays no part). */
  async function finished(taskId: string): Promise<AnyPaddockEvent> {
    const events: AnyPaddockEvent[] = [];
    const following = await followTask(nc, taskId, {
      channels: ["lifecycle"],
      onEvent: (e) => events.push(e),
    });
    try {
      return await eventually(
        () => events.find((e) => ["TaskFinished", "TaskFailed", "TaskAborted"].includes(e.type)),
        60_000,
        `task ${taskId} to end`,
      );
    } finally {
      await following.stop();
    }
  }

  async function stored(taskId: string): Promise<{ status: string; iterations: number }> {
    return eventually(
      async () => {
        const response = await fetch(`${urls.results}/tasks/${taskId}`, { headers: auth });
        if (!response.ok) return undefined;
        const body = (await response.json()) as { status: string; iterations: number };
        return body.status === "finished" ? body : undefined;
      },
      60_000,
      `results to hold task ${taskId} finished`,
    );
  }

  beforeAll(async () => {
    dir = tempDir("paddock-independence-");
    ports = {
      nats: await freePort(),
      natsMonitor: await freePort(),
      catalog: await freePort(),
      runner: await freePort(),
      results: await freePort(),
    };
    // nats-server run with compose's command and environment for it, the mounted paths mapped
    // to the host (the config file; the data volume to a temporary folder); only the addresses
    // are added on the command line.
    const bin = findNatsServer();
    if (bin === undefined) throw new Error("nats-server is required (apt-get install nats-server)");
    const natsService = composeServices.nats as ComposeService & { command?: string[] };
    const natsEnv = Object.fromEntries(
      Object.entries(natsService.environment ?? {}).map(([k, v]) => [
        k,
        interpolate(String(v), DOT_ENV) ?? "",
      ]),
    );
    expect(Object.keys(natsEnv).sort()).toEqual(["NATS_PASSWORD", "NATS_USER"]);
    const natsMounts = new Map(
      (natsService.volumes ?? []).map((volume) => {
        const [source = "", target = ""] = volume.split(":");
        return [target, source.startsWith(".") ? join(root, source) : join(dir.path, "nats")] as const;
      }),
    );
    const [program, ...natsArgs] = natsService.command ?? [];
    expect(program).toBe("nats-server");
    nats = spawn(
      bin,
      [
        ...natsArgs.map((arg) => natsMounts.get(arg) ?? arg),
        ...["-a", "127.0.0.1", "-p", String(ports.nats), "-m", String(ports.natsMonitor)],
      ],
      { env: natsEnv, stdio: ["ignore", "ignore", "pipe"] },
    );
    let natsLog = "";
    nats.stderr?.on("data", (chunk: Buffer) => {
      natsLog += chunk.toString();
    });
    await eventually(
      () => {
        if (nats.exitCode !== null) throw new Error(`nats-server exited:\n${natsLog}`);
        return natsLog.includes("Server is ready");
      },
      15_000,
      "nats-server to start",
    );
    expect(natsLog).toContain(`Store Directory: "${join(dir.path, "nats")}`);

    for (const name of ["catalog", "runner", "results"] as const) {
      envs[name] = serviceEnv(name, ports, join(dir.path, `${name}-data`));
      urls[name] = `http://127.0.0.1:${ports[name]}`;
    }
    nc = await connectBus({
      url: envs.results.NATS_URL as string,
      name: "independence-test",
      user: envs.results.NATS_USER,
      password: envs.results.NATS_PASSWORD,
    });
    // Dependency order, as compose starts them.
    start("catalog");
    await waitReady(running.catalog, 30_000);
    start("results");
    start("runner");
    await Promise.all([waitReady(running.results, 30_000), waitReady(running.runner, 30_000)]);
  });

  afterAll(async () => {
    for (const service of Object.values(running)) await service.stop();
    await nc?.close();
    if (nats && nats.exitCode === null) {
      const exited = new Promise((resolve) => nats.once("exit", resolve));
      nats.kill("SIGTERM");
      await exited;
    }
    dir?.remove();
  });

  it("gives each service only what its image and compose set, and each answers /readyz and its Dockerfile's health check", async () => {
    expect(Object.keys(envs.runner).sort()).toEqual(
      expect.arrayContaining([
        "NATS_URL",
        "NATS_USER",
        "NATS_PASSWORD",
        "PADDOCK_API_TOKEN",
        "PADDOCK_CATALOG_URL",
        "PADDOCK_RUNNER_HOST",
        "PADDOCK_RUNNER_PORT",
        "NODE_ENV",
      ]),
    );
    expect(envs.runner.PADDOCK_RUNNER_HOST).toBe("0.0.0.0");
    expect(envs.catalog.PADDOCK_SCENARIOS).toBe(join(root, "scenarios"));
    expect(envs.runner.PATH).toBeUndefined();
    for (const name of ["catalog", "runner", "results"] as const) {
      expect(await ready(name), name).toBe(true);
      expect(runHealthcheck(name, envs[name]), `${name} health check`).toBe(0);
    }
  });

  it("NATS accepts only the compose user, for the services and for the CLI", async () => {
    await expect(
      connectBus({
        url: `nats://127.0.0.1:${ports.nats}`,
        name: "anonymous",
        reconnect: false,
        timeout: 3000,
      }),
    ).rejects.toThrow(/NATS is not reachable/);
    const cliEnv = {
      NATS_URL: envs.runner.NATS_URL,
      NATS_USER: envs.runner.NATS_USER,
      NATS_PASSWORD: envs.runner.NATS_PASSWORD,
    };
    const withCredentials = createLiveBus({
      url: cliEnv.NATS_URL as string,
      name: "cli-test",
      auth: credentialsOf(cliEnv),
    });
    const without = createLiveBus({ url: cliEnv.NATS_URL as string, name: "cli-test-anonymous" });
    try {
      expect(await withCredentials.probe()).toBe(true);
      expect(await without.probe()).toBe(false);
    } finally {
      await withCredentials.close();
      await without.close();
    }
  });

  it("serves /metrics to a scraper with the token only, with each service's own metrics", async () => {
    const own: Record<Name, string> = {
      catalog: "paddock_catalog_scenarios{",
      runner: "paddock_runner_iterations_total",
      results: "paddock_results_consumer_pending_messages",
    };
    for (const name of ["catalog", "runner", "results"] as const) {
      expect((await fetch(`${urls[name]}/metrics`)).status, name).toBe(401);
      const response = await fetch(`${urls[name]}/metrics`, { headers: auth });
      expect(response.status, name).toBe(200);
      const text = await response.text();
      expect(text, name).toContain(own[name]);
      expect(text, name).toContain("paddock_http_request_duration_seconds_bucket");
      expect(text, name).toContain("process_resident_memory_bytes");
    }
  });

  it("results stopped alone: the runner still runs a task; results catches up after it starts again", async () => {
    await running.results.stop();
    expect(runHealthcheck("results", envs.results)).toBe(1);
    expect(await ready("catalog")).toBe(true);
    expect(await ready("runner")).toBe(true);

    const { status, body } = await submit(25);
    expect(status).toBe(202);
    const taskId = body.taskId as string;
    expect((await finished(taskId)).type).toBe("TaskFinished");

    start("results", "results-2");
    await waitReady(running.results, 30_000);
    const task = await stored(taskId);
    expect(task.iterations).toBe(25);
    const metrics = await (await fetch(`${urls.results}/metrics`, { headers: auth })).text();
    expect(metrics).toContain(
      'paddock_results_events_ingested_total{type="TaskFinished",outcome="applied"} 1',
    );
  });

  it("catalog stopped alone: the runner stays ready and says why it cannot take a scenario; after a restart it can", async () => {
    await running.catalog.stop();
    expect(await ready("runner")).toBe(true);
    expect(await ready("results")).toBe(true);
    const refused = await submit(5);
    expect(refused.status).toBe(503);
    expect(refused.body.error?.code).toBe("DEPENDENCY_UNAVAILABLE");

    start("catalog", "catalog-2");
    await waitReady(running.catalog, 30_000);
    const accepted = await submit(5);
    expect(accepted.status).toBe(202);
    expect((await finished(accepted.body.taskId as string)).type).toBe("TaskFinished");
    expect((await stored(accepted.body.taskId as string)).iterations).toBe(5);
  });

  it("runner upgraded alone (stopped, a new process started): tasks run again and results kept everything", async () => {
    await running.runner.stop();
    expect(await ready("results")).toBe(true);
    start("runner", "runner-2");
    await waitReady(running.runner, 30_000);
    const { status, body } = await submit(10);
    expect(status).toBe(202);
    expect((await stored(body.taskId as string)).iterations).toBe(10);
    const list = await fetch(`${urls.results}/tasks?limit=50`, { headers: auth });
    expect(((await list.json()) as { tasks: unknown[] }).tasks.length).toBeGreaterThanOrEqual(3);
  });

  it("writes JSON logs in which every line about a task carries its taskId", () => {
    let aboutTasks = 0;
    for (const file of ["runner", "runner-2", "results", "results-2"]) {
      const lines = readFileSync(join(dir.path, `${file}.log`), "utf8")
        .trim()
        .split("\n");
      for (const line of lines) {
        // Node's own warnings (on stderr) are not the service's log.
        if (line.startsWith("(node:")) continue;
        const entry = JSON.parse(line) as { msg?: string; taskId?: string; service?: string };
        expect(entry.service, `${file}: ${line}`).toBe(file.replace(/-2$/, ""));
        const mentioned = /\b([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/.exec(
          entry.msg ?? "",
        );
        if (!mentioned) continue;
        aboutTasks += 1;
        expect(entry.taskId, `${file}: ${line}`).toBe(mentioned[1]);
      }
    }
    expect(aboutTasks).toBeGreaterThanOrEqual(6);
  });

  it("refuses to start on 0.0.0.0 without PADDOCK_API_TOKEN, whichever service", async () => {
    for (const name of ["catalog", "runner", "results"] as const) {
      const { PADDOCK_API_TOKEN: _token, ...env } = envs[name];
      const child = spawn(process.execPath, [join(root, "services", name, "dist", "main.js")], {
        env: { ...env, [`PADDOCK_${name.toUpperCase()}_PORT`]: String(await freePort()) },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout?.on("data", (chunk: Buffer) => {
        output += chunk.toString();
      });
      const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
      expect(code, name).toBe(2);
      expect(output, name).toContain(
        "refusing to bind 0.0.0.0: a non-loopback address needs PADDOCK_API_TOKEN",
      );
    }
  });
});

function credentialsOf(env: Record<string, string | undefined>) {
  const config = loadCliConfig(env);
  return {
    user: config.natsUser,
    password: config.natsPassword,
    token: config.natsToken,
    credsFile: config.natsCreds,
  };
}
