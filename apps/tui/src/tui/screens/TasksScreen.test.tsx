import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type TempDir, tempDir } from "@paddock/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { RUNNING_TASK_ID, rallyDemoDetail, taskHistory } from "../../../test/fixtures/index.js";
import { slowerRerun } from "../../../test/fixtures/reports.js";
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
const RERUN = slowerRerun(DEMO);
const SIZES = [
  { columns: 80, rows: 24 },
  { columns: 200, rows: 60 },
] as const;

/** The history plus a rerun of the demo task, newest first: running, rerun, nightly, demo. */
function start(size: { columns: number; rows: number }) {
  const history = taskHistory();
  const rerunSummary = { ...(history[2] as (typeof history)[number]), id: RERUN.id, title: RERUN.title };
  const tasks = [history[0], rerunSummary, history[1], history[2]].filter((task) => task !== undefined);
  const clients = twinClients({ tasks, details: [DEMO, RERUN] });
  dir = tempDir("paddock-tui-export-");
  ui = renderTui(
    <App
      deps={{ clients, bus: twinBus(), resultsWaitMs: 1000, refreshMs: 60_000, cwd: dir.path }}
      initialScreen="tasks"
    />,
    size,
  );
  return { clients, ui, dir: dir.path };
}

describe.each(SIZES)("the tasks screen at $columns×$rows", (size) => {
  it("marks tasks with Space, counts them in the footer, and compares them with c", async () => {
    const { ui, clients } = start(size);
    await ui.waitFor("4 tasks");
    await ui.press(KEYS.down); // the rerun
    await ui.press("c");
    await ui.waitFor("Mark two or more tasks with Space to compare them");
    await ui.press(" "); // marks the rerun, moves to the nightly
    await ui.press(KEYS.down); // the demo
    await ui.press(" ");
    const marked = await ui.waitFor("2 marked");
    expect(marked.split("\n").filter((line) => /^[› ]●/.test(line))).toHaveLength(2);
    expectFits(marked, size.columns, size.rows);
    await ui.press("c");
    const compared = await ui.waitFor("matched workloads");
    expect(clients.compared).toEqual([[RERUN.id, DEMO.id]]);
    expect(compared).toContain(`baseline ${RERUN.id.slice(0, 8)}`);
    expect(compared).toContain("configuration differs:");
    expect(compared).toContain("runner.config.concurrency: 8 → 4");
    // The demo's totals are 20% faster than the rerun's (the rerun is 25% slower): better.
    expect(compared).toMatch(/total median\s+0\.063\s+0\.050\s+-0\.013 \(-20\.\d%\)/);
    expect(compared).toContain("Compare ");
    expectFits(compared, size.columns, size.rows);
    await ui.press(KEYS.right);
    await ui.waitFor("2.1 Dummy.dummy_output");
    await ui.press(KEYS.escape);
    await ui.waitFor("2 marked");
    await ui.press(KEYS.escape);
    const cleared = await ui.waitFor("4 tasks");
    expect(cleared).not.toContain("marked");
  });

  it("exports the selected task to a file prefilled ./paddock-<id>.<ext>, type chosen with ←/→", async () => {
    const { ui, clients, dir } = start(size);
    await ui.waitFor("4 tasks");
    await ui.press(KEYS.down);
    await ui.press("x");
    const dialog = await ui.waitFor(`./paddock-${RERUN.id}.json`);
    expect(dialog).toContain(" json ");
    expect(dialog).toContain(" junit-xml ");
    expect(dialog).toContain(" html ");
    expectFits(dialog, size.columns, size.rows);
    await ui.press(KEYS.right);
    await ui.press(KEYS.right);
    await ui.press(KEYS.right);
    await ui.waitFor(`./paddock-${RERUN.id}.csv`);
    await ui.press(KEYS.enter);
    const file = join(dir, `paddock-${RERUN.id}.csv`);
    await ui.waitFor(`Exported task ${RERUN.id} (csv`);
    expect(clients.exported).toEqual([{ taskId: RERUN.id, type: "csv", file }]);
    expect(readFileSync(file, "utf8")).toBe(`csv ${RERUN.id}\n`);
  });

  it("exports every marked task, one file each", async () => {
    const { ui, clients, dir } = start(size);
    await ui.waitFor("4 tasks");
    await ui.press(KEYS.down);
    await ui.press(" ");
    await ui.press(KEYS.down);
    await ui.press(" ");
    await ui.press("x");
    await ui.waitFor("./paddock-{id}.json");
    await ui.press(KEYS.enter);
    await ui.waitFor("Exported 2 tasks (json");
    expect(clients.exported.map((item) => item.file)).toEqual(
      clients.exported.map((item) => join(dir, `paddock-${item.taskId}.json`)),
    );
    expect(JSON.parse(readFileSync(join(dir, `paddock-${RERUN.id}.json`), "utf8")).tasks[0].uuid).toBe(
      RERUN.id,
    );
  });

  it("asks before deleting, with the focus on Cancel, and skips running tasks", async () => {
    const { ui, clients } = start(size);
    await ui.waitFor("4 tasks");
    await ui.press("d"); // the running task alone
    await ui.waitFor("Running tasks cannot be deleted (abort them first): 5e7a0001");
    await ui.press(" "); // mark the running task
    await ui.press(" "); // and the rerun
    await ui.press("d");
    const dialog = await ui.waitFor("Delete this task and everything stored about it?");
    expect(dialog).toContain(`Still running, not deleted: ${RUNNING_TASK_ID}`);
    expect(dialog).toContain(" Cancel ");
    expectFits(dialog, size.columns, size.rows);
    await ui.press(KEYS.enter); // focus starts on Cancel: nothing is deleted
    await ui.waitFor("2 marked");
    expect(clients.deleted).toEqual([]);
    await ui.press("d");
    await ui.waitFor("Delete this task");
    await ui.press(KEYS.right);
    await ui.press(KEYS.enter);
    await ui.waitFor(`Deleted task ${RERUN.id}`);
    expect(clients.deleted).toEqual([RERUN.id]);
    const after = await ui.waitFor("3 tasks");
    expect(after).not.toContain("Rerun:");
  });
});

describe("the :compare palette command", () => {
  it("opens the comparison of the tasks named, completing their ids", async () => {
    const { ui, clients } = start({ columns: 80, rows: 24 });
    await ui.waitFor("4 tasks");
    await ui.press(":");
    for (const char of `compare ${DEMO.id} ${RERUN.id.slice(0, 6)}`) await ui.press(char);
    await ui.press(KEYS.tab);
    await ui.waitFor(`compare ${DEMO.id} b0b0b0b0-0000`);
    await ui.press(KEYS.enter);
    await ui.waitFor("matched workloads");
    expect(clients.compared).toEqual([[DEMO.id, RERUN.id]]);
  });
});
