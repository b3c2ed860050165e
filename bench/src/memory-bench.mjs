/**
 * `memory`: a 1,000,000-iteration `Dummy.dummy` task (constant, concurrency 10, every
 * iteration published), run twice by the same runner, while the runner process's RSS is sampled
 * every 250 ms and matched to the iterations completed (from `ProgressReported`). Bounded means
 * no per-iteration growth: the second million leaves RSS less than 50 MB above where the first
 * left it (V8 sizes its heap lazily, so growth inside the first million alone proves nothing).
 * Rally has no counterpart here (it keeps every iteration of a workload in memory).
 */
import { rssOf, startPaddock } from "./lib/paddock-stack.mjs";
import { fmt, heading, line, mb, sleep, target } from "./lib/report.mjs";

const TIMES = 1_000_000;
const CONCURRENCY = 10;
const SAMPLE_MS = 250;
const GROWTH_LIMIT = 50 * 1024 * 1024;
/** The 1M task runs twice in one runner: a leak of even 50 bytes per iteration shows as +50 MB. */
const ROUNDS = 2;
/** Pause after each task before reading RSS, so the end figure is not mid-collection. */
const SETTLE_MS = 2000;

/** Least-squares slope of y over x. */
function slope(points) {
  const n = points.length;
  const mx = points.reduce((sum, p) => sum + p.x, 0) / n;
  const my = points.reduce((sum, p) => sum + p.y, 0) / n;
  const num = points.reduce((sum, p) => sum + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((sum, p) => sum + (p.x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

/** The sample nearest to `completed` iterations. */
function at(samples, completed) {
  return samples.reduce((best, s) =>
    Math.abs(s.completed - completed) < Math.abs(best.completed - completed) ? s : best,
  );
}

const millionTask = {
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
};

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
    const ends = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const base = round * TIMES;
      const run = await paddock.runTask(millionTask, {
        channels: ["lifecycle", "progress"],
        timeoutMs: 600_000,
        onEvent(event) {
          if (event.type === "ProgressReported") completed = base + event.data.completed;
          if (event.type === "WorkloadFinished") completed = base + event.data.totalIterationCount;
        },
      });
      const workload = run.workloads[0];
      if (workload.totalIterationCount !== TIMES) {
        throw new Error(`the runner ran ${workload.totalIterationCount} of ${TIMES} iterations`);
      }
      await sleep(SETTLE_MS);
      ends.push({ rss: rssOf(pid), loadDuration: workload.loadDuration });
    }
    clearInterval(timer);
    const second = samples.filter((s) => s.completed >= TIMES);
    const fitted = slope(second.map((s) => ({ x: s.completed, y: s.rss }))) * TIMES;
    const added = ends[1].rss - ends[0].rss;
    const peak = Math.max(...samples.map((s) => s.rss));
    line(
      "load (first million)",
      `${fmt(ends[0].loadDuration, 1)} s, ${fmt(TIMES / ends[0].loadDuration)} iterations/s`,
    );
    line("runner RSS idle (after a 10k warm-up)", mb(idle));
    for (const share of [0.1, 0.5, 0.9]) {
      const s = at(samples, share * TIMES);
      line(`runner RSS at ~${share * 100} % (${fmt(s.completed)} done)`, mb(s.rss));
    }
    line(`runner RSS ${SETTLE_MS / 1000} s after the first million`, mb(ends[0].rss));
    line(
      `runner RSS at ~1.5M (${fmt(at(samples, 1.5 * TIMES).completed)} done)`,
      mb(at(samples, 1.5 * TIMES).rss),
    );
    line(`runner RSS ${SETTLE_MS / 1000} s after the second million`, mb(ends[1].rss));
    line("runner RSS peak", `${mb(peak)} (${samples.length} samples)`);
    line("second million: RSS added (end − end)", mb(added));
    line("second million: fitted RSS slope × 1M", mb(fitted));
    target("runner memory bounded over 1M", added < GROWTH_LIMIT);
  } finally {
    clearInterval(timer);
    await paddock.stop();
  }
}
