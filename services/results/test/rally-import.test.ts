/**
 * Real Rally (Debian's `rally`, 3.x) imports Paddock's JSON export of multi-workload tasks, and
 * its own report of an imported task has the same iterations and statistics. Rally runs with its
 * database and HOME in a temporary directory. Without a `rally` command the test prints one
 * SKIPPED line.
 *
 * Rally 3.3.0 cannot write a report of any imported task with hooks (its JSON exporter expects
 * the hook config it keeps for tasks it ran itself; importing its own report-full.json fails the
 * same way), so the report comparison uses Rally's report without its hooks.
 */
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { createLogger, type ServiceApp } from "@paddock/http";
import { type TempDir, tempDir } from "@paddock/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.js";
import { parsePythonJson } from "../src/imports/lenient-json.js";
import { applyEvent } from "../src/ingestion/apply-event.js";
import type { ResultStore } from "../src/store/result-store.js";
import { openSqliteStore } from "../src/store/sqlite-store.js";
import { dummyTaskScript } from "./fixtures/task-events.js";

const run = promisify(execFile);
const RALLY_TIMEOUT_MS = 180_000;

type Json = Record<string, unknown>;

async function rallyAvailable(): Promise<string | undefined> {
  try {
    await run("rally", ["--version"], { timeout: 60_000 });
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT" ? "no 'rally' command on PATH" : String(error);
  }
}

const skipReason = await rallyAvailable();
if (skipReason) console.log(`SKIPPED rally import: ${skipReason}`);

let dir: TempDir;
let store: ResultStore;
let app: ServiceApp;

async function rally(...args: string[]): Promise<string> {
  const { stdout } = await run("rally", ["--config-file", join(dir.path, "rally.conf"), ...args], {
    env: { ...process.env, HOME: dir.path },
    timeout: RALLY_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

function workloadsOf(report: Json): Json[] {
  return (report.tasks as Json[]).flatMap((task) =>
    (task.subtasks as Json[]).flatMap((subtask) => subtask.workloads as Json[]),
  );
}

describe.skipIf(skipReason !== undefined)("rally task import", () => {
  beforeAll(async () => {
    dir = tempDir("paddock-rally-import-");
    writeFileSync(
      join(dir.path, "rally.conf"),
      `[database]\nconnection = sqlite:///${join(dir.path, "rally.sqlite")}\n`,
    );
    await rally("db", "create");
    await rally("env", "create", "--name", "paddock");
    store = openSqliteStore(join(dir.path, "results.sqlite"));
    app = await buildApp({ store, logger: createLogger("results-test", "silent") });
  }, RALLY_TIMEOUT_MS);

  afterAll(async () => {
    await app?.close();
    await store?.close();
    dir?.remove();
  });

  it(
    "accepts Paddock's export of a multi-workload task and reports the same iterations and statistics",
    async () => {
      const script = dummyTaskScript({
        taskId: "6d1f6a5e-0000-4000-8000-000000000001",
        iterations: 30,
        batches: 3,
      });
      await store.write(async (tx) => {
        for (const event of script.events) await applyEvent(tx, event);
      });
      const report = parsePythonJson(
        readFileSync(join(import.meta.dirname, "fixtures", "rally", "report-full.json"), "utf8"),
        "report-full.json",
      ) as Json;
      for (const workload of workloadsOf(report)) workload.hooks = [];
      const imported = await app.inject({
        method: "POST",
        url: "/tasks/import",
        headers: { "content-type": "application/json" },
        payload: JSON.stringify(report),
      });
      expect(imported.statusCode).toBe(201);
      const exportOf = async (ids: string) => {
        const response = await app.inject({ method: "GET", url: `/export?tasks=${ids}&type=json` });
        expect(response.statusCode).toBe(200);
        return response.body;
      };
      const both = join(dir.path, "paddock-both.json");
      writeFileSync(both, await exportOf(`${script.taskId},8631c997-8798-4cf0-ab6e-e2c6001b8fd1`));
      const output = await rally("task", "import", "--deployment", "paddock", "--file", both);
      expect([...output.matchAll(/Task UUID: ([0-9a-f-]{36})/g)], output).toHaveLength(2);

      const withoutHooks = await exportOf("8631c997-8798-4cf0-ab6e-e2c6001b8fd1");
      const file = join(dir.path, "paddock-report.json");
      writeFileSync(file, withoutHooks);
      const [uuid] = [
        ...(await rally("task", "import", "--deployment", "paddock", "--file", file)).matchAll(
          /Task UUID: ([0-9a-f-]{36})/g,
        ),
      ].map((match) => match[1] as string);
      const ours = workloadsOf(JSON.parse(withoutHooks) as Json);
      const reportFile = join(dir.path, "rally-report.json");
      await rally("task", "report", "--uuid", uuid as string, "--json", "--out", reportFile);
      const theirs = workloadsOf(
        parsePythonJson(readFileSync(reportFile, "utf8"), "rally-report.json") as Json,
      );
      expect(theirs).toHaveLength(5);
      for (const [index, workload] of theirs.entries()) {
        const paddock = ours[index] as Json;
        expect(workload.data, `workload ${index} data`).toEqual(paddock.data);
        expect(workload.statistics, `workload ${index} statistics`).toEqual(paddock.statistics);
        expect(workload.sla_results, `workload ${index} SLA`).toEqual(paddock.sla_results);
        expect(workload.scenario).toEqual(paddock.scenario);
      }
    },
    RALLY_TIMEOUT_MS,
  );
});
