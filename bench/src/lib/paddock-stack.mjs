/**
 * Paddock as a user runs it, from the built output: a real nats-server (own port, own store), the
 * runner's `dist/main.js` (and, when asked, the results service's) as child processes, tasks
 * submitted over HTTP and followed on JetStream like any subscriber would.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { connectBus, followTask } from "@paddock/bus";
import { freePort, startTestNats, tempDir } from "@paddock/testkit";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

const FINAL = new Set(["TaskFinished", "TaskAborted", "TaskFailed"]);

/** `dist/main.js` of a service, or a clear error telling how to build it. */
export function serviceMain(name) {
  const file = join(ROOT, "services", name, "dist", "main.js");
  if (!existsSync(file)) {
    throw new Error(`${file} is missing: build first with 'npx turbo run build' at the repository root`);
  }
  return file;
}

/** The node options a service declares in its package.json (`paddock.nodeArgs`), as `paddock up` uses them. */
function serviceNodeArgs(name) {
  const manifest = JSON.parse(readFileSync(join(ROOT, "services", name, "package.json"), "utf8"));
  return manifest.paddock?.nodeArgs ?? [];
}

/** The environment a service declares in its package.json (`paddock.env`), as `paddock up` uses it. */
function serviceEnv(name) {
  const manifest = JSON.parse(readFileSync(join(ROOT, "services", name, "package.json"), "utf8"));
  return manifest.paddock?.env ?? {};
}

