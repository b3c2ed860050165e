/**
 * `http`: `HttpRequests.check_request` (GET, expects 200) against one local keep-alive Node
 * server at concurrency 20. Paddock runs N requests and autocannon the same N at 20 connections:
 * one unmeasured warm-up run of each, then rounds in alternating order (medians compared); wrk (one thread, 20 connections) runs for as
 * long as Paddock took; Rally runs a smaller count (it is ~two orders of magnitude slower) at the
 * same concurrency.
 */
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { cpuMicrosOf, startPaddock } from "./lib/paddock-stack.mjs";
import { createRally, RALLY_MISSING, rallyVersion } from "./lib/rally-cli.mjs";
import { fmt, heading, line, target } from "./lib/report.mjs";

const REQUESTS = 50_000;
const RALLY_REQUESTS = 2_000;
const CONCURRENCY = 20;

export function startTarget() {
  const child = spawn(
    process.execPath,
    [fileURLToPath(new URL("./http-target-server.mjs", import.meta.url))],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the HTTP target did not start in 10 s")), 10_000);
    child.stdout.once("data", (chunk) => {
      clearTimeout(timer);
      resolve({
        url: `http://127.0.0.1:${chunk.toString().trim()}/`,
        pid: child.pid,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once("exit", done);
            child.kill("SIGTERM");
          }),
      });
    });
    child.once("exit", (code) => reject(new Error(`the HTTP target exited with code ${code}`)));
  });
}

export const httpTask = (url, times) => ({
  version: 2,
  title: "bench http",
  subtasks: [
    {
      title: "HttpRequests.check_request",
      workloads: [
        {
          scenario: { "HttpRequests.check_request": { url, method: "GET", status_code: 200 } },
          runner: { constant: { times, concurrency: CONCURRENCY } },
        },
      ],
    },
  ],
});

/**
 * autocannon for `REQUESTS` requests, timed from the start to its last response. With `amount`,
 * autocannon notices it is done only at its next sample tick (every `sampleInt`, 1 s by default),
 * so its own wall time rounds up to whole seconds (50,000 requests read as 49k, 24.7k or 16.5k
 * req/s); the tick is set to 10 ms and the time taken from the last `response` event instead.
 */
function runAutocannon(url) {
  return new Promise((resolve, reject) => {
    let last = 0;
    const started = performance.now();
    const instance = autocannon(
      { url, connections: CONCURRENCY, amount: REQUESTS, sampleInt: 10 },
      (error, result) => {
        if (error) reject(error);
        else resolve({ result, elapsed: (last - started) / 1000 });
      },
    );
    instance.on("response", () => {
      last = performance.now();
    });
  });
}

function runWrk(url, seconds) {
  const result = spawnSync("wrk", ["-t1", `-c${CONCURRENCY}`, `-d${seconds}s`, url], {
    encoding: "utf8",
    timeout: (seconds + 30) * 1000,
  });
  if (result.error) return undefined;
  const rate = Number(/Requests\/sec:\s+([\d.]+)/.exec(result.stdout)?.[1]);
  if (!Number.isFinite(rate)) throw new Error(`wrk printed no rate:\n${result.stdout}${result.stderr}`);
  const errors = /Non-2xx or 3xx responses: (\d+)|Socket errors: .*/.exec(result.stdout)?.[0];
  return { rate, errors };
}

/**
 * Measured rounds; each runs Paddock and autocannon once, in alternating order, and the medians
 * are compared (one 50k run lasts about 1 s, so single runs are noisy).
 */
const ROUNDS = 7;

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * CPU per request of each process taking part in one run, in microseconds: `pids` by name, and
 * `self` for this process (where autocannon runs). Summed, it is what a request costs the two
 * cores all the processes share.
 */
export async function cpuPerRequest(pids, run) {
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMicrosOf(pid)]));
  const self = process.cpuUsage();
  const rate = await run();
  const used = process.cpuUsage(self);
  const cpu = { self: (used.user + used.system) / REQUESTS };
  for (const [name, pid] of Object.entries(pids)) cpu[name] = (cpuMicrosOf(pid) - before[name]) / REQUESTS;
  return { rate, cpu };
}

/** Paddock's rate for one run of `REQUESTS` (the workload's own load duration, as Rally reports it). */
export async function paddockRate(paddock, url) {
  const run = await paddock.runTask(httpTask(url, REQUESTS));
  const workload = run.workloads[0];
  if (workload.failedIterationCount !== 0) {
    throw new Error(`${workload.failedIterationCount} of Paddock's requests failed`);
  }
  return workload.totalIterationCount / workload.loadDuration;
}

async function autocannonRate(url) {
  const { result, elapsed } = await runAutocannon(url);
  if (result.errors !== 0 || result.non2xx !== 0) {
    throw new Error(`autocannon saw ${result.errors} errors and ${result.non2xx} non-2xx responses`);
  }
  return result.requests.total / elapsed;
}

