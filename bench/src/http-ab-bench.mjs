/**
 * `http-ab`: the `http` benchmark's workload run by two builds of the runner, to tell whether a
 * change to the runner moves its throughput. `PADDOCK_BENCH_BEFORE_RUNNER=<an older build's
 * services/runner/dist/main.js>` is the "before" side and this build's runner the "after" side;
 * each has its own nats-server and catalog, both load one target server, and the rounds alternate
 * which side goes first. On this 2-core machine the same build on both sides gave medians 3 %
 * apart with single rounds from 0.73× to 1.38×, so read the median of the per-round ratios over
 * all the rounds, and only trust a difference well beyond that.
 */
import { existsSync } from "node:fs";
import { cpuLine, cpuPerRequest, median, paddockRate, startTarget } from "./http-bench.mjs";
import { startPaddock } from "./lib/paddock-stack.mjs";
import { fmt, heading, line } from "./lib/report.mjs";

const ROUNDS = 12;

function pidsOf(paddock, server) {
  return { runner: paddock.runner.pid, nats: paddock.nats.process.pid, target: server.pid };
}

export async function benchHttpAb() {
  heading("http-ab: HttpRequests.check_request at concurrency 20, two runner builds");
  const beforeMain = process.env.PADDOCK_BENCH_BEFORE_RUNNER;
  if (beforeMain === undefined) {
    line("skipped", "set PADDOCK_BENCH_BEFORE_RUNNER to an older build's services/runner/dist/main.js");
    return;
  }
  if (!existsSync(beforeMain)) throw new Error(`PADDOCK_BENCH_BEFORE_RUNNER: ${beforeMain} does not exist`);
  const server = await startTarget();
  const sides = [];
  try {
    sides.push({ name: "before", paddock: await startPaddock({ runnerMain: beforeMain }), runs: [] });
    sides.push({ name: "after", paddock: await startPaddock(), runs: [] });
    for (const side of sides) await paddockRate(side.paddock, server.url); // warm-up, not counted
    for (let round = 1; round <= ROUNDS; round += 1) {
      const order = round % 2 === 1 ? sides : [...sides].reverse();
      for (const side of order) {
        side.runs.push(
          await cpuPerRequest(pidsOf(side.paddock, server), () => paddockRate(side.paddock, server.url)),
        );
      }
      const [before, after] = sides.map((side) => side.runs.at(-1).rate);
      line(
        `round ${round}: before / after`,
        `${fmt(before)} / ${fmt(after)} req/s = ${fmt(after / before, 2)}×`,
      );
    }
  } finally {
    for (const side of sides) await side.paddock.stop();
    await server.stop();
  }
  const [before, after] = sides;
  for (const side of sides) {
    line(`${side.name} (median of ${ROUNDS})`, `${fmt(median(side.runs.map((run) => run.rate)))} req/s`);
    line(
      `CPU per request, ${side.name} (µs)`,
      cpuLine(
        side.runs.map((run) => run.cpu),
        [
          ["runner", "runner"],
          ["nats", "nats-server"],
          ["target", "target"],
        ],
      ),
    );
  }
  const ratios = after.runs.map((run, index) => run.rate / before.runs[index].rate);
  line("after / before, median of the per-round ratios", `${fmt(median(ratios), 3)}×`);
}
