/**
 * The history commands (import, export, report, detailed, sla-check, compare, trends, delete)
 * against a real results service on a loopback port with a real SQLite store, fed Rally's files.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger, type ServiceApp } from "@paddock/http";
import { buildApp } from "@paddock/results/app";
import { openSqliteStore } from "@paddock/results/sqlite-store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { twinBus } from "../../../test/support/twins.js";
import { createClients } from "../../api/clients.js";
import { type CliConfig, loadCliConfig } from "../../config.js";
import { memoryIo } from "../io.js";
import { main } from "../router.js";

const FIXTURES = join(import.meta.dirname, "../../../../../services/results/test/fixtures/rally");
const REPORT_TASK = "8631c997-8798-4cf0-ab6e-e2c6001b8fd1";

let dir: string;
let app: ServiceApp;
let store: ReturnType<typeof openSqliteStore>;
let config: CliConfig;
let oldTaskId: string;

async function run(argv: string[]) {
  const io = memoryIo();
  const code = await main(argv, io, { clients: createClients(config), bus: twinBus(), config });
  return { code, out: io.stdout.join("\n"), err: io.stderr.join("\n") };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "paddock-cli-history-"));
  store = openSqliteStore(join(dir, "results.sqlite"));
  app = await buildApp({ store, logger: createLogger("results-test", "silent") });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  config = loadCliConfig({
    PADDOCK_RESULTS_URL: `http://127.0.0.1:${port}`,
    PADDOCK_HTTP_TIMEOUT_MS: "20000",
  });
});

afterAll(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("paddock task import / export / report", () => {
  it("imports Rally's report and old results, naming what it created", async () => {
    const report = await run([
      "task",
      "import",
      "--file",
      join(FIXTURES, "report-full.json"),
      "--tag",
      "history",
    ]);
    expect(report.err).toBe("");
    expect(report.code).toBe(0);
    expect(report.out).toBe(`Imported task ${REPORT_TASK}: 5 workload(s), 1535 iteration(s) (rally-report)`);
    const old = await run(["task", "import", "--file", join(FIXTURES, "old-results.json"), "--json"]);
    expect(old.code).toBe(0);
    const answer = JSON.parse(old.out) as { format: string; tasks: { id: string; workloads: number }[] };
    expect(answer.format).toBe("old-json-results");
    expect(answer.tasks[0]?.workloads).toBe(5);
    oldTaskId = answer.tasks[0]?.id as string;

    const again = await run(["task", "import", "--file", join(FIXTURES, "report-full.json")]);
    expect(again.code).toBe(1);
    expect(again.err).toContain("already stored");
    const missing = await run(["task", "import", "--file", join(dir, "nope.json")]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("nope.json");
    expect((await run(["task", "import"])).err).toContain("--file FILE is required");
  });

  it("exports in each format, to stdout or streamed to a file", async () => {
    const junit = await run(["task", "export", REPORT_TASK, "--type", "junit-xml"]);
    expect(junit.code).toBe(0);
    expect(junit.out).toContain('<testcase classname="HttpRequests"');
    const file = join(dir, "export.json");
    const json = await run(["task", "export", REPORT_TASK, "--to", file]);
    expect(json.code).toBe(0);
    const exported = JSON.parse(readFileSync(file, "utf8")) as {
      info: { format_version: string };
      tasks: { uuid: string }[];
    };
    expect(exported.info.format_version).toBe("1.2");
    expect(exported.tasks.map((task) => task.uuid)).toEqual([REPORT_TASK]);
    const csv = await run(["task", "export", REPORT_TASK, "--type", "csv"]);
    expect(csv.out.split("\n")).toHaveLength(1 + 1535);
    const bad = await run(["task", "export", REPORT_TASK, "--type", "pdf"]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("--type must be one of json, old-json-results, junit-xml, csv, html");
    const unknown = await run(["task", "export", "no-such-task"]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain("no-such-task");
  });

  it("writes one JSON report of several tasks", async () => {
    const file = join(dir, "report.json");
    const result = await run(["task", "report", REPORT_TASK, oldTaskId, "--out", file, "--json"]);
    expect(result.code).toBe(0);
    const report = JSON.parse(readFileSync(file, "utf8")) as { tasks: { uuid: string }[] };
    expect(report.tasks.map((task) => task.uuid)).toEqual([REPORT_TASK, oldTaskId]);
  });
});

describe("paddock task detailed / sla-check / compare / trends / delete", () => {
  it("shows the detailed report with every iteration", async () => {
    const result = await run(["task", "detailed", REPORT_TASK, "--iterations-data"]);
    expect(result.code).toBe(0);
    expect(result.out).toContain("Iterations of HttpRequests.check_request (1472)");
    expect(result.out).toContain("KeyError: 'Dummy test exception'");
  });

  it("checks SLA like rally task sla-check: Rally's JSON, exit 1 on a failure", async () => {
    const json = await run(["task", "sla-check", REPORT_TASK, "--json"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out)).toEqual(JSON.parse(readFileSync(join(FIXTURES, "sla-check.json"), "utf8")));
    const text = await run(["task", "sla-check", REPORT_TASK]);
    expect(text.code).toBe(1);
    expect(text.out).toMatch(/Dummy\.dummy_random_fail_in_atomic\s+1\s+failure_rate\s+FAIL/);
  });

  it("compares two tasks and shows a scenario's trend", async () => {
    const compare = await run(["task", "compare", REPORT_TASK, oldTaskId]);
    expect(compare.code).toBe(0);
    expect(compare.out).toContain("1.1 Dummy.dummy");
    expect(compare.out).toMatch(/total median\s+0\.050\s+0\.050/);
    const json = await run(["task", "compare", REPORT_TASK, oldTaskId, "--json"]);
    expect((JSON.parse(json.out) as { workloads: unknown[] }).workloads).toHaveLength(5);
    const tooFew = await run(["task", "compare", REPORT_TASK]);
    expect(tooFew.code).toBe(1);

    const trends = await run(["task", "trends", "Dummy.dummy"]);
    expect(trends.code).toBe(0);
    expect(trends.out).toContain(REPORT_TASK);
    expect(trends.out).toContain(oldTaskId);
    const atomic = await run(["task", "trends", "Dummy.dummy", "--atomic", "foo", "--json"]);
    expect((JSON.parse(atomic.out) as { points: unknown[] }).points).toHaveLength(2);
  });

  it("deletes tasks, reporting each id that could not be deleted", async () => {
    const result = await run(["task", "delete", oldTaskId, "no-such-task"]);
    expect(result.code).toBe(1);
    expect(result.out).toBe(`Deleted task ${oldTaskId}`);
    expect(result.err).toContain("task no-such-task");
    expect((await run(["task", "detailed", oldTaskId])).code).toBe(1);
  });
});
