/**
 * `keystone`: the same Keystone workloads run by Paddock and by Debian's Rally 3.3 (with
 * rally-openstack 2.2) against the same local Keystone (`scripts/openstack-local.sh`: Debian's
 * Keystone under uwsgi, one worker), one after the other, and what share of each iteration is
 * the client's own time.
 *
 * Keystone logs every request it serves with the time its worker spent on it (uwsgi `%(micros)`)
 * and when it started (`%(tmsecs)`, epoch ms). A tool's iteration `[timestamp, timestamp +
 * duration]` holds the requests that started inside it; their worker time is the server's share,
 * the rest of the iteration (client code, HTTP and JSON on both ends, the uwsgi router, waiting in
 * its queue) is what the benchmark calls client overhead. Requests outside every iteration are the
 * run's set-up (contexts, and Rally's clients, which it builds before starting each iteration's
 * timer) and are counted apart.
 *
 * Rally gets its own database and an environment made by `rally env create --from-sysenv` from
 * the cloud's OS_* variables, in a temporary folder; Paddock runs its catalog and runner (built
 * `dist/`) against `environments/devstack-local.yaml` with OS_PASSWORD in the runner's environment.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { connectBus, followTask } from "@paddock/bus";
import { startTestNats, tempDir } from "@paddock/testkit";
import { ROOT, readIterations, startService } from "./lib/paddock-stack.mjs";
import { rallyVersion, runRally } from "./lib/rally-cli.mjs";
import { fmt, heading, line, percentile } from "./lib/report.mjs";

const SCRIPT = join(ROOT, "scripts/openstack-local.sh");
const KEYSTONE_LOG = join(ROOT, ".paddock/openstack/log/keystone-uwsgi.log");
const TIMES = 100;

/** The workloads, each as a Rally v2 subtask both tools run unchanged (Paddock adds a variant). */
const WORKLOADS = [
  {
    title: "KeystoneBasic.create_user",
    scenario: { "KeystoneBasic.create_user": {} },
    contexts: {},
  },
  {
    title: "KeystoneBasic.create_and_list_roles",
    scenario: { "KeystoneBasic.create_and_list_roles": {} },
    contexts: {},
  },
  {
    title: "Authenticate.keystone",
    scenario: { "Authenticate.keystone": {} },
    contexts: { users: { tenants: 1, users_per_tenant: 2 } },
  },
];

const taskOf = (workload, extraContexts = {}) => ({
  version: 2,
  title: `bench keystone ${workload.title}`,
  subtasks: [
    {
      title: workload.title,
      scenario: workload.scenario,
      runner: { constant: { times: TIMES, concurrency: 1 } },
      contexts: { ...workload.contexts, ...extraContexts },
      sla: { failure_rate: { max: 0 } },
    },
  ],
});

