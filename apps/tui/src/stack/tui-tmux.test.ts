/**
 * `paddock up` with a terminal, driven in tmux as an operator would, against the real stack
 * (nats-server, catalog, runner and results as separate processes): browse to a scenario, edit its
 * arguments and runner in the start form (the real runner judges as you type), start it, watch
 * the live progress move with what the runner reports (schedule lag of the rate runner, latency
 * histogram, atomic actions, SLA lights), abort it; start a copy edited in $EDITOR (the TUI suspends, the editor
 * reads the terminal, the TUI resumes); run another scenario twice; search the history, open a
 * report, compare two tasks, export one, delete one; `q` stops everything that was started.
 * Every step waits for text on the screen; keys typed in one `send-keys` arrive as one burst.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { eventually, freePort, portIsOpen, type TempDir, tempDir } from "@paddock/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasTmux, startTmux, type TmuxTerminal } from "../../test/support/tmux.js";
import { findRepoRoot } from "./up.js";

const root = findRepoRoot();
if (!hasTmux) console.log("SKIPPED tui in tmux: tmux is not installed (Debian: apt-get install tmux)");

const SLOW = `{% set times = times or 300 %}
---
version: 2
title: Slow dummy
description: Long enough to watch it move, at a fixed rate.
subtasks:
  - title: slow
    scenario:
      Dummy.dummy:
        sleep: 0.02
    runner:
      rps:
        rps: 150
        times: {{ times }}
`;

const QUICK = `{% set times = times or 40 %}
---
version: 2
title: Quick dummy
description: Over in a moment.
subtasks:
  - title: quick
    scenario:
      Dummy.dummy:
        sleep: 0.005
    runner:
      constant:
        times: {{ times }}
        concurrency: 4
`;

/** An editor that asks the terminal how many iterations the copy runs, then writes it. */
const EDITOR = `#!/bin/sh
printf 'times for the copy? '
read value
sed -i "s/times or 300/times or $value/" "$1"
`;

const LONG = 120_000;

