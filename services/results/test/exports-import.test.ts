/**
 * Exports, import, SLA check, compare and trends against a real SQLite store, through the HTTP
 * API: the Rally report's shape, Rally's own files imported and exported again unchanged, and
 * export → import → export stable.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createLogger, type ServiceApp } from "@paddock/http";
import type { ImportResponse, SlaCheck, TaskComparison, TaskDetail, Trend } from "@paddock/shared/api";
import type { AnyPaddockEvent } from "@paddock/shared/events";
import { type TempDir, tempDir } from "@paddock/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.js";
import { CSV_COLUMNS } from "../src/exports/csv-exporter.js";
import { EXPORT_PIECE } from "../src/exports/export-source.js";
import { EXPORTERS, openExportSource } from "../src/exports/index.js";
import { parsePythonJson } from "../src/imports/lenient-json.js";
import { applyEvent } from "../src/ingestion/apply-event.js";
import type { ResultStore } from "../src/store/result-store.js";
import { openSqliteStore } from "../src/store/sqlite-store.js";
import { dummyTaskScript, RALLY_ITERATION_KEYS } from "./fixtures/task-events.js";

const FIXTURES = join(import.meta.dirname, "fixtures", "rally");
const fixtureText = (name: string) => readFileSync(join(FIXTURES, name), "utf8");
const fixture = (name: string) => parsePythonJson(fixtureText(name), name) as Record<string, unknown>;
const logger = createLogger("results-test", "silent");
const NOW = new Date("2026-11-24T08:00:00.000Z");

type Json = Record<string, unknown>;

/** The `index`-th object of a list in a parsed document. */
const item = (list: unknown, index: number) => (list as Json[])[index] as Json;

interface Service {
  readonly store: ResultStore;
  readonly app: ServiceApp;
}

let dir: TempDir;
const services: Service[] = [];

async function startService(): Promise<Service> {
  const store = await openSqliteStore(join(dir.path, `results-${services.length}.sqlite`));
  const app = await buildApp({ store, logger, now: () => NOW });
  const service = { store, app };
  services.push(service);
  return service;
}

async function apply(store: ResultStore, events: readonly AnyPaddockEvent[]) {
  await store.write(async (tx) => {
    for (const event of events) await applyEvent(tx, event);
  });
}

async function importText(service: Service, text: string, query = "") {
  const response = await service.app.inject({
    method: "POST",
    url: `/tasks/import${query}`,
    headers: { "content-type": "application/json" },
    payload: text,
  });
  return { status: response.statusCode, body: response.json() as ImportResponse & Json };
}

async function exportText(service: Service, taskId: string, type = "json") {
  const response = await service.app.inject({ method: "GET", url: `/tasks/${taskId}/export?type=${type}` });
  expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
  return { text: response.body, contentType: String(response.headers["content-type"]) };
}

