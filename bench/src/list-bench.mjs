/**
 * `list`: how fast the results service answers a filtered task listing over a history of 10,000
 * tasks (the SQLite store), measured through its HTTP app (`inject`, no sockets): median and p95
 * of 50 requests per query after 5 warm-up requests.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApp } from "@paddock/results/app";
import { openSqliteStore } from "@paddock/results/sqlite-store";
import pino from "pino";
import { fmt, heading, line, percentile, target } from "./lib/report.mjs";

const TASKS = 10_000;
const STATUSES = ["finished", "finished", "finished", "aborted", "crashed"];
const ENVIRONMENTS = ["local", "staging", "devstack"];
const SCENARIOS = ["Dummy.dummy", "KeystoneBasic.create_user", "HttpRequests.check_request"];

function task(i) {
  const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
  const scenario = SCENARIOS[i % SCENARIOS.length];
  return {
    id: `task-${String(i).padStart(5, "0")}`,
    title: `Nightly ${scenario} run ${i}`,
    description: i % 10 === 0 ? "keystone token churn under load" : "regular benchmark",
    tags: [i % 2 === 0 ? "nightly" : "adhoc", `week-${Math.floor(i / 1000)}`],
    environment: ENVIRONMENTS[i % ENVIRONMENTS.length],
    source: { kind: "scenario", scenarioId: "dummy/dummy.yaml", hash: "f".repeat(64) },
    args: { times: 100 },
    input: "version: 2\n",
    task: { title: `run ${i}`, description: "", tags: [], subtasks: [] },
    status: STATUSES[i % STATUSES.length],
    passSla: i % 7 !== 0,
    runnerId: "runner-a",
    reason: null,
    createdAt: at,
    updatedAt: at,
    startedAt: at,
    finishedAt: at,
    scenarios: [scenario],
    iterations: 100,
    failedIterations: i % 7 === 0 ? 3 : 0,
    placeholder: false,
  };
}

export async function benchList() {
  heading(`list: GET /tasks with filters over ${fmt(TASKS)} stored tasks (SQLite)`);
  const dir = mkdtempSync(join(tmpdir(), "paddock-list-bench-"));
  const store = openSqliteStore(join(dir, "results.sqlite"));
  try {
    const filling = performance.now();
    for (let start = 0; start < TASKS; start += 500) {
      await store.write(async (tx) => {
        for (let i = start; i < Math.min(TASKS, start + 500); i += 1) await tx.insertTask(task(i));
      });
    }
    line("tasks stored", `${fmt(TASKS)} in ${fmt((performance.now() - filling) / 1000, 1)} s`);
    const app = await buildApp({ store, logger: pino({ level: "silent" }) });
    const queries = [
      "/tasks?limit=50",
      "/tasks?status=finished&tag=nightly&limit=50",
      "/tasks?scenario=KeystoneBasic.create_user&environment=staging&limit=50",
      "/tasks?q=keystone%20churn&limit=50",
      "/tasks?from=2026-01-03T00:00:00Z&to=2026-01-04T00:00:00Z&status=aborted&limit=50",
    ];
    let worst = 0;
    for (const url of queries) {
      const times = [];
      for (let round = 0; round < 55; round += 1) {
        const began = performance.now();
        const response = await app.inject({ method: "GET", url });
        const took = performance.now() - began;
        if (response.statusCode !== 200)
          throw new Error(`${url} answered ${response.statusCode}: ${response.body}`);
        if (round >= 5) times.push(took);
      }
      times.sort((a, b) => a - b);
      const p95 = percentile(times, 0.95);
      worst = Math.max(worst, p95);
      line(url, `median ${fmt(percentile(times, 0.5), 2)} ms, p95 ${fmt(p95, 2)} ms`);
    }
    await app.close();
    target("list of 10,000 tasks with a filter ≤ 50 ms (p95 of every query)", worst <= 50);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
