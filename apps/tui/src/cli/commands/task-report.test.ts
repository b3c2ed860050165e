/**
 * `paddock task report` against a real results service on a loopback port with a real SQLite
 * store holding Rally's own report: HTML by default or with `--html`, JSON with `--json`.
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

async function run(argv: string[]) {
  const io = memoryIo();
  const code = await main(argv, io, { clients: createClients(config), bus: twinBus(), config });
  return { code, out: io.stdout.join("\n"), err: io.stderr.join("\n") };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "paddock-cli-report-"));
  store = openSqliteStore(join(dir, "results.sqlite"));
  app = await buildApp({ store, logger: createLogger("results-test", "silent") });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  config = loadCliConfig({
    PADDOCK_RESULTS_URL: `http://127.0.0.1:${port}`,
    PADDOCK_HTTP_TIMEOUT_MS: "20000",
  });
  const imported = await run(["task", "import", "--file", join(FIXTURES, "report-full.json")]);
  expect(imported.code, imported.err).toBe(0);
});

afterAll(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("paddock task report", () => {
  it("writes the self-contained HTML report with --html, and by default", async () => {
    const file = join(dir, "report.html");
    const result = await run(["task", "report", REPORT_TASK, "--html", "--out", file]);
    expect(result.code, result.err).toBe(0);
    expect(result.err).toBe(`Wrote the HTML report of 1 task(s) to ${file}`);
    const html = readFileSync(file, "utf8");
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).toContain("HttpRequests.check_request");
    expect(html).toContain('<table class="statistics">');
    expect(html).toContain("<svg ");
    expect(html).not.toMatch(/\b(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i);

    const printed = await run(["task", "report", REPORT_TASK]);
    expect(printed.code).toBe(0);
    expect(printed.out.startsWith("<!DOCTYPE html>")).toBe(true);
  });

  it("writes Rally's JSON report with --json", async () => {
    const result = await run(["task", "report", REPORT_TASK, "--json"]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.out) as { info: { format_version: string }; tasks: { uuid: string }[] };
    expect(report.info.format_version).toBe("1.2");
    expect(report.tasks.map((task) => task.uuid)).toEqual([REPORT_TASK]);
  });

  it("refuses --html with --json, and names an unknown task", async () => {
    const both = await run(["task", "report", REPORT_TASK, "--html", "--json"]);
    expect(both.code).toBe(1);
    expect(both.err).toContain("--html and --json exclude each other");
    const unknown = await run(["task", "report", "no-such-task", "--html"]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain("no-such-task");
  });
});
