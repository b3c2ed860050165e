/**
 * `stats`: the results service's statistics of a finished 1,000,000-iteration workload. The
 * iterations (an atomic action with a nested one, one in seven failed with a traceback, as the
 * runner publishes them) are written into a temporary SQLite store through the store's own API in
 * batches of 10,000, as ingestion does. Then a fresh process opens the store and computes the
 * workload's figures in one store transaction, as ingestion does at `WorkloadFinished`; its time
 * and peak RSS are measured. Both paths are timed: `scan` (every chunk's records parsed, then the
 * figures collector: the code before this benchmark) and `digest` (the per-chunk digest the store
 * writes with each chunk, what ingestion uses now). Both must give the same figures.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { ROOT, tempDir } from "./lib/paddock-stack.mjs";
import { fmt, heading, line, mb, target } from "./lib/report.mjs";

const ITERATIONS = 1_000_000;
const BATCH = 10_000;
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
  for (let start = 0; start < ITERATIONS; start += BATCH) {
    const batch = [];
    for (let seq = start; seq < start + BATCH; seq += 1) batch.push(iteration(seq));
    // Concurrency finishes iterations out of order: publish each batch shuffled a little.
    batch.reverse();
    await store.write((tx) => tx.appendIterations(target, batch));
  }
  await store.close();
}

/** In the child: computes the figures one way and prints time and peak RSS as JSON. */
async function compute(file, way) {
  const { openSqliteStore } = await importResults("store/sqlite-store.js");
  const { WorkloadFiguresCollector } = await importResults("statistics/workload-figures.js");
  const store = openSqliteStore(file);
  const started = performance.now();
  const figures = await store.write(async (tx) => {
    if (way === "digest") return tx.workloadFigures(WORKLOAD);
    const collector = new WorkloadFiguresCollector();
    await tx.scanIterations(WORKLOAD, (chunk) => {
      for (const record of chunk) collector.add(record);
    });
    return collector.finish();
  });
  const ms = performance.now() - started;
  await store.close();
  process.stdout.write(`${JSON.stringify({ ms, maxRss: process.resourceUsage().maxRSS * 1024, figures })}\n`);
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
    line(
      "scan: parse every chunk, then collect",
      `${fmt(scan.ms / 1000, 2)} s, peak RSS ${mb(scan.maxRss)}`,
    );
    const digest = await runChild(file, "digest");
    line("digest: per-chunk digests (ingestion uses)", `${fmt(digest.ms / 1000, 2)} s, peak RSS ${mb(digest.maxRss)}`);
    const same = JSON.stringify(scan.figures) === JSON.stringify(digest.figures);
    line("both ways give the same figures", same ? "yes" : "NO");
    target("statistics of 1M iterations ≤ 2 s", same && digest.ms <= 2000);
  } finally {
    dir.remove();
  }
}

if (process.argv[2] === "--compute") await compute(process.argv[3], process.argv[4]);
