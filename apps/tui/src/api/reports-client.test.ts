/**
 * The report client against a real results service (real SQLite store) holding Rally's own
 * report of the demo task and its old results file: iterations, a comparison, exports to files.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createLogger, type ServiceApp } from "@paddock/http";
import { buildApp } from "@paddock/results/app";
import { openSqliteStore } from "@paddock/results/sqlite-store";
import { type TempDir, tempDir } from "@paddock/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ServiceError } from "../errors.js";
import { readIterationSample } from "../tui/hooks/use-workload-iterations.js";
import { createReportsClient, type ReportsApi } from "./reports-client.js";

const FIXTURES = join(import.meta.dirname, "../../../../services/results/test/fixtures/rally");

let dir: TempDir;
let app: ServiceApp;
let store: ReturnType<typeof openSqliteStore>;
let reports: ReportsApi;
let baseUrl: string;
const ids: string[] = [];

async function importReport(name: string): Promise<string> {
  const response = await fetch(`${baseUrl}/tasks/import?name=${name}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: readFileSync(join(FIXTURES, name), "utf8"),
  });
  expect(response.status).toBeLessThan(300);
  const answer = (await response.json()) as { tasks: { id: string }[] };
  return (answer.tasks[0] as { id: string }).id;
}

beforeAll(async () => {
  dir = tempDir("paddock-tui-reports-");
  store = openSqliteStore(join(dir.path, "results.sqlite"));
  app = await buildApp({ store, logger: createLogger("results-test", "silent") });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  baseUrl = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`;
  reports = createReportsClient({ service: "results service", baseUrl, timeoutMs: 20_000 });
  ids.push(await importReport("report-full.json"), await importReport("old-results.json"));
}, 60_000);

afterAll(async () => {
  await app.close();
  await store.close();
  dir.remove();
});

async function workloadsOf(taskId: string) {
  const response = await fetch(`${baseUrl}/tasks/${taskId}`);
  return ((await response.json()) as { workloads: { id: string; storedIterationCount: number }[] }).workloads;
}

describe("the report client on a real results service", () => {
  it("reads a workload's iterations whole, or as an even sample", async () => {
    const taskId = ids[0] as string;
    const http = (await workloadsOf(taskId)).find((workload) => workload.storedIterationCount === 1472);
    expect(http).toBeDefined();
    const page = await reports.iterations(taskId, http?.id ?? "", 1000, 1000);
    expect(page.total).toBe(1472);
    expect(page.iterations).toHaveLength(472);
    expect(page.iterations[0]?.seq).toBe(1000);
    const whole = await readIterationSample(reports, taskId, http?.id ?? "", 1472);
    expect(whole.iterations.map((item) => item.seq)).toEqual([...Array(1472).keys()]);
  });

  it("compares two tasks workload by workload, a delta per statistic", async () => {
    const comparison = await reports.compare(ids);
    expect(comparison.tasks.map((task) => task.id)).toEqual(ids);
    expect(comparison.workloads.length).toBeGreaterThan(0);
    for (const workload of comparison.workloads) {
      expect(workload.workloadIds).toHaveLength(2);
      for (const metric of workload.metrics) {
        expect(metric.values).toHaveLength(2);
        expect(metric.deltas).toHaveLength(1);
      }
    }
  });

  it("streams an export into a file and says how many bytes it wrote", async () => {
    const taskId = ids[0] as string;
    const file = join(dir.path, "export.csv");
    const bytes = await reports.exportTask(taskId, "csv", file);
    const text = readFileSync(file, "utf8");
    expect(bytes).toBe(Buffer.byteLength(text));
    expect(text.split("\n").length).toBeGreaterThan(1500);
  });

  it("turns the service's error answers into a ServiceError with its message", async () => {
    const failure = await reports
      .compare([ids[0] as string, "no-such-task"])
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ServiceError);
    expect((failure as ServiceError).message).toContain("no-such-task");
    const exported = await reports
      .exportTask("no-such-task", "json", join(dir.path, "never.json"))
      .catch((error: unknown) => error);
    expect(exported).toBeInstanceOf(ServiceError);
    expect((exported as ServiceError).status).toBe(404);
  });
});