describe.skipIf(!hasTmux)("the TUI driven in tmux", () => {
  let dir: TempDir;
  let natsPort: number;
  let resultsUrl: string;
  let tui: TmuxTerminal;

  beforeAll(async () => {
    dir = tempDir("paddock-tmux-");
    const scenarios = join(dir.path, "scenarios", "dummy");
    mkdirSync(scenarios, { recursive: true });
    writeFileSync(join(scenarios, "slow.yaml"), SLOW);
    writeFileSync(join(scenarios, "quick.yaml"), QUICK);
    const editor = join(dir.path, "ask-times.sh");
    writeFileSync(editor, EDITOR);
    chmodSync(editor, 0o755);
    natsPort = await freePort();
    const resultsPort = await freePort();
    resultsUrl = `http://127.0.0.1:${resultsPort}`;
    const env = {
      PADDOCK_NATS_PORT: String(natsPort),
      PADDOCK_CATALOG_PORT: String(await freePort()),
      PADDOCK_RUNNER_PORT: String(await freePort()),
      PADDOCK_RESULTS_PORT: String(resultsPort),
      PADDOCK_DATA_DIR: join(dir.path, "state"),
      PADDOCK_SCENARIOS: join(dir.path, "scenarios"),
      EDITOR: editor,
    };
    const assignments = Object.entries(env).map(([key, value]) => `${key}=${value}`);
    const command = [
      "env",
      "-u",
      "NATS_URL",
      "-u",
      "CI",
      "-u",
      "VISUAL",
      ...assignments,
      process.execPath,
      join(root, "apps", "tui", "bin", "paddock.mjs"),
      "up",
    ];
    tui = startTmux(`paddock-test-${process.pid}`, command, { columns: 120, rows: 36, cwd: dir.path });
  }, 30_000);

  afterAll(() => {
    tui?.kill();
    dir?.remove();
  });

  /** The number before `/<total>` on the live screen (iterations done), or -1. */
  const done = (screen: string, total: number) =>
    Number(new RegExp(`(\\d+)/${total} \\(`).exec(screen)?.[1] ?? -1);
  /** The id of the task the live screen follows. */
  const liveTaskId = (screen: string) => /Task ([0-9a-f-]{36})/.exec(screen)?.[1] ?? "";

  it("browses, edits, starts, watches, aborts, searches, reports, compares, exports, deletes, and quits", async () => {
    // ---- the stack comes up and the catalog lists the library
    await tui.until(
      "the scenario list with every service healthy",
      (text) => text.includes("Services (1)") && /● results/.test(text) && /● runner/.test(text),
      LONG,
    );

    // ---- browse to a scenario: open the service, filter its scenarios
    tui.keys("Enter");
    await tui.waitFor("Quick dummy");
    tui.type("/slow");
    tui.keys("Enter");
    const browsed = await tui.waitFor("/slow 1/2");
    expect(browsed).toContain("Scenarios › dummy › Slow dummy");
    expect(browsed).toContain("{% set times = times or 300 %}");

    // ---- edit its arguments and runner; the real runner judges each change
    tui.keys("e");
    await tui.waitFor("✓ the runner accepts this task", 60_000);
    tui.keys("C-u");
    tui.type("3000x");
    await tui.waitFor("✗ a string, but the default (300) is a number");
    tui.keys("BSpace");
    await tui.until(
      "times 3000 accepted",
      (text) => /› times\s+3000\s+number/.test(text) && text.includes("✓ the runner accepts this task"),
      60_000,
    );
    tui.keys("Tab", "Tab", "Tab", "Tab", "Tab");
    await tui.waitFor(/› {3}max_concurrency\s+default/);
    tui.type("0");
    const refused = await tui.waitFor("✗ 0 is less than the minimum of 1", 60_000);
    expect(refused).toMatch(/ {3}max_concurrency\s+0\s*\n.*✗ 0 is less than the minimum of 1/);
    expect(refused).toMatch(/runner\s+‹ rps › edited/);
    tui.keys("BSpace");
    tui.type("4");
    await tui.waitFor("✓ the runner accepts this task", 60_000);

    // ---- start it and watch the progress move
    tui.keys("Enter");
    const live = await tui.until("the live task screen", (text) => done(text, 3000) >= 0, 60_000);
    const slowId = liveTaskId(live);
    expect(slowId).not.toBe("");
    const first = done(live, 3000);
    const moving = await tui.until("the progress to move", (text) => done(text, 3000) > first + 10, 60_000);
    expect(moving).toMatch(/[\d.,]+\/s · \d+ in flight/);
    expect(moving).toContain("Slow dummy · env local");

    // ---- what the runner reports live: schedule lag, histogram, atomic actions, SLA lights
    const lagging = await tui.waitFor(
      /^lag p50 [\d.]+ ms · p99 [\d.]+ ms · max [\d.]+ ms · [\d,]+ started late/m,
      30_000,
    );
    expect(lagging).toMatch(/^SLA ● failure_rate/m);
    expect(lagging).toContain(" Latency  Histogram  Atomics  SLA  Errors & hooks");
    tui.keys("]");
    await tui.waitFor(/^[\d,]+ iterations since the start · p50 [\d.]+ ms · p99 [\d.]+ ms/m);
    tui.keys("]");
    await tui.waitFor(/^foo > bar +[\d,]+ +0 +[\d.]+ ms/m);
    tui.keys("]");
    await tui.waitFor(
      /● failure_rate \(so far\)[\s\S]*Failure rate criteria 0\.00% <= 0\.00% <= 0\.00% - Passed/,
    );

    // ---- abort it, softly, after the question
    tui.keys("a");
    await tui.waitFor("softly (iterations in flight finish)? y/n");
    tui.keys("y");
    const aborted = await tui.waitFor("Aborted (soft)", 60_000);
    expect(done(aborted, 3000)).toBeLessThan(3000);

    // ---- a copy edited in $EDITOR: the TUI gives the terminal to the editor, then comes back
    tui.keys("1");
    await tui.waitFor("Scenarios › dummy › Slow dummy");
    tui.keys("E");
    await tui.waitFor("times for the copy?", 30_000);
    tui.type("7");
    tui.keys("Enter");
    const edited = await tui.until(
      "the edited copy to run live, then end (the live view, or its report once stored)",
      (text) =>
        /Iterations 7 · Failures 0/.test(text) ||
        (text.includes("7/7 (100%)") && text.includes("Finished, SLA passed")),
      LONG,
    );
    expect(edited).toContain("Slow dummy");
    expect(liveTaskId(edited)).not.toBe(slowId);

    // ---- another scenario, twice: once with s, once from the palette
    tui.keys("1");
    await tui.waitFor("Scenarios › dummy › Slow dummy");
    // Esc and a key right after it read as Alt-key, as in any terminal: wait for Esc's effect.
    tui.keys("Escape");
    await tui.until("the filter cleared", (text) => text.includes("Quick dummy") && !text.includes("/slow"));
    tui.type("/quick");
    tui.keys("Enter");
    await tui.waitFor("/quick 1/2");
    await tui.waitFor("Scenarios › dummy › Quick dummy");
    tui.keys("s");
    const quickOne = await tui.until(
      "the first quick run's report",
      (text) => text.includes("Response Times") && text.includes("Quick dummy"),
      LONG,
    );
    const firstQuick = liveTaskId(quickOne);
    tui.type(":start dummy/quick.yaml");
    tui.keys("Enter");
    const quickTwo = await tui.until(
      "the second quick run's report",
      (text) => text.includes("Response Times") && liveTaskId(text) !== firstQuick && liveTaskId(text) !== "",
      LONG,
    );
    const secondQuick = liveTaskId(quickTwo);
    expect(quickTwo).toMatch(/total(\s+[\d.]+){6}\s+100\.0%\s+40/);

    // ---- search the history
    tui.keys("3");
    await tui.until(
      "four tasks in the history",
      (text) => text.includes("4 tasks") && text.includes("aborted"),
      60_000,
    );
    tui.type("/quick");
    const searched = await tui.waitFor("/quick  2/4");
    expect(searched).not.toContain("Slow dummy");
    tui.keys("Enter");
    await tui.waitFor("/quick 2/4");

    // ---- open a report (the newest quick run)
    tui.keys("Enter");
    const report = await tui.waitFor("Response Times (sec)", 60_000);
    expect(report).toContain(`Tasks › Quick dummy`);
    expect(report).toMatch(/total(\s+[\d.]+){6}\s+100\.0%\s+40/);
    tui.keys("]");
    await tui.waitFor("Load profile: iterations in flight over time", 60_000);
    tui.keys("Escape");
    await tui.waitFor("/quick 2/4");

    // ---- compare the two quick runs
    tui.keys("Space", "Space");
    await tui.waitFor("2 marked");
    tui.keys("c");
    const compared = await tui.waitFor("baseline", 60_000);
    expect(compared).toContain(`Compare ${secondQuick.slice(0, 8)} · ${firstQuick.slice(0, 8)}`);
    expect(compared).toMatch(/vs 1/);
    tui.keys("Escape");
    await tui.waitFor("2 marked");
    tui.keys("Escape");
    await tui.until("the filter cleared", (text) => text.includes("2 marked") && text.includes("Slow dummy"));
    tui.keys("Escape");
    await tui.until("the marks cleared", (text) => !text.includes("marked") && text.includes("4 tasks"));

    // ---- export one (the selected row, a quick run) to a file typed in the dialog
    tui.keys("x");
    const dialog = await tui.waitFor(/paddock-[0-9a-f-]{36}\.json/);
    const chosen = /paddock-([0-9a-f-]{36})\.json/.exec(dialog)?.[1] ?? "";
    expect([firstQuick, secondQuick]).toContain(chosen);
    const other = chosen === firstQuick ? secondQuick : firstQuick;
    const file = join(dir.path, "exported-quick.json");
    tui.keys("C-u");
    tui.type(file);
    tui.keys("Enter");
    const exported = await tui.waitFor("Exported task", 60_000);
    expect(exported).toContain(`Exported task ${chosen} (json`);
    await eventually(() => existsSync(file), 10_000, `${file} to be written`);
    const json = JSON.parse(readFileSync(file, "utf8")) as { tasks: { uuid: string }[] };
    expect(json.tasks[0]?.uuid).toBe(chosen);

    // ---- delete it: the focus starts on Cancel, → moves it to Delete
    tui.keys("d");
    await tui.waitFor("Delete this task and everything stored");
    tui.keys("Right");
    tui.keys("Enter");
    await tui.waitFor(`Deleted task ${chosen}`, 60_000);
    await tui.waitFor("3 tasks", 30_000);
    const gone = await fetch(`${resultsUrl}/tasks/${chosen}`);
    expect(gone.status).toBe(404);
    const kept = await fetch(`${resultsUrl}/tasks/${other}`);
    expect(kept.status).toBe(200);

    // ---- q stops everything that was started
    tui.keys("q");
    await eventually(() => !tui.alive(), 30_000, "paddock up to exit after q");
    expect(await portIsOpen(natsPort)).toBe(false);
  }, 900_000);
});
