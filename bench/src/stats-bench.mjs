/**
 * `stats`: the results service's statistics of a finished 1,000,000-iteration workload. The
 * iterations (an atomic action with a nested one, one in seven failed with a traceback) are
 * written into a temporary SQLite store through the store's own API as the runner publishes them
 * (batches of 1000 in finishing order, overlapping in seq range). Then fresh processes open the
 * store and, each in one store transaction, compute the workload's figures three ways, timing
 * each and reading its peak RSS: `scan` (parse every chunk's records, then the figures collector:
 * the path before digests), `digest` (the per-chunk digests) and `finalize` (what ingestion does
 * at `WorkloadFinished`: figures from the digests and the chunks' compaction scheduled, up to the
 * commit; the compaction that follows in a write of its own is timed apart). All must give the
 * same figures.
 */
import { spawn } from "node:child_process";
import { copyFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { fileURLToPath, pathToFileURL } from "node:url";
import { ROOT, tempDir } from "./lib/paddock-stack.mjs";
import { fmt, heading, line, mb, target } from "./lib/report.mjs";

const ITERATIONS = 1_000_000;
const BATCH = 1000;
const TASK = "stats-bench";
const WORKLOAD = "stats-bench-w0";
const RESULTS_DIST = join(ROOT, "services/results/dist");

async function importResults(path) {
  return import(pathToFileURL(join(RESULTS_DIST, path)).href);
}

function iteration(seq) {
  const timestamp = 1_800_000_000 + Math.floor(seq / 10) * 0.01 + (seq % 10) * 0.0001;
  const duration = 0.002 + ((seq * 7919) % 1000) / 100_000;
  const failed = seq % 7 === 6;
  return {
    seq,
    timestamp,
    duration,
    idle_duration: seq % 3 === 0 ? 0.001 : 0,
    error: failed
      ? ["KeyError", "'Dummy test exception'", "Traceback (most recent call last):\n  File ..."]
      : [],
    output: { additive: [], complete: [] },
    atomic_actions: [
      {
        name: "dummy.work",
        started_at: timestamp,
        finished_at: timestamp + duration,
        children: [
          {
            name: "dummy.step",
            started_at: timestamp + 0.0001,
            finished_at: timestamp + duration / 2,
            children: [],
            ...(failed ? { failed: true } : {}),
          },
        ],
        ...(failed ? { failed: true } : {}),
      },
    ],
  };
}

async function fill(file) {
  const { openSqliteStore } = await importResults("store/sqlite-store.js");
  const store = openSqliteStore(file);
  const at = new Date(1_800_000_000_000).toISOString();
  await store.write(async (tx) => {
    await tx.insertTask({
      id: TASK,
      title: "stats bench",
      description: "",
      tags: [],
      environment: "local",
      source: { kind: "inline", hash: "0".repeat(64) },
      args: {},
      input: "",
      task: { version: 2, title: "stats bench", description: "", tags: [], subtasks: [] },
      status: "running",
      passSla: true,
      runnerId: "bench",
      reason: null,
      createdAt: at,
      updatedAt: at,
      startedAt: at,
      finishedAt: null,
      scenarios: ["Dummy.dummy"],
      iterations: 0,
      failedIterations: 0,
      placeholder: false,
    });
  });
  const target = { taskId: TASK, workloadId: WORKLOAD, runnerId: "bench" };
  // As the runner publishes them at concurrency 10: batches of 1000 in finishing order — start
  // order shuffled within windows of 10, and one slow iteration per batch finishing in the next —
  // so neighbouring batches overlap in seq range and compaction has to rewrite the chunks.
  const order = new Int32Array(ITERATIONS);
  for (let i = 0; i < ITERATIONS; i += 1) order[i] = i - (i % 10) + (((i % 10) * 7) % 10);
  for (let i = 500; i + BATCH < ITERATIONS; i += BATCH) {
    [order[i], order[i + BATCH]] = [order[i + BATCH], order[i]];
  }
  for (let start = 0; start < ITERATIONS; start += BATCH) {
    const batch = Array.from(order.subarray(start, start + BATCH), iteration);
    await store.write((tx) => tx.appendIterations(target, batch));
  }
  await store.close();
}

/**
 * In the child, on a copy of the store: the compaction as one write (the path before steps),
 * timing it and how long a write queued behind it waits.
 */
async function compactWhole(file) {
  const { openSqliteStore } = await importResults("store/sqlite-store.js");
  const copy = `${file}.whole`;
  copyFileSync(file, copy);
  const store = openSqliteStore(copy);
  const started = performance.now();
  const compaction = store.write((tx) => tx.compactIterations(WORKLOAD));
  await store.write(async () => undefined);
  const waitedMs = performance.now() - started;
  await compaction;
  await store.close();
  rmSync(copy);
  process.stdout.write(`${JSON.stringify({ ms: waitedMs })}\n`);
}

/** In the child: computes the figures one way and prints time and peak RSS as JSON. */
async function compute(file, way) {
  if (way === "compact-whole") return compactWhole(file);
  const { openSqliteStore } = await importResults("store/sqlite-store.js");
  const { WorkloadFiguresCollector } = await importResults("statistics/workload-figures.js");
  const store = openSqliteStore(file);
  const started = performance.now();
  const figures = await store.write(async (tx) => {
    if (way === "digest") return tx.workloadFigures(WORKLOAD);
    if (way === "finalize") {
      const figures = await tx.workloadFigures(WORKLOAD);
      await tx.scheduleCompaction(WORKLOAD);
      return figures;
    }
    const collector = new WorkloadFiguresCollector();
    await tx.scanIterations(WORKLOAD, (chunk) => {
      for (const record of chunk) collector.add(record);
    });
    return collector.finish();
  });
  const ms = performance.now() - started;
  const compacting = performance.now();
  // The compaction scheduled by `finalize` runs after the statistics committed, as writes of its
  // own (a step at a time): wait until it is no longer pending.
  const probe = new DatabaseSync(file, { readOnly: true });
  const pending = probe.prepare("SELECT COUNT(*) AS n FROM pending_compactions");
  let longestWaitMs = 0;
  for (;;) {
    const queued = performance.now();
    await store.write(async () => undefined);
    longestWaitMs = Math.max(longestWaitMs, performance.now() - queued);
    if (Number(pending.get().n) === 0) break;
  }
  probe.close();
  const compactionMs = performance.now() - compacting;
  await store.close();
  const maxRss = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(`${JSON.stringify({ ms, compactionMs, longestWaitMs, maxRss, figures })}\n`);
}

function runChild(file, way) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), "--compute", file, way], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (data) => {
      out += data;
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) reject(new Error(`statistics (${way}) exited with ${code}`));
      else resolve(JSON.parse(out));
    });
  });
}

