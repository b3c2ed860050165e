/**
 * The HTML report through the HTTP API against a real SQLite store, opened in headless Chromium:
 * the statistics, charts, failures, SLA, hooks and input task are in the rendered DOM, user text
 * is escaped, nothing is fetched from the network, and a large workload's charts stay bounded.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { createLogger, type ServiceApp } from "@paddock/http";
import type { TaskDetail } from "@paddock/shared/api";
import type { AnyPaddockEvent } from "@paddock/shared/events";
import { type TempDir, tempDir } from "@paddock/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.js";
import { MAX_POINTS } from "../src/exports/html-digest.js";
import { applyEvent } from "../src/ingestion/apply-event.js";
import type { ResultStore } from "../src/store/result-store.js";
import { openSqliteStore } from "../src/store/sqlite-store.js";
import { dummyTaskScript } from "./fixtures/task-events.js";

const run = promisify(execFile);
const CHROMIUM = "/usr/bin/chromium";
const XSS_TITLE = "<script>alert(1)</script>";
const logger = createLogger("results-test", "silent");
const NOW = new Date("2026-11-24T08:00:00.000Z");

let dir: TempDir;
let store: ResultStore;
let app: ServiceApp;

async function apply(events: readonly AnyPaddockEvent[]) {
  await store.write(async (tx) => {
    for (const event of events) await applyEvent(tx, event);
  });
}

async function exportHtml(url: string) {
  const response = await app.inject({ method: "GET", url });
  expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
  return { html: response.body, contentType: String(response.headers["content-type"]) };
}

/** Network references: `src=`/`href=` to a URL with a scheme or `//`, CSS `url()`/`@import`, `<link>`. */
function networkReferences(html: string): string[] {
  const patterns = [
    /\b(?:src|href|srcset|action|poster|data)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?\/\//gi,
    /url\(\s*["']?\s*(?:https?:)?\/\//gi,
    /@import/gi,
    /<link\b/gi,
    /<(?:img|iframe|object|embed)\b/gi,
  ];
  return patterns.flatMap((pattern) => html.match(pattern) ?? []);
}

/** Why Chromium cannot be used here, or null when it can. */
async function chromiumProblem(): Promise<string | null> {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} not found (apt-get install chromium)`;
  try {
    await run(CHROMIUM, ["--version"], { timeout: 60_000 });
    return null;
  } catch (error) {
    return `${CHROMIUM} --version failed: ${(error as Error).message.split("\n")[0]}`;
  }
}

function chromiumArgs(profile: string): string[] {
  return [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    `--user-data-dir=${profile}`,
  ];
}

beforeAll(async () => {
  dir = tempDir("paddock-html-report-");
  store = await openSqliteStore(join(dir.path, "results.sqlite"));
  app = await buildApp({ store, logger, now: () => NOW });
  await apply(dummyTaskScript({ taskId: "task-xss", title: XSS_TITLE, iterations: 20 }).events);
  await apply(
    dummyTaskScript({
      taskId: "task-big",
      title: "Big dummy",
      iterations: 5000,
      batches: 10,
      queuedAt: "2026-11-23T23:00:00.000Z",
    }).events,
  );
}, 120_000);

afterAll(async () => {
  await app?.close();
  await store?.close();
  dir?.remove();
});

describe("html export", () => {
  it("is one self-contained, escaped file with every section", async () => {
    const { html, contentType } = await exportHtml("/tasks/task-xss/export?type=html");
    expect(contentType).toContain("text/html");
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(networkReferences(html)).toEqual([]);
    expect(html).not.toContain(XSS_TITLE);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html.match(/<script>/g)).toHaveLength(1);
    for (const section of [
      "Load profile",
      "Duration over iterations",
      "Duration histogram",
      "Atomic actions over iterations",
      "Failures (2)",
      "Traceback (most recent call last):",
      "failure_rate",
      "print load",
      "sys_call",
      "dummy_context",
      "Input task",
      "version: 2\ntitle: Dummy benchmark",
    ]) {
      expect(html, section).toContain(section);
    }
  });

  it("writes the stored statistics, nested atomics included", async () => {
    const { html } = await exportHtml("/tasks/task-xss/export?type=html");
    const detail = (await app.inject({ method: "GET", url: "/tasks/task-xss" })).json() as TaskDetail;
    const statistics = detail.workloads[0]?.statistics;
    expect(statistics).toBeTruthy();
    const total = statistics?.durations.total.data;
    const foo = statistics?.durations.atomics[0];
    expect(foo?.children[0]?.name).toBe("bar");
    const rowOf = (name: string) =>
      html.match(new RegExp(`<tr class="stats-row"[^>]*><td>[^<]*${name}</td>(.*?)</tr>`))?.[1];
    for (const [name, data] of [
      ["total", total],
      ["foo", foo?.data],
      ["↳ bar", foo?.children[0]?.data],
    ] as const) {
      const cells = rowOf(name);
      expect(cells, name).toBeDefined();
      for (const key of ["min", "median", "90%ile", "95%ile", "max", "avg"] as const) {
        expect(cells, `${name} ${key}`).toContain(`>${String(data?.[key])}<`);
      }
      expect(cells).toContain(`>${data?.success}<`);
    }
  });

  it("keeps a large workload's charts to at most MAX_POINTS points per series", async () => {
    const { html } = await exportHtml("/tasks/task-big/export?type=html");
    const paths = [...html.matchAll(/<path class="line" d="M([^"]*)"/g)].map((match) => match[1] ?? "");
    expect(paths.length).toBeGreaterThan(3);
    for (const path of paths) expect(path.split("L").length).toBeLessThanOrEqual(MAX_POINTS);
    expect(html).toContain("5000 iterations charted in");
    expect(html).toContain("The first 50 of 714 failures are listed.");
    expect(html.length).toBeLessThan(2_000_000);
  });

  it("puts several tasks in one file", async () => {
    const { html } = await exportHtml("/export?tasks=task-xss,task-big&type=html");
    expect(html).toContain('<nav class="tasks">');
    expect(html).toContain('id="task-task-xss"');
    expect(html).toContain('id="task-task-big"');
    expect(networkReferences(html)).toEqual([]);
  });
});

describe("html report in chromium", () => {
  it("renders the statistics, charts, failures and SLA, with the title as text", async () => {
    const problem = await chromiumProblem();
    if (problem) {
      console.log(`SKIPPED html report in chromium: ${problem}`);
      return;
    }
    const { html } = await exportHtml("/export?tasks=task-xss,task-big&type=html");
    const file = join(dir.path, "report.html");
    writeFileSync(file, html);
    const profile = join(dir.path, "chromium-profile");
    mkdirSync(profile);
    const url = pathToFileURL(file).href;
    const { stdout: dom } = await run(CHROMIUM, [...chromiumArgs(profile), "--dump-dom", url], {
      timeout: 180_000,
      maxBuffer: 64 * 1024 * 1024,
    });

    expect(dom).toContain("<h2>&lt;script&gt;alert(1)&lt;/script&gt;</h2>");
    expect(dom).not.toContain(XSS_TITLE);
    expect(dom.match(/<script\b/g)).toHaveLength(1);
    expect((dom.match(/<svg\b/g) ?? []).length).toBeGreaterThanOrEqual(8);
    expect(dom).toMatch(/<path class="line" d="M[\d.,L]+"/);
    expect(dom).toContain('<pre class="traceback">Traceback (most recent call last):\n...</pre>');
    expect(dom).toMatch(/<tr class="sla-row"><td>failure_rate<\/td><td>Failure rate criteria/);
    expect(dom).toMatch(
      /<tr class="stats-row" data-depth="1"><td>(&nbsp;)+↳ bar<\/td><td class="num">[\d.]+<\/td>/,
    );
    expect(dom).toContain('<tr class="hook-result">');

    const screenshot = join(dir.path, "report.png");
    await run(
      CHROMIUM,
      [...chromiumArgs(profile), "--window-size=1280,2200", `--screenshot=${screenshot}`, url],
      {
        timeout: 180_000,
      },
    );
    expect(statSync(screenshot).size).toBeGreaterThan(20_000);
    expect(readFileSync(screenshot).subarray(1, 4).toString()).toBe("PNG");
  }, 420_000);
});
