/**
 * The key grammar shared by every screen: `/` filters a list as you type, `:` runs commands with
 * completion, `?` lists the keys, and the header's breadcrumbs say where you are.
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

function start(
  options: Parameters<typeof twinClients>[0] = {},
  size: { columns?: number; rows?: number } = {},
) {
  const clients = twinClients({
    tasks: taskHistory(),
    details: [rallyDemoDetail()],
    environments: environmentList,
    ...options,
  });
  const bus = twinBus();
  ui = renderTui(
    <App
      deps={{ clients, bus, resultsWaitMs: 5000, healthIntervalMs: 50, frameMs: 20, refreshMs: 60_000 }}
    />,
    size,
  );
  return { clients, bus, ui };
}

async function type(tui: RenderedTui, text: string) {
  for (const char of text) await tui.press(char);
}

const crumbLine = (frame: string) => frame.split("\n")[1] ?? "";

describe("/ filters", () => {
  it("the services and scenarios as you type; Enter keeps the filter, Esc clears it", async () => {
    const { ui } = start();
    await ui.waitFor("› dummy");
    await ui.press("/");
    await ui.waitFor("keep filter");
    await type(ui, "check");
    const filtered = await ui.waitFor("/check  1/2");
    expect(filtered).toMatch(/› http\s+1/);
    expect(filtered).not.toMatch(/› dummy| {2}dummy\s+2/);
    expect(filtered).toContain("Enter keep filter  Esc clear");
    await ui.press(KEYS.escape);
    const cleared = await ui.waitFor(/ {2}http\s+1/);
    expect(cleared).not.toContain("/check");

    await ui.press(KEYS.enter);
    await ui.waitFor("Plugins Dummy.dummy");
    await ui.press("/");
    await type(ui, "smoke");
    await ui.press(KEYS.enter);
    const kept = await ui.waitFor("s start");
    expect(kept).toContain("/smoke 1/2");
    expect(kept).toContain("› Dummy — the smallest benc…");
    expect(kept).not.toContain("✗ dummy/broken.yaml");
    await ui.press(KEYS.escape);
    await ui.waitFor("✗ dummy/broken.yaml");
    await ui.press(KEYS.escape);
    await ui.waitFor("Services (2)");
  });

  it("the task history by title, status, tag or id", async () => {
    const { ui } = start();
    await ui.press("3");
    await ui.waitFor("Nightly smoke");
    await ui.press("/");
    await type(ui, "running");
    const running = await ui.waitFor("/running  1/3");
    expect(running).toMatch(/› · running\s+Dummy/);
    expect(running).not.toContain("Nightly smoke");
    await ui.press(KEYS.backspace);
    await ui.press("\u0015");
    await type(ui, "nomatch");
    await ui.waitFor("No task matches the filter.");
    await ui.press(KEYS.escape);
    const all = await ui.waitFor("Nightly smoke");
    expect(all).toContain("Rally demo");
  });
});

describe("keys arriving together", () => {
  it("are applied one after the other, as typed (tmux send-keys, a fast typist over ssh)", async () => {
    const { ui } = start();
    await ui.press("3");
    await ui.waitFor("Nightly smoke");
    // One read holding a screen key, the filter key, text, Backspaces and Ctrl-U.
    await ui.press("/runninx\u007F\u007Fng");
    const running = await ui.waitFor("/running  1/3");
    expect(running).toMatch(/› · running\s+Dummy/);
    await ui.press("\u0015smokq\u007Fe\r");
    const kept = await ui.waitFor("/smoke 1/3");
    expect(kept).toContain("Nightly smoke");
    await ui.press("\u001B");
    await ui.waitFor("Rally demo");
    await ui.press("1/chec\u007Fck");
    await ui.waitFor("/check  1/2");
  });

  it("do not reach the screen keys once a text field has the keyboard (q, digits, ?, : are text there)", async () => {
    const { ui } = start();
    await ui.press("3");
    await ui.waitFor("Nightly smoke");
    await ui.press("/q1?:2\t");
    const typed = await ui.waitFor("/q1?:2");
    expect(typed).toContain("No task matches the filter.");
    expect(typed.split("\n")[1]).toMatch(/^─ Tasks ─/);
    await ui.press("\u0015");
    await ui.press("\u001B");
    await ui.waitFor("Nightly smoke");
    await ui.press(":q");
    const palette = await ui.waitFor("│ :q");
    expect(palette).toContain("quit");
  });
});

describe(": runs a command", () => {
  it("switches screens, with Tab completing the command's name", async () => {
    const { ui } = start();
    await ui.waitFor("› dummy");
    await ui.press(":");
    const palette = await ui.waitFor("Tab complete");
    expect(palette).toContain("scenarios Scenarios screen");
    expect(palette).toContain("start SCENARIO Start a scenario with its defaults");
    await type(ui, "ta");
    await ui.waitFor("task TASK Open a task");
    await ui.press(KEYS.down);
    await ui.press(KEYS.down);
    await ui.press(KEYS.tab);
    await ui.waitFor(/│ :task {2}/);
    for (let index = 0; index < 5; index += 1) await ui.press(KEYS.backspace);
    await type(ui, "en");
    await ui.press(KEYS.enter);
    const envs = await ui.waitFor("example-api");
    expect(crumbLine(envs)).toMatch(/^─ Environments › devstack ─+$/);
  });

  it("starts a scenario completed from the catalog, and follows it", async () => {
    const { ui, clients } = start();
    await ui.waitFor("› dummy");
    await ui.press(":");
    await type(ui, "start dum");
    const suggestions = await ui.waitFor("start dummy/dummy.yaml");
    expect(suggestions).not.toContain("start dummy/broken.yaml");
    await ui.press(KEYS.down);
    await ui.press(KEYS.enter);
    const live = await ui.waitFor("Task 7a5c0000-1111-4222-8333-444455556666");
    expect(clients.started).toEqual([{ scenarioId: "dummy/dummy.yaml" }]);
    expect(crumbLine(live)).toMatch(/^─ Live task › 7a5c0000 ─+$/);
  });

  it("opens a finished task's report, says what is wrong with a bad line, and quits", async () => {
    const { ui } = start();
    await ui.waitFor("› dummy");
    await ui.press(":");
    await type(ui, "task rally");
    await ui.waitFor("task 8631c997-8798-4cf0-ab6e-e2c6001b8fd1 Rally demo");
    await ui.press(KEYS.tab);
    await ui.press(KEYS.enter);
    await ui.waitFor("Workload 1.1");
    const report = await ui.waitFor("─ Tasks › Rally demo");
    expect(crumbLine(report)).toMatch(/^─ Tasks › Rally demo: nested atomics, random failures, HTTP ─+$/);
    await ui.press(":");
    await type(ui, "s");
    await ui.press(KEYS.enter);
    await ui.waitFor(":s could be :scenarios, :start");
    await ui.press(KEYS.escape);
    await ui.waitFor("Workload 1.1");
    await ui.press(":");
    await type(ui, "quit");
    await ui.press(KEYS.enter);
    await ui.waitUntilExit();
  });
});

describe("breadcrumbs and help", () => {
  it("show where you are, and help lists the commands beside the keys when wide", async () => {
    const { ui } = start({}, { columns: 120, rows: 40 });
    await ui.waitFor("› dummy");
    await ui.press(KEYS.enter);
    const detail = await ui.waitFor("Plugins Dummy.dummy");
    expect(crumbLine(detail)).toMatch(/^─ Scenarios › dummy › Dummy — the smallest benchmark ─+$/);
    expect(detail.split("\n")[0]).toContain("1 Scenarios  2 Live task  3 Tasks  4 Environments");
    await ui.press("?");
    const help = await ui.waitFor("Commands (:)");
    expect(help).toMatch(
      /Keys here\s+Commands \(:\)\n\s+↑\/↓\s+Move the selection up or down \(also k\/j\)\s+:scenarios\s+Scenarios screen/,
    );
    expect(help).toMatch(
      /\n\s+s\s+Start the selected scenario with its default …\s+:live\s+Live task screen/,
    );
    expect(help).toMatch(/:start ID\s+Start a scenario with its defaults/);
    expectFits(help, 120, 40);
  });
});