export async function benchStats() {
  heading(`stats: statistics of a finished ${fmt(ITERATIONS)}-iteration workload (SQLite store)`);
  const dir = tempDir("paddock-bench-stats-");
  try {
    const file = join(dir.path, "results.sqlite");
    const filling = performance.now();
    await fill(file);
    line("iterations written through the store API", `${fmt((performance.now() - filling) / 1000, 1)} s`);
    const scan = await runChild(file, "scan");
    line("scan: parse every chunk, then collect", `${fmt(scan.ms / 1000, 2)} s, peak RSS ${mb(scan.maxRss)}`);
    const digest = await runChild(file, "digest");
    line(
      "digest: figures from per-chunk digests",
      `${fmt(digest.ms / 1000, 2)} s, peak RSS ${mb(digest.maxRss)}`,
    );
    const whole = await runChild(file, "compact-whole");
    line(
      "before: compaction as one write (on a copy)",
      `${fmt(whole.ms / 1000, 2)} s, and a write queued behind it waits all of it`,
    );
    const finalize = await runChild(file, "finalize");
    line(
      "finalize: figures committed (what ingestion does)",
      `${fmt(finalize.ms / 1000, 2)} s, peak RSS ${mb(finalize.maxRss)}`,
    );
    line("then the chunks' compaction, writes of its own", `${fmt(finalize.compactionMs / 1000, 2)} s`);
    line("longest wait of a write queued during the compaction", `${fmt(finalize.longestWaitMs)} ms`);
    const same =
      JSON.stringify(scan.figures) === JSON.stringify(digest.figures) &&
      JSON.stringify(scan.figures) === JSON.stringify(finalize.figures);
    line("every way gives the same figures", same ? "yes" : "NO");
    target("statistics of 1M iterations ≤ 2 s", same && finalize.ms <= 2000);
  } finally {
    dir.remove();
  }
}

if (process.argv[2] === "--compute") await compute(process.argv[3], process.argv[4]);
