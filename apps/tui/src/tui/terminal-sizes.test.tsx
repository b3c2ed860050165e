/**
 * Every screen at 80×24 (usable: nothing overflows) and at 200×60 (the space is used), and a
 * resize lays the screen out again.
 */
import { afterEach, describe, expect, it } from "vitest";
import { environmentList, rallyDemoDetail, taskHistory } from "../../test/fixtures/index.js";
import { expectFits } from "../../test/support/frames.js";
import { KEYS, type RenderedTui, renderTui } from "../../test/support/render-tui.js";
import { twinBus, twinClients } from "../../test/support/twins.js";
import { App } from "./App.js";

let ui: RenderedTui | undefined;
afterEach(() => {
  ui?.unmount();
  ui = undefined;
});

function start(columns: number, rows: number) {
  const clients = twinClients({
    tasks: taskHistory(),
    details: [rallyDemoDetail()],
    environments: environmentList,
  });
  ui = renderTui(<App deps={{ clients, bus: twinBus(), resultsWaitMs: 1000, refreshMs: 60_000 }} />, {
    columns,
    rows,
  });
  return ui;
}

/** Opens each screen in turn and returns its frame. */
async function tour(tui: RenderedTui) {
  await tui.waitFor("› dummy");
  await tui.press(KEYS.enter);
  const scenarios = await tui.waitFor("{% set times = times or 100 %}");
  await tui.press("3");
  const tasks = await tui.waitFor("Nightly smoke");
  await tui.press(KEYS.down);
  await tui.press(KEYS.down);
  await tui.press(KEYS.enter);
  const report = await tui.waitFor("Workload 1.1");
  await tui.press("4");
  const envs = await tui.waitFor("example-api");
  await tui.press("?");
  const help = await tui.waitFor("Keys here");
  return { scenarios, tasks, report, envs, help };
}

describe("terminal sizes", () => {
  it("every screen fits 80×24", async () => {
    const frames = await tour(start(80, 24));
    for (const frame of Object.values(frames)) expectFits(frame, 80, 24);
    expect(frames.scenarios).toContain("› Dummy — the smallest benc…");
    expect(frames.scenarios).not.toContain("concurrency: {{ concurrency }}");
  });

  it("every screen uses the space at 200×60", async () => {
    const frames = await tour(start(200, 60));
    for (const frame of Object.values(frames)) {
      expectFits(frame, 200, 60);
      expect(frame.split("\n")[0]).toMatch(
        /^Paddock {2}1 Scenarios {2}2 Live task {2}3 Tasks {2}4 Environments {20,}● NATS/,
      );
    }
    expect(frames.scenarios).toContain("› Dummy — the smallest benchmark ");
    expect(frames.scenarios).toContain("          concurrency: {{ concurrency }}");
    expect(frames.tasks).toMatch(
      /Rally demo: nested atomics, random failures, HTTP {10,}Dummy\.dummy,Dummy\.dummy_output/,
    );
    expect(frames.envs).toContain("A DevStack all-in-one on this machine (set OS_PASSWORD for the runner)");
    expect(frames.help).toMatch(/Keys here\s+Commands \(:\)/);
  });

  it("lays out again when the terminal is resized", async () => {
    const tui = start(200, 60);
    await tui.waitFor("› dummy");
    await tui.press(KEYS.enter);
    await tui.waitFor("concurrency: {{ concurrency }}");
    tui.resize(80, 24);
    const narrow = await tui.waitFor(/^Paddock {2}1 Scenarios {2}2 Live {2}3 Tasks {2}4 Envs/);
    await tui.waitFor("› Dummy — the smallest benc…");
    expectFits(tui.frame(), 80, 24);
    expect(narrow).not.toContain("4 Environments");
    tui.resize(200, 60);
    await tui.waitFor("concurrency: {{ concurrency }}");
    expectFits(tui.frame(), 200, 60);
  });
});
