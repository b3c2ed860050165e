/**
 * `http`: `HttpRequests.check_request` (GET, expects 200) against one local keep-alive Node
 * server at concurrency 20. Paddock runs N requests and autocannon the same N at 20 connections,
 * alternated for a few rounds (medians compared); wrk (one thread, 20 connections) runs for as
 * long as Paddock took; Rally runs a smaller count (it is ~two orders of magnitude slower) at the
 * same concurrency.
 */
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { startPaddock } from "./lib/paddock-stack.mjs";
import { createRally, RALLY_MISSING, rallyVersion } from "./lib/rally-cli.mjs";
import { fmt, heading, line, target } from "./lib/report.mjs";

const REQUESTS = 50_000;
const RALLY_REQUESTS = 2_000;
const CONCURRENCY = 20;

function startTarget() {
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

const httpTask = (url, times) => ({
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

/** Rounds of Paddock then autocannon, alternated; the medians are compared (one 50k run lasts ~1.5 s: noisy). */
const ROUNDS = 5;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export async function benchHttp() {
  heading(`http: HttpRequests.check_request, local keep-alive Node server, concurrency ${CONCURRENCY}`);
  const server = await startTarget();
  try {
    const paddock = await startPaddock();
    const ourRates = [];
    const cannonRates = [];
    let ours;
    try {
      await paddock.runTask(httpTask(server.url, 5_000));
      // Alternated so both see the same machine; Paddock's processes sit idle during autocannon's turns.
      for (let round = 1; round <= ROUNDS; round += 1) {
        const run = await paddock.runTask(httpTask(server.url, REQUESTS));
        const workload = run.workloads[0];
        if (workload.failedIterationCount !== 0) {
          throw new Error(`${workload.failedIterationCount} of Paddock's requests failed`);
        }
        const rate = workload.totalIterationCount / workload.loadDuration;
        ourRates.push(rate);
        const { result: cannon, elapsed } = await runAutocannon(server.url);
        if (cannon.errors !== 0 || cannon.non2xx !== 0) {
          throw new Error(`autocannon saw ${cannon.errors} errors and ${cannon.non2xx} non-2xx responses`);
        }
        cannonRates.push(cannon.requests.total / elapsed);
        line(
          `round ${round}: Paddock / autocannon`,
          `${fmt(rate)} / ${fmt(cannon.requests.total / elapsed)} req/s = ${fmt(rate / (cannon.requests.total / elapsed), 2)}×`,
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
