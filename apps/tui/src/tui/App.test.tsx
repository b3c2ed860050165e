import { afterEach, describe, expect, it } from "vitest";
import {
  dummyRunDetail,
  dummyRunEvents,
  RUNNING_TASK_ID,
  rallyDemoDetail,
  taskHistory,
} from "../../test/fixtures/index.js";
import { expectFits } from "../../test/support/frames.js";
import { KEYS, type RenderedTui, renderTui } from "../../test/support/render-tui.js";
import { twinBus, twinClients } from "../../test/support/twins.js";
import { App } from "./App.js";

let ui: RenderedTui | undefined;
afterEach(() => {
  ui?.unmount();
  ui = undefined;
});

const STARTED_ID = "7a5c0000-1111-4222-8333-444455556666";

function start(options: Parameters<typeof twinClients>[0] = {}) {
  const clients = twinClients(options);
  const bus = twinBus();
  ui = renderTui(
    <App deps={{ clients, bus, resultsWaitMs: 5000, healthIntervalMs: 50, frameMs: 20, refreshMs: 100 }} />,
  );
  return { clients, bus, ui };
}

describe("the header and footer", () => {
  it("shows the screens, the stack's health and the keys valid here, within 80×24", async () => {
    const { ui, clients, bus } = start();
    const frame = await ui.waitFor("◐results");
    expect(frame.split("\n")[0]).toBe(
      "Paddock  1 Scenarios  2 Live  3 Tasks  4 Envs    ●NATS ●catalog ●runner ◐results",
    );
    expect(frame).toContain("↑/↓ move  Enter open  / filter  r refresh  ? help  : command  q quit");
    expectFits(frame);
    bus.connected = false;
    clients.health = { catalog: "ok", runner: "down", results: "ok" };
    expect((await ui.waitFor("✗NATS")).split("\n")[0]).toContain("✗NATS ●catalog ✗runner ●results");
  });

  it("lists the keys of the current screen on ?, and closes the help on Esc", async () => {
    const { ui } = start();
    await ui.waitFor("Services (2)");
    await ui.press("?");
    const help = await ui.waitFor("Keys here");
    expect(help).toMatch(
      /Keys here\n\s+↑\/↓\s+Move the selection up or down \(also k\/j\)\n\s+Enter\s+Show the service's scenarios\n\s+\/\s+Filter the list as you type.*\n\s+r\s+Load again/,
    );
    expect(help).toMatch(
      /Everywhere\n\s+\?\s+Show or hide this help\n\s+:\s+Command palette.*\n\s+Tab\s+Next screen \(Shift-Tab: previous\)\n\s+1-4\s+Screens: Scenarios, Live task, Tasks, Environments/,
    );
    expect(help).toMatch(
      /:scenarios {2}:live {2}:tasks {2}:envs {2}:start ID {2}:task ID {2}:compare A B {2}:help\s+:quit/,
    );
    expect(help).toMatch(/q\s+Quit \(Ctrl-C too\)/);
    expectFits(help);
    await ui.press(KEYS.escape);
    await ui.waitFor("Services (2)");
  });

  it("switches screens with Tab and 1-4, and quits on q", async () => {
    const { ui } = start({ tasks: taskHistory() });
    await ui.waitFor("Services (2)");
    await ui.press(KEYS.tab);
    await ui.waitFor("No task is followed yet.");
    await ui.press("3");
    await ui.waitFor("Nightly smoke");
    await ui.press(KEYS.shiftTab);
    await ui.waitFor("No task is followed yet.");
    await ui.press("1");
    await ui.waitFor("Services (2)");
    await ui.press("q");
    await ui.waitUntilExit();
  });
});

describe("Scenarios", () => {
  it("opens a service, shows the scenario's detail, and marks a broken one with its error", async () => {
    const { ui } = start();
    await ui.waitFor("› dummy");
    expect(ui.frame()).toMatch(/http\s+1/);
    await ui.press(KEYS.enter);
    const detail = await ui.waitFor("{% set times = times or 100 %}");
    expect(detail).toContain("‹ dummy (2)");
    expect(detail).toContain("› Dummy — the smallest benc…");
    expect(detail).toContain("Plugins Dummy.dummy");
    expect(detail).toContain("  times = 100");
    expect(detail).toContain("  sleep = 0.01");
    expect(detail).toContain("s start");
    expectFits(detail);
    await ui.press(KEYS.down);
    const broken = await ui.waitFor("Broken — cannot be loaded:");
    expect(broken).toMatch(/dummy\/broken\.yaml:7: the key \(Dummy\.dummy\) is\s+redefined/);
    await ui.press(KEYS.escape);
    await ui.waitFor("Services (2)");
  });

  it("refuses to start a broken scenario, saying why", async () => {
    const { ui, clients } = start();
    await ui.waitFor("› dummy");
    await ui.press(KEYS.enter);
    await ui.press(KEYS.down);
    await ui.waitFor("Broken — cannot be loaded:");
    await ui.press("s");
    await ui.waitFor("dummy/broken.yaml is broken and cannot start");
    expect(clients.started).toEqual([]);
  });

  it("starts the selected scenario with its defaults and follows it live", async () => {
    const { ui, clients, bus } = start();
    await ui.waitFor("› dummy");
    await ui.press(KEYS.enter);
    await ui.waitFor("Plugins Dummy.dummy");
    await ui.press("s");
    await ui.waitFor(`Task ${STARTED_ID}`);
    expect(clients.started).toEqual([{ scenarioId: "dummy/dummy.yaml" }]);
    expect(ui.frame()).toContain(`Started task ${STARTED_ID} (dummy/dummy.yaml)`);
    expect(bus.followed).toEqual([STARTED_ID]);
  });
});

