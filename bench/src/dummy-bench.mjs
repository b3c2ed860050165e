/**
 * `dummy`: Rally's `Dummy.dummy` (sleep 0), constant runner, 20,000 iterations at concurrency 10,
 * every iteration published to a real nats-server — iterations per second (20,000 / load
 * duration, each tool's own figure) and the fixed cost from submit to the first iteration.
 */
import { startPaddock } from "./lib/paddock-stack.mjs";
import { createRally, RALLY_MISSING, rallyVersion } from "./lib/rally-cli.mjs";
import { fmt, heading, line, percentile, target } from "./lib/report.mjs";

const TIMES = 20_000;
const CONCURRENCY = 10;
/** Paddock runs of the 20k task; the median one is reported. */
const RUNS = 3;

const dummyTask = (times, concurrency) => ({
  version: 2,
  title: "bench dummy",
  subtasks: [
    {
      title: "Dummy.dummy",
      workloads: [
        { scenario: { "Dummy.dummy": { sleep: 0 } }, runner: { constant: { times, concurrency } } },
      ],
    },
  ],
});

export async function benchDummy() {
  heading(`dummy: Dummy.dummy sleep 0, constant ${fmt(TIMES)} iterations, concurrency ${CONCURRENCY}`);
  const paddock = await startPaddock();
  let measured;
  const fixed = [];
  let cold;
  try {
    // The first task after start-up pays for loading code; report it, then warm figures.
    const first = await paddock.runTask(dummyTask(1, 1));
    cold = first.workloads[0].startTime * 1000 - first.submittedAt;
    for (let i = 0; i < 5; i += 1) {
      const run = await paddock.runTask(dummyTask(1, 1));
      fixed.push({
        toFirst: run.workloads[0].startTime * 1000 - run.submittedAt,
        toEnd: run.endedAt - run.submittedAt,
      });
    }
    await paddock.runTask(dummyTask(2000, CONCURRENCY));
    const runs = [];
    for (let i = 0; i < RUNS; i += 1) {
      const run = await paddock.runTask(dummyTask(TIMES, CONCURRENCY));
      const workload = run.workloads[0];
      if (workload.totalIterationCount !== TIMES || workload.failedIterationCount !== 0) {
        throw new Error(
          `Paddock ran ${workload.totalIterationCount} iterations, ${workload.failedIterationCount} failed`,
        );
      }
      runs.push({
        rate: TIMES / workload.loadDuration,
        loadDuration: workload.loadDuration,
        endToEnd: TIMES / ((run.endedAt - run.submittedAt) / 1000),
        toFirst: workload.startTime * 1000 - run.submittedAt,
        tail: run.endedAt - (workload.startTime + workload.loadDuration) * 1000,
      });
    }
    // The median run by rate (a 20k-iteration load lasts a fraction of a second: one run is noisy).
    measured = runs.sort((a, b) => a.rate - b.rate)[Math.floor(RUNS / 2)];
  } finally {
    await paddock.stop();
  }
  const warmFirst = percentile(
    fixed.map((f) => f.toFirst).sort((a, b) => a - b),
    0.5,
  );
  const warmEnd = percentile(
    fixed.map((f) => f.toEnd).sort((a, b) => a - b),
    0.5,
  );
  line(
    `Paddock iterations/s (load duration, median of ${RUNS})`,
    `${fmt(measured.rate)} /s (${fmt(measured.loadDuration, 3)} s)`,
  );
  line("Paddock iterations/s (submit → TaskFinished seen)", `${fmt(measured.endToEnd)} /s`);
  line("Paddock submit → first iteration, first task", `${fmt(cold, 1)} ms`);
  line("Paddock submit → first iteration, median of 5", `${fmt(warmFirst, 1)} ms`);
  line("Paddock submit → TaskFinished seen, 1 iteration", `${fmt(warmEnd, 1)} ms (median of 5)`);
  line("Paddock submit → first iteration, 20k task", `${fmt(measured.toFirst, 1)} ms`);
  line("Paddock last iteration end → TaskFinished seen", `${fmt(measured.tail, 1)} ms`);
  target("fixed cost ≤ 100 ms", warmFirst <= 100);

  const version = rallyVersion();
  if (version === undefined) {
    console.log(`  ${RALLY_MISSING}`);
    return;
  }
  const rally = await createRally();
  try {
    const result = await rally.runTask(dummyTask(TIMES, CONCURRENCY));
    const workload = result.workloads[0];
    const rate = workload.total_iteration_count / workload.load_duration;
    const toFirst = workload.start_time * 1000 - result.commandStart;
    const tail = result.commandEnd - (workload.start_time + workload.load_duration) * 1000;
    line(
      `Rally ${version} iterations/s (load duration)`,
      `${fmt(rate)} /s (${fmt(workload.load_duration, 3)} s)`,
    );
    line(`Rally 'task start' → first iteration`, `${fmt(toFirst)} ms`);
    line(`Rally last iteration end → command exit`, `${fmt(tail)} ms`);
    line("ratio Paddock / Rally iterations/s", `${fmt(measured.rate / rate, 1)}×`);
    line("ratio Rally / Paddock fixed cost", `${fmt(toFirst / warmFirst, 1)}×`);
    target("dummy ≥ 40× Rally", measured.rate / rate >= 40);
  } finally {
    rally.dispose();
  }
}
