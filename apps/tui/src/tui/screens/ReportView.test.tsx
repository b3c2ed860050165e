import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type TempDir, tempDir } from "@paddock/testkit";
import { afterEach, describe, expect, it } from "vitest";
import {
  dummyRunDetail,
  dummyRunEvents,
  rallyDemoDetail,
  taskHistory,
} from "../../../test/fixtures/index.js";
import { rallyIterations } from "../../../test/fixtures/reports.js";
import { expectFits } from "../../../test/support/frames.js";
import { KEYS, type RenderedTui, renderTui } from "../../../test/support/render-tui.js";
import { twinBus, twinClients } from "../../../test/support/twins.js";
import { App } from "../App.js";

let ui: RenderedTui | undefined;
let dir: TempDir | undefined;
afterEach(() => {
  ui?.unmount();
  ui = undefined;
  dir?.remove();
  dir = undefined;
});

const DEMO = rallyDemoDetail();
const SIZES = [
  { columns: 80, rows: 24 },
  { columns: 200, rows: 60 },
] as const;

/** Opens the Rally demo task's report (the last task of the history). */
async function openReport(size: { columns: number; rows: number }) {
  const clients = twinClients({ tasks: taskHistory(), details: [DEMO] });
  dir = tempDir("paddock-tui-report-");
  const rendered = renderTui(
    <App
      deps={{ clients, bus: twinBus(), resultsWaitMs: 1000, refreshMs: 60_000, cwd: dir.path }}
      initialScreen="tasks"
    />,
    size,
  );
  ui = rendered;
  await rendered.waitFor("3 tasks");
  await rendered.press(KEYS.down);
  await rendered.press(KEYS.down);
  await rendered.press(KEYS.enter);
  await rendered.waitFor("Response Times");
  return { clients, ui: rendered, dir: dir.path };
}

describe.each(SIZES)("the report at $columns×$rows", (size) => {
  it("shows Rally's tables first, then charts drawn from the workload's iterations", async () => {
    const { ui } = await openReport(size);
    const tables = ui.frame();
    expect(tables).toMatch(/ Tables +Charts +Failures +SLA +Hooks +Task +\]\/\[ section/);
    expectFits(tables, size.columns, size.rows);
    await ui.press("]");
    const charts = await ui.waitFor("Duration of each iteration");
    expect(charts).toContain("Load profile: iterations in flight over time");
    expect(charts).toContain("20 iterations.");
    // Workload 1.1 runs 4 at a time, each iteration 0.05 s: the profile peaks at 4 in flight.
    expect(charts).toMatch(/Load profile: iterations in flight over time \(max [34]\.\d\)/);
    expect(charts).toMatch(/Duration of each iteration, in start order \(max 5\d(\.\d)? ms\)/);
    expect(charts).toMatch(/[▁▂▃▄▅▆▇█]{5}/);
    expectFits(charts, size.columns, size.rows);
  });

  it("shows the failures of a workload with their tracebacks, scrollable", async () => {
    const { ui } = await openReport(size);
    await ui.press(KEYS.right);
    await ui.press(KEYS.right); // workload 2.2: random failures
    await ui.press("]");
    await ui.press("]");
    const failures = await ui.waitFor("8 of 20 iterations failed");
    const failed = rallyIterations(DEMO.workloads[2]?.id ?? "").filter((item) => item.error.length === 3);
    expect(failed).toHaveLength(8);
    const first = failed[0] as (typeof failed)[number];
    expect(failures).toContain(`8 × ${first.error[0]}`);
    expect(failures).toContain(`Iteration ${first.seq + 1}: ${first.error[0]}: ${first.error[1]}`);
    expect(failures).toContain("Traceback (most recent call last):");
    expect(failures).toMatch(/lines 1-\d+ of \d+, ↑\/↓/);
    expectFits(failures, size.columns, size.rows);
    await ui.press(KEYS.down);
    await ui.press(KEYS.down);
    const scrolled = await ui.waitFor(/lines 3-\d+ of/);
    expect(scrolled).not.toContain("8 of 20 iterations failed");
  });

  it("details the SLA, the hooks and the exact task that ran", async () => {
    const { ui } = await openReport(size);
    await ui.press("[");
    const task = await ui.waitFor("The task as it ran");
    expect(task).toContain("version: 2");
    expect(task).toContain(`title: "${DEMO.task.title}"`);
    expect(task).toContain("      - scenario:");
    expect(task).toMatch(/\n {10}Dummy\.dummy:\n {12}sleep: 0\.05\n/);
    expectFits(task, size.columns, size.rows);
    await ui.press("[");
    const hooks = await ui.waitFor(/Hook 1: \S+ on \S+/);
    const hook = DEMO.workloads[0]?.spec.hooks[0];
    expect(hooks).toContain(`Hook 1: ${hook?.action.name} on ${hook?.trigger.name}`);
    expect(hooks).toMatch(/success\s+at iteration \d+, took/);
    await ui.press("[");
    await ui.press(KEYS.right);
    await ui.press(KEYS.right);
    const sla = await ui.waitFor("SLA failed");
    expect(sla).toContain("FAIL failure_rate");
    expect(sla).toContain('configured: {"max":0}');
    expectFits(sla, size.columns, size.rows);
  });

  it("exports the task with x", async () => {
    const { ui, clients, dir } = await openReport(size);
    await ui.press("x");
    await ui.waitFor(`./paddock-${DEMO.id}.json`);
    await ui.press(KEYS.left); // wraps to csv
    await ui.press(KEYS.left); // junit-xml
    await ui.waitFor(`./paddock-${DEMO.id}.xml`);
    await ui.press(KEYS.enter);
    const file = join(dir, `paddock-${DEMO.id}.xml`);
    await ui.waitFor("Exported task");
    expect(clients.exported).toEqual([{ taskId: DEMO.id, type: "junit-xml", file }]);
    expect(readFileSync(file, "utf8")).toBe(`junit-xml ${DEMO.id}\n`);
  });
});

describe("the report after a live task ends", () => {
  it("has the same sections and exports with x", async () => {
    const taskId = "11fe0000-0000-4000-8000-0000000000ee";
    const clients = twinClients({ details: [dummyRunDetail(taskId)] });
    const bus = twinBus();
    for (const event of dummyRunEvents(taskId)) bus.emit(event);
    dir = tempDir("paddock-tui-live-report-");
    ui = renderTui(
      <App deps={{ clients, bus, resultsWaitMs: 5000, frameMs: 20, cwd: dir.path }} initialTaskId={taskId} />,
    );
    const tables = await ui.waitFor("Response Times (sec)");
    expect(tables).toMatch(/ Tables +Charts +Failures/);
    expectFits(tables);
    await ui.press("]");
    await ui.waitFor("No iterations stored for this workload.");
    await ui.press("x");
    await ui.waitFor(`./paddock-${taskId}.json`);
    await ui.press(KEYS.enter);
    await ui.waitFor(`Exported task ${taskId} (json`);
    expect(clients.exported).toEqual([
      { taskId, type: "json", file: join(dir.path, `paddock-${taskId}.json`) },
    ]);
  });
});
