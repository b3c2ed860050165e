/**
 * `rps`: the rps runner driving `Dummy.dummy` (sleep 0) at 1000/s and 5000/s for 10 s.
 * Achieved rate = (starts − 1) / (last start − first start), as a share of the target; start lag
 * from the iterations' own `schedule_lag` (every `IterationsRecorded` batch is read back from
 * JetStream once the task ended, so reading does not compete with the load). Rally runs
 * 1000/s for 10 s; it records no intended start, so its lag is estimated the same way for both:
 * i-th start (sorted) − (first start + i / rate).
 */
import { startPaddock } from "./lib/paddock-stack.mjs";
import { createRally, RALLY_MISSING, rallyVersion } from "./lib/rally-cli.mjs";
import { fmt, heading, line, percentile, target } from "./lib/report.mjs";

const SECONDS = 10;

const rpsTask = (rate) => ({
  version: 2,
  title: `bench rps ${rate}`,
  subtasks: [
    {
      title: "Dummy.dummy",
      workloads: [
        {
          scenario: { "Dummy.dummy": { sleep: 0 } },
          runner: { rps: { times: rate * SECONDS, rps: rate } },
        },
      ],
    },
  ],
});

/** Achieved rate and lag estimated from start timestamps alone (seconds, any order). */
function fromTimestamps(timestamps, rate) {
  const sorted = [...timestamps].sort((a, b) => a - b);
  const span = sorted.at(-1) - sorted[0];
  const achieved = (sorted.length - 1) / span;
  const lags = sorted.map((t, i) => (t - (sorted[0] + i / rate)) * 1000).sort((a, b) => a - b);
  return { achieved, p50: percentile(lags, 0.5), p99: percentile(lags, 0.99), max: lags.at(-1) };
}

export async function benchRps() {
  heading(`rps: Dummy.dummy sleep 0, rps runner for ${SECONDS} s`);
  const paddock = await startPaddock();
  const ours = {};
  try {
    await paddock.runTask(rpsTask(1000), { timeoutMs: 60_000 });
    for (const rate of [1000, 5000]) {
      const run = await paddock.runTask(rpsTask(rate), { timeoutMs: 120_000 });
      const workload = run.workloads[0];
      const records = await paddock.readIterations(run.taskId, workload.totalIterationCount);
      const timestamps = records.map((record) => record.timestamp);
      const lags = records.map((record) => record.schedule_lag * 1000);
      if (timestamps.length !== rate * SECONDS || workload.totalIterationCount !== rate * SECONDS) {
        throw new Error(
          `Paddock at ${rate}/s: ${timestamps.length} iterations seen, ${rate * SECONDS} expected`,
        );
      }
      lags.sort((a, b) => a - b);
      const estimate = fromTimestamps(timestamps, rate);
      const late = lags.filter((lag) => lag > 2).length;
      ours[rate] = estimate;
      line(
        `Paddock ${fmt(rate)}/s: achieved`,
        `${fmt(estimate.achieved)} /s = ${fmt((estimate.achieved / rate) * 100, 2)} %`,
      );
      line(
        `Paddock ${fmt(rate)}/s: schedule_lag p50 / p99 / max`,
        `${fmt(percentile(lags, 0.5), 3)} / ${fmt(percentile(lags, 0.99), 3)} / ${fmt(lags.at(-1), 3)} ms (${fmt(late)} starts > 2 ms late)`,
      );
      line(
        `Paddock ${fmt(rate)}/s: lag from timestamps p50 / p99`,
        `${fmt(estimate.p50, 3)} / ${fmt(estimate.p99, 3)} ms`,
      );
      if (rate === 5000) {
        target("rps 5000/s ≥ 99 % achieved", estimate.achieved / rate >= 0.99);
        target("rps 5000/s p99 lag ≤ 2 ms", percentile(lags, 0.99) <= 2);
      }
    }
  } finally {
    await paddock.stop();
  }

  const version = rallyVersion();
  if (version === undefined) {
    console.log(`  ${RALLY_MISSING}`);
    return;
  }
  const rally = await createRally();
  try {
    const result = await rally.runTask(rpsTask(1000));
    const workload = result.workloads[0];
    const estimate = fromTimestamps(
      workload.data.map((iteration) => iteration.timestamp),
      1000,
    );
    line(
      `Rally ${version} 1,000/s: achieved`,
      `${fmt(estimate.achieved)} /s = ${fmt((estimate.achieved / 1000) * 100, 2)} % (${fmt(workload.total_iteration_count)} iterations)`,
    );
    line(
      `Rally ${version} 1,000/s: lag from timestamps p50 / p99`,
      `${fmt(estimate.p50, 3)} / ${fmt(estimate.p99, 3)} ms`,
    );
    line(
      "Paddock / Rally at 1,000/s: p99 lag from timestamps",
      `${fmt(ours[1000].p99, 3)} ms vs ${fmt(estimate.p99, 3)} ms`,
    );
  } finally {
    rally.dispose();
  }
}
