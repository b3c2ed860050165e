/**
 * `memory`: one 1,000,000-iteration `Dummy.dummy` task (constant, concurrency 10, every
 * iteration published) while the runner process's RSS is sampled every 250 ms and matched to
 * the iterations completed (from `ProgressReported`). Bounded means no per-iteration growth:
 * a straight line fitted to RSS over the last three quarters of the iterations rises by less
 * than 50 MB across them. Rally has no counterpart here (it keeps every iteration in memory).
 */
import { rssOf, startPaddock } from "./lib/paddock-stack.mjs";
import { fmt, heading, line, mb, target } from "./lib/report.mjs";

const TIMES = 1_000_000;
const CONCURRENCY = 10;
const SAMPLE_MS = 250;
const GROWTH_LIMIT = 50 * 1024 * 1024;

/** Least-squares slope of y over x. */
function slope(points) {
  const n = points.length;
  const mx = points.reduce((sum, p) => sum + p.x, 0) / n;
  const my = points.reduce((sum, p) => sum + p.y, 0) / n;
  const num = points.reduce((sum, p) => sum + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((sum, p) => sum + (p.x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

/** The sample nearest to a share of the iterations. */
function at(samples, share) {
  return samples.reduce((best, s) =>
    Math.abs(s.completed - share * TIMES) < Math.abs(best.completed - share * TIMES) ? s : best,
  );
}

export async function benchMemory() {
  heading(`memory: Dummy.dummy sleep 0, constant ${fmt(TIMES)} iterations, concurrency ${CONCURRENCY}`);
  const paddock = await startPaddock();
  const pid = paddock.runner.pid;
  const samples = [];
  let completed = 0;
  let timer;
  try {
    await paddock.runTask({
      version: 2,
      title: "bench memory warm-up",
      subtasks: [
        {
          title: "Dummy.dummy",
          workloads: [
            { scenario: { "Dummy.dummy": {} }, runner: { constant: { times: 10_000, concurrency: 10 } } },
          ],
        },
      ],
    });
    const idle = rssOf(pid);
    timer = setInterval(() => {
      const rss = rssOf(pid);
      if (rss !== undefined) samples.push({ completed, rss });
    }, SAMPLE_MS);
    const run = await paddock.runTask(
      {
        version: 2,
        title: "bench memory",
        subtasks: [
          {
            title: "Dummy.dummy",
            workloads: [
              {
                scenario: { "Dummy.dummy": { sleep: 0 } },
                runner: { constant: { times: TIMES, concurrency: CONCURRENCY } },
              },
            ],
          },
        ],
      },
      {
        channels: ["lifecycle", "progress"],
        timeoutMs: 600_000,
        onEvent(event) {
          if (event.type === "ProgressReported") completed = event.data.completed;
          if (event.type === "WorkloadFinished") completed = event.data.totalIterationCount;
        },
      },
    );
    clearInterval(timer);
    const workload = run.workloads[0];
    if (workload.totalIterationCount !== TIMES) {
      throw new Error(`the runner ran ${workload.totalIterationCount} of ${TIMES} iterations`);
    }
    const after = rssOf(pid);
    const tail = samples.filter((s) => s.completed >= TIMES / 4);
    const growth = slope(tail.map((s) => ({ x: s.completed, y: s.rss }))) * (TIMES * 0.75);
    const peak = Math.max(...samples.map((s) => s.rss));
    line("load", `${fmt(workload.loadDuration, 1)} s, ${fmt(TIMES / workload.loadDuration)} iterations/s`);
    line("runner RSS idle (after a 10k warm-up)", mb(idle));
    for (const share of [0.1, 0.5, 0.9]) {
      const s = at(samples, share);
      line(`runner RSS at ~${share * 100} % (${fmt(s.completed)} done)`, mb(s.rss));
    }
    line("runner RSS after the task ended", mb(after));
    line("runner RSS peak", `${mb(peak)} (${samples.length} samples)`);
    line("fitted growth over the last 75 % of iterations", mb(growth));
    target("runner memory bounded over 1M", growth < GROWTH_LIMIT);
  } finally {
    clearInterval(timer);
    await paddock.stop();
  }
}