function keystoneRunning() {
  try {
    process.kill(Number(readFileSync(join(ROOT, ".paddock/openstack/run/keystone.pid"), "utf8")), 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts (or finds) the local cloud; its OS_* variables (and whether this started it), or why there is none. */
function localCloud() {
  const wasRunning = keystoneRunning();
  try {
    const output = execFileSync("bash", [SCRIPT, "start"], {
      encoding: "utf8",
      env: { ...process.env, PADDOCK_OS_GLANCE: "0" },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 600_000,
    });
    const variables = {};
    for (const match of output.matchAll(/^export (OS_[A-Z_]+)=(.*)$/gm)) variables[match[1]] = match[2];
    return { variables, started: !wasRunning };
  } catch (error) {
    return {
      error: String(error.stderr ?? error.message)
        .trim()
        .split("\n")
        .at(-1),
    };
  }
}

/** Sends `GET /paddock-mark/<label>` to Keystone and waits until it is logged. */
async function mark(authUrl) {
  const label = `bench-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  await fetch(`${authUrl.replace(/\/+$/, "")}/paddock-mark/${label}`).then((response) =>
    response.arrayBuffer(),
  );
  for (let waited = 0; waited < 30_000; waited += 50) {
    if (readFileSync(KEYSTONE_LOG, "utf8").includes(`/paddock-mark/${label}`)) return label;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Keystone did not log ${label}`);
}

/** Requests Keystone served between two marks: `{ startMs, micros }`, Keystone's own token checks left out. */
function served(from, to) {
  const lines = readFileSync(KEYSTONE_LOG, "utf8").split("\n");
  const first = lines.findIndex((text) => text.includes(`/paddock-mark/${from}`));
  const last = lines.findIndex((text) => text.includes(`/paddock-mark/${to}`));
  return lines.slice(first + 1, last).flatMap((text) => {
    const match = /paddock-request \S+ \S+ \d+ (\d+) (\d+) (.*)$/.exec(text);
    if (match === null || match[3].includes("keystonemiddleware")) return [];
    return [{ micros: Number(match[1]), startMs: Number(match[2]) }];
  });
}

/**
 * Per iteration (epoch-second `timestamp`, `duration` in seconds): the server time of the requests
 * that started inside it, and what share of the iteration the rest is.
 */
function attribute(iterations, requests) {
  const ok = iterations
    .filter((iteration) => iteration.error.length === 0)
    .map((iteration) => ({
      start: iteration.timestamp * 1000,
      end: (iteration.timestamp + iteration.duration) * 1000,
      durationMs: iteration.duration * 1000,
      serverMs: 0,
      requests: 0,
    }))
    .sort((a, b) => a.start - b.start);
  // Each request goes to the latest iteration that had started by then (tmsecs is whole
  // milliseconds) and had not ended: iterations run one at a time, so at most one matches.
  let inside = 0;
  for (const request of requests) {
    let owner;
    for (const row of ok) {
      if (Math.floor(row.start) > request.startMs) break;
      if (request.startMs <= row.end) owner = row;
    }
    if (owner === undefined) continue;
    owner.serverMs += request.micros / 1000;
    owner.requests += 1;
    inside += 1;
  }
  const column = (pick) => ok.map(pick).sort((a, b) => a - b);
  return {
    iterations: ok.length,
    durationP50: percentile(
      column((row) => row.durationMs),
      0.5,
    ),
    serverP50: percentile(
      column((row) => row.serverMs),
      0.5,
    ),
    clientP50: percentile(
      column((row) => Math.max(0, row.durationMs - row.serverMs)),
      0.5,
    ),
    overheadP50: percentile(
      column((row) => Math.max(0, 1 - row.serverMs / row.durationMs)),
      0.5,
    ),
    overheadP90: percentile(
      column((row) => Math.max(0, 1 - row.serverMs / row.durationMs)),
      0.9,
    ),
    requestsInside: inside / Math.max(ok.length, 1),
    requestsAll: requests.length / Math.max(ok.length, 1),
  };
}

/** One line per tool: iteration p50 = Keystone + client, the client's share, requests, rate. */
function report(label, figures, loadDuration) {
  line(
    label,
    `${fmt(figures.durationP50, 1)} ms = Keystone ${fmt(figures.serverP50, 1)} + client ${fmt(figures.clientP50, 1)}; ` +
      `client ${fmt(figures.overheadP50 * 100)} % (p90 ${fmt(figures.overheadP90 * 100)} %); ` +
      `${fmt(figures.requestsInside, 1)} req in it, ${fmt(figures.requestsAll, 1)}/it in the run; ` +
      `${fmt(figures.iterations / loadDuration, 1)} it/s`,
  );
}

/** Paddock: nats-server, catalog (the repository's environments) and runner with OS_PASSWORD. */
async function startPaddockFor(password) {
  const nats = await startTestNats();
  const catalog = await startService(
    "catalog",
    { PADDOCK_SCENARIOS: join(ROOT, "scenarios"), PADDOCK_ENVIRONMENTS: join(ROOT, "environments") },
    "PADDOCK_CATALOG_PORT",
  ).catch(async (error) => {
    await nats.dispose();
    throw error;
  });
  const runner = await startService(
    "runner",
    {
      NATS_URL: nats.url,
      PADDOCK_RUNNER_ID: "bench-keystone",
      PADDOCK_CATALOG_URL: catalog.url,
      OS_PASSWORD: password,
    },
    "PADDOCK_RUNNER_PORT",
  ).catch(async (error) => {
    await catalog.stop();
    await nats.dispose();
    throw error;
  });
  const nc = await connectBus({ url: nats.url, name: "paddock-bench-keystone", reconnect: false });
  return {
    /** Submits `task` against `environment`, waits for its end, and reads its iterations back. */
    async run(environment, task) {
      const response = await fetch(`${runner.url}/tasks`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ task: JSON.stringify(task), environment }),
      });
      const body = await response.json();
      if (response.status !== 202) throw new Error(`the runner refused the task: ${JSON.stringify(body)}`);
      let final;
      const ended = new Promise((resolve) => {
        final = resolve;
      });
      const following = await followTask(nc, body.taskId, {
        channels: ["lifecycle"],
        onEvent(event) {
          if (["TaskFinished", "TaskAborted", "TaskFailed"].includes(event.type)) final(event);
        },
      });
      const last = await ended;
      await following.stop();
      if (last.type !== "TaskFinished")
        throw new Error(`task ended with ${last.type}: ${JSON.stringify(last.data)}`);
      return readIterations(nc, body.taskId, TIMES, 900_000);
    },
    async stop() {
      await nc.close();
      await runner.stop();
      await catalog.stop();
      await nats.dispose();
    },
  };
}