describe("Live task", () => {
  it("shows progress per workload, aborts softly after confirming, then shows the report", async () => {
    const { ui, clients, bus } = start();
    await ui.waitFor("› dummy");
    await ui.press(KEYS.enter);
    await ui.press("s");
    await ui.waitFor("Waiting for the task's events…");
    const events = dummyRunEvents(STARTED_ID);
    for (const event of events.slice(0, 4)) bus.emit(event);
    const live = await ui.waitFor("40/100 (40%)");
    expect(live).toContain("running");
    expect(live).toContain("Dummy — the smallest benchmark · env local · workloads 0/1 · runner runner-1");
    expect(live).toMatch(/1\.1 Dummy\.dummy \(constant\)\s+█+░+ 40\/100 \(40%\)/);
    expect(live).toContain("  38.5/s · 4 in flight · 0 errors · p95 11.8 ms · 1.0 s · ETA 1.6 s");
    expect(live).toMatch(/p50 █+▌? +10\.2 ms/);
    expect(live).toContain("a abort  A hard abort  Esc back");
    expectFits(live);

    await ui.press("a");
    const confirm = await ui.waitFor("Abort task");
    expect(confirm).toContain("y abort  n/Esc keep running");
    await ui.press("n");
    await ui.waitFor("a abort  A hard abort  Esc back");
    expect(clients.aborted).toEqual([]);
    await ui.press("a");
    await ui.waitFor("Abort task");
    await ui.press("y");
    await ui.waitFor(`Soft abort of task ${STARTED_ID} requested`);
    expect(clients.aborted).toEqual([{ taskId: STARTED_ID, soft: true }]);

    clients.details.set(STARTED_ID, dummyRunDetail(STARTED_ID));
    for (const event of events.slice(4)) bus.emit(event);
    const report = await ui.waitFor("Response Times (sec)");
    expect(report).toContain("finished, SLA passed");
    expect(report).toMatch(/Action\s+Min\s+Median\s+90%ile\s+95%ile\s+Max\s+Avg\s+Success\s+Count/);
    expect(report).toMatch(/ -> bar\s+0\.050\s+0\.050/);
    expect(report).toContain("PASS failure_rate: Failure rate criteria 0.00% <= 0.00% <= 0.00% - Passed");
    expectFits(report);
  });

  it("renders progress at a capped frame rate however fast events come", async () => {
    const { ui, bus } = start();
    await ui.waitFor("› dummy");
    await ui.press(KEYS.enter);
    await ui.press("s");
    await ui.waitFor("Waiting for the task's events…");
    const [queued, started, workloadStarted, progress] = dummyRunEvents(STARTED_ID);
    if (!queued || !started || !workloadStarted || progress?.type !== "ProgressReported")
      throw new Error("fixture");
    for (const event of [queued, started, workloadStarted]) bus.emit(event);
    await ui.waitFor("0/100");
    const before = ui.frameCount();
    for (let completed = 1; completed <= 500; completed += 1) {
      bus.emit({ ...progress, id: `p-${completed}`, data: { ...progress.data, completed } });
    }
    await ui.waitFor("500/100");
    expect(ui.frameCount() - before).toBeLessThan(20);
  });
});

describe("Tasks", () => {
  it("lists the history, opens a report workload by workload, and follows a running task", async () => {
    const { ui, bus } = start({ tasks: taskHistory(), details: [rallyDemoDetail()] });
    await ui.press("3");
    const list = await ui.waitFor("Nightly smoke");
    expect(list).toMatch(/› · running\s+Dummy — the smalle…/);
    expect(list).toMatch(
      /✗ finished\s+Rally demo: nested…\s+Dummy\.dummy,D…\s+local\s+11-23 22:39\s+14\.0 s/,
    );
    expect(list).toContain("3 tasks");
    expectFits(list);

    await ui.press(KEYS.down);
    await ui.press(KEYS.down);
    await ui.press(KEYS.enter);
    const report = await ui.waitFor("Workload 1.1");
    expect(report).toContain("Task 8631c997-8798-4cf0-ab6e-e2c6001b8fd1 — Rally demo");
    expect(report).toContain("finished, SLA failed");
    expect(report).toContain("Workload 1.1 (1 of 5, ←/→) Dummy.dummy — Dummy with nested atomics");
    expect(report).toContain("PASS performance_degradation: Current degradation: 3.450918% - Passed");
    expectFits(report);
    await ui.press(KEYS.right);
    await ui.press(KEYS.right);
    const failing = await ui.waitFor("Workload 2.2");
    expect(failing).toMatch(/dummy_fail_test \(x2\)\s+0\.000/);
    expect(failing).toContain("Iterations 20 · Failures 8");
    expect(failing).toContain("FAIL failure_rate: Failure rate criteria 0.00% <= 40.00% <= 0.00% - Failed");
    await ui.press(KEYS.escape);
    await ui.waitFor("Nightly smoke");

    await ui.press(KEYS.up);
    await ui.press(KEYS.up);
    await ui.press(KEYS.enter);
    await ui.waitFor(`Task ${RUNNING_TASK_ID}`);
    expect(bus.followed).toContain(RUNNING_TASK_ID);
  });

  it("refreshes the list by itself while it is shown", async () => {
    const { ui, clients } = start({ tasks: taskHistory().slice(1) });
    await ui.press("3");
    await ui.waitFor("2 tasks");
    clients.tasks = taskHistory();
    await ui.waitFor("3 tasks");
  });
});