/** Resident set size of a process in bytes (Linux /proc), or undefined once it is gone. */
export function rssOf(pid) {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * CPU time a process has used, user + system, in microseconds (Linux /proc; clock ticks of 10 ms,
 * so only differences over about a second of load mean something).
 */
export function cpuMicrosOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

async function waitReady(url, child, what, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/readyz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${what} was not ready at ${url} within ${timeoutMs} ms`);
}

function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/**
 * Starts one service from its built `main.js` with `env` on a free loopback port and waits for
 * `/readyz`. Its stderr is kept (last 4 KiB) for error messages. `nodeArgs` go to Node after the
 * service's own; `onStdout` receives its standard output (ignored otherwise).
 */
export async function startService(
  name,
  env,
  portVariable,
  main = serviceMain(name),
  { nodeArgs = [], onStdout } = {},
) {
  const port = await freePort();
  const child = spawn(process.execPath, [...serviceNodeArgs(name), ...nodeArgs, main], {
    env: {
      PATH: process.env.PATH,
      PADDOCK_LOG_LEVEL: "warn",
      ...serviceEnv(name),
      ...env,
      [portVariable]: String(port),
    },
    stdio: ["ignore", onStdout === undefined ? "ignore" : "pipe", "pipe"],
  });
  if (onStdout !== undefined) child.stdout.on("data", onStdout);
  let log = "";
  child.stderr.on("data", (chunk) => {
    log = (log + chunk.toString()).slice(-4096);
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitReady(url, child, `${name} (${main})`);
  } catch (error) {
    await stopChild(child);
    throw new Error(`${error.message}\n${log}`);
  }
  return { url, pid: child.pid, child, log: () => log, stop: () => stopChild(child) };
}

/**
 * A nats-server, a catalog (the repository's scenarios and environments: the runner looks up a
 * task's environment there) and a runner (this build's, or the `main.js` given as `runnerMain`;
 * `runnerNodeArgs` and `onRunnerStdout` as `startService` takes them); `stop()` ends them all and
 * removes their files.
 */
export async function startPaddock({ runnerMain, runnerNodeArgs, onRunnerStdout } = {}) {
  const nats = await startTestNats();
  const repo = new URL("../../../", import.meta.url).pathname;
  let catalog;
  let runner;
  let nc;
  try {
    catalog = await startService(
      "catalog",
      { PADDOCK_SCENARIOS: `${repo}scenarios`, PADDOCK_ENVIRONMENTS: `${repo}environments` },
      "PADDOCK_CATALOG_PORT",
    );
    runner = await startService(
      "runner",
      {
        NATS_URL: nats.url,
        PADDOCK_RUNNER_ID: "bench-runner",
        PADDOCK_CATALOG_URL: catalog.url,
      },
      "PADDOCK_RUNNER_PORT",
      runnerMain,
      { nodeArgs: runnerNodeArgs, onStdout: onRunnerStdout },
    );
    nc = await connectBus({ url: nats.url, name: "paddock-bench", reconnect: false });
  } catch (error) {
    await runner?.stop();
    await catalog?.stop();
    await nats.dispose();
    throw error;
  }
  return {
    nats,
    runner,
    nc,
    /** Submits `task` (an object, sent as JSON text) and follows it to its end. */
    runTask: (task, options) => runTask({ runner, nc }, task, options),
    readIterations: (taskId, expected) => readIterations(nc, taskId, expected),
    async stop() {
      await nc.close();
      await runner.stop();
      await catalog.stop();
      await nats.dispose();
    },
  };
}

/**
 * Submits a task and follows its events until `TaskFinished`/`TaskAborted`/`TaskFailed`.
 * `submittedAt` is the epoch milliseconds just before the HTTP request left; `endedAt` when the
 * final event reached this process.
 */
export async function runTask({ runner, nc }, task, { channels = ["lifecycle"], onEvent, timeoutMs } = {}) {
  const submittedAt = Date.now();
  const response = await fetch(`${runner.url}/tasks`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ task: JSON.stringify(task) }),
  });
  const acceptedAt = Date.now();
  const body = await response.json();
  if (response.status !== 202) {
    throw new Error(`the runner refused the task (${response.status}): ${JSON.stringify(body)}`);
  }
  const workloads = [];
  let final;
  let resolveEnd;
  const ended = new Promise((resolve) => {
    resolveEnd = resolve;
  });
  const following = await followTask(nc, body.taskId, {
    channels,
    onEvent(event) {
      onEvent?.(event);
      if (event.type === "WorkloadFinished") workloads.push(event.data);
      if (FINAL.has(event.type)) {
        final = event;
        resolveEnd(Date.now());
      }
    },
  });
  const limit = timeoutMs ?? 600_000;
  let timer;
  const endedAt = await Promise.race([
    ended,
    new Promise((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`task ${body.taskId} did not end within ${limit} ms`)),
        limit,
      );
    }),
  ]).finally(() => clearTimeout(timer));
  await following.stop();
  if (final.type !== "TaskFinished") {
    throw new Error(`task ${body.taskId} ended with ${final.type}: ${JSON.stringify(final.data)}`);
  }
  return { taskId: body.taskId, submittedAt, acceptedAt, endedAt, workloads };
}

/**
 * Reads a finished task's iterations back from JetStream (after the load, so reading them does
 * not compete with the runner for CPU). Resolves once `expected` records were seen.
 */
export async function readIterations(nc, taskId, expected, timeoutMs = 120_000) {
  const records = [];
  let resolveAll;
  const all = new Promise((resolve) => {
    resolveAll = resolve;
  });
  const following = await followTask(nc, taskId, {
    channels: ["iterations"],
    onEvent(event) {
      if (event.type !== "IterationsRecorded") return;
      for (const record of event.data.iterations) records.push(record);
      if (records.length >= expected) resolveAll();
    },
  });
  let timer;
  try {
    await Promise.race([
      all,
      new Promise((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(`only ${records.length} of ${expected} iterations of ${taskId} in ${timeoutMs} ms`),
            ),
          timeoutMs,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
    await following.stop();
  }
  return records;
}

/** A temporary folder removed by `remove()`. */
export { tempDir };

/**
 * Runs a results-service scenario once with this build, or — when `PADDOCK_BENCH_BEFORE_RESULTS`
 * names an older build's `services/results/dist/main.js` (inside the repository, so its imports
 * resolve) — first with that build, then with this one: a before/after in one run. `scenario`
 * gets `{ label, prefix, main, judge }`: a label for the output, a prefix for its lines, the
 * results main to start (undefined: this build) and whether to judge the targets.
 */
export async function withResultsBeforeAfter(scenario) {
  const before = process.env.PADDOCK_BENCH_BEFORE_RESULTS;
  if (before === undefined) return scenario({ label: undefined, prefix: "", main: undefined, judge: true });
  if (!existsSync(before)) throw new Error(`PADDOCK_BENCH_BEFORE_RESULTS: ${before} does not exist`);
  await scenario({ label: `before (${before})`, prefix: "before: ", main: before, judge: false });
  await scenario({ label: "now (this build)", prefix: "now: ", main: undefined, judge: true });
}
