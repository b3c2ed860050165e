/**
 * `ingest`: the results service's ingestion into SQLite. The runner first publishes a
 * 500,000-iteration `Dummy.dummy` task into a real nats-server with no results service running
 * (so the stream holds every `IterationsRecorded` batch); then the results service's
 * `dist/main.js` starts against an empty SQLite file and its durable consumer catches up. The
 * stored count is polled in the SQLite file; at the end every stored record is compared with
 * what the runner published (count, no duplicate seq, sha256 over seq/timestamp/duration).
 *
 * `PADDOCK_BENCH_BEFORE_RESULTS=<an older build's services/results/dist/main.js>` runs the whole
 * scenario with that build first, then with this one (`withResultsBeforeAfter`).
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { rssOf, startPaddock, startService, tempDir, withResultsBeforeAfter } from "./lib/paddock-stack.mjs";
import { fmt, heading, line, mb, sleep, target } from "./lib/report.mjs";

const TIMES = 500_000;
const POLL_MS = 200;
const LIMIT_MS = 300_000;

/** Order-independent fingerprint of iteration records: sha256 over them sorted by seq. */
function checksum(records) {
  const sorted = [...records].sort((a, b) => a.seq - b.seq);
  const hash = createHash("sha256");
  for (const r of sorted) hash.update(`${r.seq}:${r.timestamp}:${r.duration}:${r.error.length}\n`);
  const unique = new Set(sorted.map((r) => r.seq)).size;
  return { count: records.length, unique, sha256: hash.digest("hex") };
}

function storedCount(db, taskId) {
  const row = db
    .prepare("SELECT COALESCE(SUM(record_count), 0) AS n FROM iteration_chunks WHERE task_id = ?")
    .get(taskId);
  return Number(row.n);
}

export async function benchIngest() {
  heading(`ingest: ${fmt(TIMES)} iterations from JetStream into SQLite (results service)`);
  await withResultsBeforeAfter(ingestRun);
}

/** One run of the scenario with the results service at `main` (default: this build); judged when `judge`. */
async function ingestRun({ label, prefix, main, judge }) {
  if (label !== undefined) line("results service", label);
  const paddock = await startPaddock();
  const data = tempDir("paddock-bench-results-");
  let results;
  try {
    const run = await paddock.runTask(
      {
        version: 2,
        title: "bench ingest",
        subtasks: [
          {
            title: "Dummy.dummy",
            workloads: [
              {
                scenario: { "Dummy.dummy": { sleep: 0 } },
                runner: { constant: { times: TIMES, concurrency: 10 } },
              },
            ],
          },
        ],
      },
      { timeoutMs: 300_000 },
    );
    const published = checksum(await paddock.readIterations(run.taskId, TIMES));
    if (published.count !== TIMES || published.unique !== TIMES) {
      throw new Error(`the runner published ${published.count} records (${published.unique} distinct seqs)`);
    }
    line(`${prefix}published`, `${fmt(published.count)} iterations, ${run.workloads.length} workload`);

    const file = join(data.path, "results.sqlite");
    const spawnedAt = performance.now();
    const starting = startService(
      "results",
      { NATS_URL: paddock.nats.url, PADDOCK_DATA_DIR: data.path },
      "PADDOCK_RESULTS_PORT",
      main,
    );
    let db;
    let firstAt;
    let allAt;
    let statisticsAt;
    let peakRss = 0;
    let count = 0;
    const deadline = spawnedAt + LIMIT_MS;
    results = await starting.catch((error) => {
      throw new Error(`the results service did not start: ${error.message}`);
    });
    const readyAt = performance.now();
    while (performance.now() < deadline) {
      peakRss = Math.max(peakRss, rssOf(results.pid) ?? 0);
      if (db === undefined && existsSync(file)) db = new DatabaseSync(file, { timeout: 5000 });
      if (db !== undefined) {
        count = storedCount(db, run.taskId);
        if (count > 0 && firstAt === undefined) firstAt = performance.now();
        if (count >= TIMES && allAt === undefined) allAt = performance.now();
        if (allAt !== undefined) {
          const row = db
            .prepare("SELECT statistics IS NOT NULL AS ready FROM workloads WHERE task_id = ?")
            .get(run.taskId);
          if (row?.ready) {
            statisticsAt = performance.now();
            break;
          }
        }
      }
      await sleep(POLL_MS);
    }
    if (allAt === undefined) throw new Error(`only ${fmt(count)} of ${fmt(TIMES)} iterations stored in time`);
    const stored = checksum(
      db
        .prepare("SELECT records FROM iteration_chunks WHERE task_id = ?")
        .all(run.taskId)
        .flatMap((row) => JSON.parse(row.records)),
    );
    db.close();
    const rateFromSpawn = TIMES / ((allAt - spawnedAt) / 1000);
    const rateFromFirst = TIMES / ((allAt - firstAt) / 1000);
    line(`${prefix}results start-up (spawn → /readyz)`, `${fmt(readyAt - spawnedAt)} ms`);
    line(
      `${prefix}first iteration stored → all stored`,
      `${fmt((allAt - firstAt) / 1000, 2)} s = ${fmt(rateFromFirst)} iterations/s`,
    );
    line(
      `${prefix}spawn → all stored`,
      `${fmt((allAt - spawnedAt) / 1000, 2)} s = ${fmt(rateFromSpawn)} iterations/s`,
    );
    line(
      `${prefix}all stored → statistics ready`,
      statisticsAt === undefined
        ? "not within the limit"
        : statisticsAt - allAt < POLL_MS
          ? `at the same poll (≤ ${POLL_MS} ms)`
          : `${fmt((statisticsAt - allAt) / 1000, 2)} s`,
    );
    line(`${prefix}results RSS peak (sampled every 200 ms)`, mb(peakRss));
    const same = stored.count === TIMES && stored.unique === TIMES && stored.sha256 === published.sha256;
    line(
      `${prefix}stored vs published`,
      `${fmt(stored.count)} stored, ${fmt(stored.unique)} distinct, sha256 ${same ? "equal" : `DIFFERS (${stored.sha256.slice(0, 12)} vs ${published.sha256.slice(0, 12)})`}`,
    );
    if (judge) {
      target("ingestion zero loss (count + checksum)", same);
      target("ingestion ≥ 50,000/s", rateFromFirst >= 50_000);
    }
  } finally {
    await results?.stop();
    await paddock.stop();
    data.remove();
  }
}