/** The median of each process's CPU per request over rounds, as `name a.b µs` pairs. */
export function cpuLine(rounds, names) {
  return names.map(([key, label]) => `${label} ${fmt(median(rounds.map((r) => r[key])), 1)}`).join(" + ");
}

export async function benchHttp() {
  heading(`http: HttpRequests.check_request, local keep-alive Node server, concurrency ${CONCURRENCY}`);
  const server = await startTarget();
  try {
    const paddock = await startPaddock();
    const ourRates = [];
    const cannonRates = [];
    const ourCpu = [];
    const cannonCpu = [];
    const pids = { runner: paddock.runner.pid, nats: paddock.nats.process.pid, target: server.pid };
    let ours;
    try {
      // One unmeasured run of each first: the target server, the runner and autocannon all start
      // cold, and whichever ran first used to pay the target's JIT warm-up alone (measured: the
      // target's CPU per request 21 µs in its first 50k against 15 µs once warm).
      const cold = await paddockRate(paddock, server.url);
      const coldCannon = await autocannonRate(server.url);
      line("warm-up (not counted): Paddock, autocannon", `${fmt(cold)} / ${fmt(coldCannon)} req/s`);
      // Alternated, and in turn first, so both see the same machine; Paddock's processes sit idle
      // during autocannon's turns.
      for (let round = 1; round <= ROUNDS; round += 1) {
        const runOurs = () => cpuPerRequest(pids, () => paddockRate(paddock, server.url));
        const runCannon = () => cpuPerRequest(pids, () => autocannonRate(server.url));
        let ourRun;
        let cannonRun;
        if (round % 2 === 1) {
          ourRun = await runOurs();
          cannonRun = await runCannon();
        } else {
          cannonRun = await runCannon();
          ourRun = await runOurs();
        }
        const rate = ourRun.rate;
        const cannonRate = cannonRun.rate;
        ourRates.push(rate);
        cannonRates.push(cannonRate);
        ourCpu.push(ourRun.cpu);
        cannonCpu.push(cannonRun.cpu);
        line(
          `round ${round}: Paddock / autocannon`,
          `${fmt(rate)} / ${fmt(cannonRate)} req/s = ${fmt(rate / cannonRate, 2)}×`,
        );
      }
      ours = { rate: median(ourRates), seconds: REQUESTS / median(ourRates) };
    } finally {
      await paddock.stop();
    }
    const cannonRate = median(cannonRates);
    line(`Paddock (${fmt(REQUESTS)} requests, median of ${ROUNDS})`, `${fmt(ours.rate)} req/s`);
    line(
      `autocannon (${fmt(REQUESTS)} requests, 20 connections, median of ${ROUNDS})`,
      `${fmt(cannonRate)} req/s (timed to the last response)`,
    );
    line("ratio Paddock / autocannon (medians)", `${fmt(ours.rate / cannonRate, 2)}×`);
    // What each request costs the two shared cores (medians of the rounds): the gap between the
    // two sides is the runner's work beyond autocannon's plus nats-server storing the records.
    line(
      "CPU per request, Paddock (µs)",
      cpuLine(ourCpu, [
        ["runner", "runner"],
        ["nats", "nats-server"],
        ["target", "target"],
        ["self", "bench"],
      ]),
    );
    line(
      "CPU per request, autocannon (µs)",
      cpuLine(cannonCpu, [
        ["self", "autocannon"],
        ["target", "target"],
      ]),
    );
    target("http ≥ 0.9× autocannon", ours.rate / cannonRate >= 0.9);

    const seconds = Math.max(3, Math.round(ours.seconds));
    const wrk = runWrk(server.url, seconds);
    if (wrk === undefined) {
      line("wrk", "not installed (Debian: apt-get install -y wrk) — skipped");
    } else {
      line(
        `wrk (1 thread, 20 connections, ${seconds} s)`,
        `${fmt(wrk.rate)} req/s${wrk.errors ? ` (${wrk.errors})` : ""}`,
      );
      line("ratio Paddock / wrk", `${fmt(ours.rate / wrk.rate, 2)}×`);
    }

    const version = rallyVersion();
    if (version === undefined) {
      console.log(`  ${RALLY_MISSING}`);
      return;
    }
    const rally = await createRally();
    try {
      const result = await rally.runTask(httpTask(server.url, RALLY_REQUESTS));
      const workload = result.workloads[0];
      const rate = workload.total_iteration_count / workload.load_duration;
      line(
        `Rally ${version} (${fmt(RALLY_REQUESTS)} requests)`,
        `${fmt(rate)} req/s (${fmt(workload.load_duration, 2)} s, ${workload.failed_iteration_count} failed)`,
      );
      line("ratio Paddock / Rally", `${fmt(ours.rate / rate, 1)}×`);
      target("http ≥ 25× Rally", ours.rate / rate >= 25);
    } finally {
      rally.dispose();
    }
  } finally {
    await server.stop();
  }
}