/** Keys at every level and JSON types, lists judged by their first element. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? [] : [shapeOf(value[0])];
  if (value === null) return "null";
  if (typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Json).map(([key, item]) => [key, shapeOf(item)]));
  }
  return typeof value;
}

function tasksOf(report: Json): Json[] {
  return report.tasks as Json[];
}

beforeEach(() => {
  dir = tempDir("paddock-results-exports-");
});

afterEach(async () => {
  for (const { app, store } of services.splice(0)) {
    await app.close();
    await store.close();
  }
  dir.remove();
});

describe("Rally JSON report export", () => {
  it("has the structure of Rally's report at every level (keys and types)", async () => {
    const service = await startService();
    const script = dummyTaskScript({ taskId: "task-shape", iterations: 40, batches: 4 });
    await apply(service.store, script.events);
    const { text, contentType } = await exportText(service, "task-shape");
    expect(contentType).toContain("application/json");
    const exported = JSON.parse(text) as Json;
    const rally = fixture("report-trimmed.json");

    const exportedTask = tasksOf(exported)[0] as Json;
    const rallyTask = tasksOf(rally)[0] as Json;
    const exportedWorkload = item(item(exportedTask.subtasks, 0).workloads, 0);
    const rallyWorkload = item(item(rallyTask.subtasks, 0).workloads, 0);

    expect(Object.keys(exported)).toEqual(Object.keys(rally));
    expect(shapeOf(exported.info)).toEqual(shapeOf(rally.info));
    expect(Object.keys(exportedTask)).toEqual(Object.keys(rallyTask));
    expect(Object.keys(exportedWorkload)).toEqual(Object.keys(rallyWorkload));
    // Everything but the parts whose content differs in kind between the two tasks has the same shape.
    for (const key of ["statistics", "data", "runner", "scenario", "sla_results", "contexts_results"]) {
      const ours = shapeOf(exportedWorkload[key]) as Json;
      const theirs = shapeOf(rallyWorkload[key]) as Json;
      if (key === "runner" || key === "scenario") {
        expect(Object.values(ours).length, key).toBe(1);
        continue;
      }
      if (key === "data") {
        // Rally's fixture iteration has no failure, ours may: compare the first successful one.
        const ok = (exportedWorkload.data as Json[]).find(
          (iteration) => (iteration.error as unknown[]).length === 0,
        );
        expect(shapeOf(ok)).toEqual(shapeOf((rallyWorkload.data as Json[])[0]));
        continue;
      }
      if (key === "contexts_results") {
        // The context's own settings differ between the two tasks; the record around them does not.
        const withoutConfig = (shape: Json) => ({
          ...((shape as unknown as Json[])[0] as Json),
          plugin_cfg: "object",
        });
        expect(withoutConfig(ours), key).toEqual(withoutConfig(theirs));
        continue;
      }
      expect(ours, key).toEqual(theirs);
    }
    const hook = (exportedWorkload.hooks as Json[])[0] as Json;
    expect(Object.keys(hook)).toEqual(["config", "results", "summary"]);
    expect(Object.keys(hook.config as Json).sort()).toEqual(["action", "description", "trigger"]);
    for (const key of ["created_at", "updated_at"]) {
      expect(exportedTask[key]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
      expect(exportedWorkload[key]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    }
    const data = exportedWorkload.data as Json[];
    expect(data).toHaveLength(40);
    for (const iteration of data) {
      expect(Object.keys(iteration)).toEqual(RALLY_ITERATION_KEYS);
    }
    const stamps = data.map((iteration) => iteration.timestamp as number);
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
    expect(exportedWorkload.total_iteration_count).toBe(40);
    expect((exportedWorkload.statistics as Json).durations).toEqual(
      (await service.store.getWorkload(script.workloadId))?.statistics?.durations,
    );
  });

  it("is written piece by piece: a few iterations at a time, never the whole task in one string", async () => {
    const service = await startService();
    await apply(service.store, dummyTaskScript({ taskId: "task-big", iterations: 4500, batches: 9 }).events);
    const source = await openExportSource(service.store, ["task-big"], {
      generatedAt: NOW,
      producer: "test",
    });
    const pieces: string[] = [];
    for await (const piece of EXPORTERS.json.render(source)) {
      pieces.push(typeof piece === "string" ? piece : Buffer.from(piece).toString("utf8"));
    }
    const whole = pieces.join("");
    const pageSize = Math.max(...pieces.map((piece) => piece.length));
    expect(pieces.filter((piece) => piece.startsWith('{"duration"'))).toHaveLength(
      Math.ceil(4500 / EXPORT_PIECE),
    );
    expect(pageSize).toBeLessThan(whole.length / 30);
    expect(tasksOf(JSON.parse(whole) as Json)[0]?.uuid).toBe("task-big");
  });

  it("answers 404 for an unknown task, and exports several tasks into one report", async () => {
    const service = await startService();
    await apply(service.store, dummyTaskScript({ taskId: "a", iterations: 5 }).events);
    await apply(service.store, dummyTaskScript({ taskId: "b", iterations: 7 }).events);
    const missing = await service.app.inject({ method: "GET", url: "/tasks/nope/export?type=json" });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe("TASK_NOT_FOUND");
    const both = await service.app.inject({ method: "GET", url: "/export?tasks=a,b&type=json" });
    expect(both.statusCode).toBe(200);
    expect(tasksOf(both.json()).map((task) => task.uuid)).toEqual(["a", "b"]);
    const badType = await service.app.inject({ method: "GET", url: "/tasks/a/export?type=pdf" });
    expect(badType.statusCode).toBe(400);

    // A task still running: the iterations stored so far, with their statistics.
    const running = dummyTaskScript({ taskId: "running", iterations: 20, batches: 4 });
    await apply(service.store, [
      running.queued,
      running.started,
      running.workloadStarted,
      ...running.batches.slice(0, 2),
    ]);
    const live = JSON.parse((await exportText(service, "running")).text) as Json;
    const liveWorkload = item(item(item(tasksOf(live), 0).subtasks, 0).workloads, 0);
    const stored = (liveWorkload.data as Json[]).length;
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThan(20);
    expect(item(tasksOf(live), 0).status).toBe("running");
    expect(
      (liveWorkload.statistics as { durations: { total: { data: Json } } }).durations.total.data
        .iteration_count,
    ).toBe(stored);
  });
});

describe("import of Rally's files", () => {
  it("imports report-full.json and exports every workload exactly as Rally wrote it", async () => {
    const service = await startService();
    const imported = await importText(
      service,
      fixtureText("report-full.json"),
      "?tag=history&name=report-full.json",
    );
    expect(imported.status).toBe(201);
    expect(imported.body.format).toBe("rally-report");
    const rallyTask = tasksOf(fixture("report-full.json"))[0] as Json;
    expect(imported.body.tasks).toEqual([
      { id: rallyTask.uuid, title: "", workloads: 5, iterations: 20 + 3 + 20 + 20 + 1472 },
    ]);

    const exported = JSON.parse((await exportText(service, rallyTask.uuid as string)).text) as Json;
    const task = tasksOf(exported)[0] as Json;
    for (const key of [
      "uuid",
      "title",
      "description",
      "status",
      "env_name",
      "created_at",
      "updated_at",
      "pass_sla",
    ]) {
      expect(task[key], key).toEqual(rallyTask[key]);
    }
    expect(task.tags).toEqual(["demo", "history"]);
    const rallySubtasks = rallyTask.subtasks as Json[];
    const subtasks = task.subtasks as Json[];
    expect(subtasks).toHaveLength(rallySubtasks.length);
    for (const [index, subtask] of subtasks.entries()) {
      const rallySubtask = rallySubtasks[index] as Json;
      for (const key of ["title", "description", "status", "created_at", "updated_at", "sla"]) {
        expect(subtask[key], `subtask ${index} ${key}`).toEqual(rallySubtask[key]);
      }
      const workloads = subtask.workloads as Json[];
      const rallyWorkloads = rallySubtask.workloads as Json[];
      expect(workloads).toHaveLength(rallyWorkloads.length);
      for (const [position, workload] of workloads.entries()) {
        // Iterations, statistics (recomputed), hooks, contexts, SLA: all equal to Rally's.
        expect(workload, `subtask ${index} workload ${position}`).toEqual(rallyWorkloads[position]);
      }
    }
  });

  it("export → import → export is stable, for a task built from events and for Rally's report", async () => {
    const first = await startService();
    await apply(first.store, dummyTaskScript({ taskId: "task-events", iterations: 30, batches: 3 }).events);
    await importText(first, fixtureText("report-full.json"));
    const second = await startService();
    for (const id of ["task-events", "8631c997-8798-4cf0-ab6e-e2c6001b8fd1"]) {
      const once = (await exportText(first, id)).text;
      expect((await importText(second, once)).status).toBe(201);
      const twice = (await exportText(second, id)).text;
      expect(JSON.parse(twice)).toEqual(JSON.parse(once));
    }
  });

  it("imports old results JSON, exports it again as old results with the same workloads and iterations", async () => {
    const service = await startService();
    const imported = await importText(
      service,
      fixtureText("old-results.json"),
      "?name=old-results.json&tag=old",
    );
    expect(imported.status).toBe(201);
    expect(imported.body.format).toBe("old-json-results");
    const [summary] = imported.body.tasks;
    expect(summary?.workloads).toBe(5);
    const detail = (
      await service.app.inject({ method: "GET", url: `/tasks/${summary?.id}` })
    ).json() as TaskDetail;
    expect(detail.tags).toEqual(["old"]);
    // pos 0, 0, 1, 2, 0 → three subtasks, as in the report of the same run.
    expect(detail.workloads.map((workload) => [workload.subtaskIndex, workload.position])).toEqual([
      [0, 0],
      [1, 0],
      [1, 1],
      [1, 2],
      [2, 0],
    ]);
    const old = fixture("old-results.json") as unknown as Json[];
    const exported = JSON.parse(
      (await exportText(service, summary?.id as string, "old-json-results")).text,
    ) as Json[];
    expect(exported).toHaveLength(old.length);
    for (const [index, entry] of exported.entries()) {
      const rally = old[index] as Json;
      const { created_at: createdAt, ...rest } = entry;
      const { created_at: rallyCreatedAt, ...rallyRest } = rally;
      expect(rest, `entry ${index}`).toEqual(rallyRest);
      // Rally swaps month and day ("2026-23-11T22:39:22"); Paddock writes the date the right way round.
      const [year, day, month, clock] = (rallyCreatedAt as string).split(/[-T]/);
      expect(createdAt).toBe(`${year}-${month}-${day}T${clock}`);
    }
    // Statistics from old results equal those Rally computed for the same run (report-full.json).
    const report = tasksOf(fixture("report-full.json"))[0] as Json;
    const rallyWorkloads = (report.subtasks as Json[]).flatMap((subtask) => subtask.workloads as Json[]);
    for (const [index, workload] of detail.workloads.entries()) {
      const rallyTotal = (item(rallyWorkloads, index).statistics as { durations: Json }).durations.total;
      expect(workload.statistics?.durations.total, `workload ${index}`).toEqual(rallyTotal);
    }
  });

  it("refuses a second import of the same task, and names the field of a broken file", async () => {
    const service = await startService();
    const text = fixtureText("report-full.json");
    expect((await importText(service, text)).status).toBe(201);
    const again = await importText(service, text);
    expect(again.status).toBe(409);
    const broken = fixture("report-trimmed.json");
    (item(item(tasksOf(broken), 0).subtasks, 1).workloads as Json[])[0] = { uuid: "x", scenario: {} };
    const bad = await importText(service, JSON.stringify(broken), "?name=broken.json");
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: "REQUEST_INVALID" });
    expect(JSON.stringify(bad.body)).toContain("tasks[0].subtasks[1].workloads[0].scenario");
    const notJson = await importText(service, "{nope", "?name=nope.json");
    expect(notJson.status).toBe(400);
    expect(JSON.stringify(notJson.body)).toContain("nope.json is not JSON");
    const unknown = await importText(service, '"text"', "?name=text.json");
    expect(unknown.status).toBe(400);
  });
});

describe("JUnit XML and CSV exports", () => {
  it("writes the JUnit report Rally writes for the same task", async () => {
    const service = await startService();
    await importText(service, fixtureText("report-full.json"));
    const { text, contentType } = await exportText(
      service,
      "8631c997-8798-4cf0-ab6e-e2c6001b8fd1",
      "junit-xml",
    );
    expect(contentType).toContain("application/xml");
    const withoutComment = (xml: string) =>
      xml
        .split("\n")
        .filter((line) => !line.trim().startsWith("<!--") && line.trim() !== "")
        .join("\n");
    expect(withoutComment(text)).toBe(withoutComment(fixtureText("junit.xml")));
  });

  it("writes one CSV row per iteration with error and atomic durations", async () => {
    const service = await startService();
    await importText(service, fixtureText("report-full.json"));
    const { text } = await exportText(service, "8631c997-8798-4cf0-ab6e-e2c6001b8fd1", "csv");
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toBe(CSV_COLUMNS.join(","));
    expect(lines).toHaveLength(1 + 20 + 3 + 20 + 20 + 1472);
    const failed = lines.filter((line) => line.includes(",KeyError,"));
    expect(failed).toHaveLength(8);
    const first = lines[1]?.split(",") ?? [];
    expect(first.slice(0, 6)).toEqual([
      "8631c997-8798-4cf0-ab6e-e2c6001b8fd1",
      "0",
      "0",
      "ca79b8f0-5102-4c1c-8066-6ee1616f360c",
      "Dummy.dummy",
      "0",
    ]);
    expect(first.at(-1)).toMatch(/^foo=0\.05\d+; foo > bar=0\.05\d+$/);
  });
});

describe("SLA check, compare and trends", () => {
  it("lists SLA verdicts as rally task sla-check --json does", async () => {
    const service = await startService();
    await importText(service, fixtureText("report-full.json"));
    const response = await service.app.inject({
      method: "GET",
      url: "/tasks/8631c997-8798-4cf0-ab6e-e2c6001b8fd1/sla",
    });
    const body = response.json() as SlaCheck;
    expect(body.passed).toBe(false);
    expect(body.results).toEqual(fixture("sla-check.json"));
  });

  it("compares two runs with deltas and names the settings that differ; trends list both oldest first", async () => {
    const service = await startService();
    await importText(service, fixtureText("report-full.json"));
    const slower = fixture("report-full.json");
    const task = tasksOf(slower)[0] as Json;
    task.uuid = "slower-run";
    task.created_at = "2026-11-24T07:00:00";
    const subtasks = task.subtasks as Json[];
    for (const [index, workload] of subtasks.flatMap((subtask) => subtask.workloads as Json[]).entries()) {
      workload.uuid = `slower-w${index}`;
    }
    const first = item(item(subtasks, 0).workloads, 0);
    first.scenario = { "Dummy.dummy": { sleep: 0.1 } };
    first.runner = { constant: { times: 20, concurrency: 8 } };
    for (const iteration of first.data as Json[]) iteration.duration = (iteration.duration as number) * 2;
    expect((await importText(service, JSON.stringify(slower))).status).toBe(201);

    const response = await service.app.inject({
      method: "GET",
      url: "/compare?tasks=8631c997-8798-4cf0-ab6e-e2c6001b8fd1,slower-run",
    });
    expect(response.statusCode).toBe(200);
    const comparison = response.json() as TaskComparison;
    expect(comparison.tasks.map((entry) => entry.id)).toEqual([
      "8631c997-8798-4cf0-ab6e-e2c6001b8fd1",
      "slower-run",
    ]);
    expect(comparison.workloads).toHaveLength(5);
    const dummy = comparison.workloads[0];
    expect(dummy?.workloadIds).toEqual(["ca79b8f0-5102-4c1c-8066-6ee1616f360c", "slower-w0"]);
    expect(dummy?.configDifferences).toEqual([
      { path: "args.sleep", values: [0.05, 0.1] },
      { path: "runner.config.concurrency", values: [4, 8] },
    ]);
    const median = dummy?.metrics.find(
      (metric) => metric.row === "duration" && metric.statistic === "median",
    );
    expect(median?.values).toEqual([0.05, 0.1]);
    expect(median?.deltas).toEqual([{ absolute: 0.05, percent: 100, verdict: "worse" }]);
    const success = dummy?.metrics.find((metric) => metric.row === "total" && metric.statistic === "success");
    expect(success?.deltas[0]?.verdict).toBe("same");
    expect(comparison.workloads[1]?.configDifferences).toEqual([]);
    expect(comparison.warnings).toEqual([
      "Configurations differ for subtask 0 workload 0 (Dummy.dummy): args.sleep, runner.config.concurrency",
    ]);
    const tooFew = await service.app.inject({ method: "GET", url: "/compare?tasks=slower-run" });
    expect(tooFew.statusCode).toBe(400);

    const trend = (
      await service.app.inject({ method: "GET", url: "/trends?scenario=Dummy.dummy" })
    ).json() as Trend;
    expect(trend.points.map((point) => point.taskId)).toEqual([
      "8631c997-8798-4cf0-ab6e-e2c6001b8fd1",
      "slower-run",
    ]);
    expect(trend.points.map((point) => point.total.median)).toEqual([0.05, 0.1]);
    expect(trend.points[0]?.total.successRate).toBe(100);
    expect(Object.keys(trend.points[0]?.atomics ?? {})).toEqual(["foo", "foo > bar"]);
    const failing = (
      (
        await service.app.inject({ method: "GET", url: "/trends?scenario=Dummy.dummy_random_fail_in_atomic" })
      ).json() as Trend
    ).points[0];
    expect(failing?.total.successRate).toBe(60);
  });
});