function rallyOpenStackMissing() {
  const result = spawnSync("/usr/bin/python3", ["-c", "import rally_openstack"], { encoding: "utf8" });
  return result.status !== 0;
}

/** A Rally with its own database and an environment from the cloud's OS_* variables. */
async function createRallyFor(variables) {
  const dir = tempDir("paddock-bench-rally-keystone-");
  const conf = join(dir.path, "rally.conf");
  writeFileSync(conf, `[DEFAULT]\n[database]\nconnection=sqlite:///${join(dir.path, "rally.sqlite")}\n`);
  const env = { PATH: process.env.PATH, HOME: dir.path, ...variables };
  const rally = (args, timeoutMs) =>
    runRally(["--config-file", conf, ...args], { cwd: dir.path, env, timeoutMs });
  for (const args of [
    ["db", "create"],
    ["env", "create", "--name", "bench-keystone", "--from-sysenv"],
  ]) {
    const result = await rally(args);
    if (result.code !== 0) {
      dir.remove();
      throw new Error(`rally ${args.join(" ")} failed (${result.code}):\n${result.out.slice(-2000)}`);
    }
  }
  return {
    async runTask(task) {
      const file = join(dir.path, "task.json");
      writeFileSync(file, JSON.stringify(task));
      const started = await rally(["task", "start", "--task", file]);
      const uuid = started.out.match(/Task\s+([0-9a-f-]{36})/)?.[1];
      if (started.code !== 0 || uuid === undefined) {
        throw new Error(`rally task start failed (${started.code}):\n${started.out.slice(-2000)}`);
      }
      const out = join(dir.path, `${uuid}.json`);
      const reported = await rally(["task", "report", uuid, "--json", "--out", out]);
      if (reported.code !== 0) throw new Error(`rally task report failed:\n${reported.out.slice(-2000)}`);
      const json = JSON.parse(readFileSync(out, "utf8"));
      return json.tasks[0].subtasks[0].workloads[0];
    },
    dispose: () => dir.remove(),
  };
}

export async function benchKeystone() {
  heading(`keystone: the same Keystone workloads, Paddock and Rally, ${TIMES} iterations at concurrency 1`);
  const cloud = localCloud();
  if (cloud.error !== undefined) {
    line("local Keystone", `unavailable (${cloud.error}) — nothing measured`);
    return;
  }
  const { variables } = cloud;
  const authUrl = variables.OS_AUTH_URL;
  line("Keystone", `${authUrl} (Debian's Keystone under uwsgi, 1 worker, sqlite; this machine)`);
  const paddock = await startPaddockFor(variables.OS_PASSWORD);
  const version = rallyVersion();
  const rallyMissing = version === undefined || rallyOpenStackMissing();
  if (rallyMissing) {
    line(
      "Rally",
      "not installed (apt-get install -y rally python3-rally-openstack) — Paddock measured alone",
    );
  }
  const rally = rallyMissing ? undefined : await createRallyFor(variables);
  try {
    for (const workload of WORKLOADS) {
      heading(`keystone: ${workload.title} — p50 of ${TIMES} iterations (ms), client share of each`);
      for (const [label, extra] of [
        ["Paddock", {}],
        ["Paddock, per_iteration_auth", { per_iteration_auth: {} }],
      ]) {
        const from = await mark(authUrl);
        const records = await paddock.run("devstack-local", taskOf(workload, extra));
        const to = await mark(authUrl);
        const failed = records.filter((record) => record.error.length > 0);
        if (failed.length > 0)
          throw new Error(`${label}: ${failed.length} iterations failed: ${failed[0].error[1]}`);
        const first = Math.min(...records.map((record) => record.timestamp));
        const last = Math.max(...records.map((record) => record.timestamp + record.duration));
        report(label, attribute(records, served(from, to)), last - first);
      }
      if (rally !== undefined) {
        const from = await mark(authUrl);
        const result = await rally.runTask(taskOf(workload));
        const to = await mark(authUrl);
        if (result.failed_iteration_count > 0) {
          throw new Error(
            `Rally: ${result.failed_iteration_count} iterations failed: ${result.data.find((d) => d.error.length > 0)?.error[1]}`,
          );
        }
        report(`Rally ${version}`, attribute(result.data, served(from, to)), result.load_duration);
      }
    }
  } finally {
    rally?.dispose();
    await paddock.stop();
    if (cloud.started) execFileSync("bash", [SCRIPT, "stop"], { stdio: "ignore", timeout: 60_000 });
  }
}
