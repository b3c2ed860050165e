/**
 * `paddock up` with a terminal, driven in tmux as an operator would: the stack starts, the TUI
 * shows the scenario list, a started scenario runs live and ends in its summary, the history lists
 * it, and `q` stops everything that was started.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { eventually, freePort, portIsOpen, type TempDir, tempDir } from "@paddock/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findRepoRoot } from "./up.js";

const root = findRepoRoot();
const hasTmux = spawnSync("tmux", ["-V"]).status === 0;
if (!hasTmux) console.log("SKIPPED tui in tmux: tmux is not installed (Debian: apt-get install tmux)");

const SLOW = `---
version: 2
title: Slow dummy
description: Long enough to watch it move.
subtasks:
  - title: slow
    scenario:
      Dummy.dummy:
        sleep: 0.02
    runner:
      constant:
        times: 300
        concurrency: 2
`;

describe.skipIf(!hasTmux)("the TUI driven in tmux", () => {
  const session = `paddock-test-${process.pid}`;
  let dir: TempDir;
  let natsPort: number;

  const screen = (): string =>
    execFileSync("tmux", ["capture-pane", "-p", "-t", session], { encoding: "utf8" });
  const keys = (...names: string[]): void => {
    execFileSync("tmux", ["send-keys", "-t", session, ...names]);
  };
  const sessionAlive = (): boolean => spawnSync("tmux", ["has-session", "-t", session]).status === 0;
  const until = (what: string, test: (text: string) => boolean, timeoutMs = 30_000) =>
    eventually(
      () => {
        const text = screen();
        return test(text) ? text : undefined;
      },
      timeoutMs,
      `${what}; screen was:\n${sessionAlive() ? screen() : "(session ended)"}`,
    );

  beforeAll(async () => {
    dir = tempDir("paddock-tmux-");
    const scenarios = join(dir.path, "scenarios", "dummy");
    mkdirSync(scenarios, { recursive: true });
    writeFileSync(join(scenarios, "slow.yaml"), SLOW);
    natsPort = await freePort();
    const env = {
      PADDOCK_NATS_PORT: String(natsPort),
      PADDOCK_CATALOG_PORT: String(await freePort()),
      PADDOCK_RUNNER_PORT: String(await freePort()),
      PADDOCK_RESULTS_PORT: String(await freePort()),
      PADDOCK_DATA_DIR: join(dir.path, "state"),
      PADDOCK_SCENARIOS: join(dir.path, "scenarios"),
    };
    const assignments = Object.entries(env).map(([key, value]) => `${key}=${value}`);
    const command = [
      "env",
      "-u",
      "NATS_URL",
      "-u",
      "CI",
      ...assignments,
      process.execPath,
      join(root, "apps", "tui", "bin", "paddock.mjs"),
      "up",
    ];
    execFileSync("tmux", ["new-session", "-d", "-s", session, "-x", "120", "-y", "36", ...command], {
      cwd: root,
    });
  }, 30_000);

  afterAll(() => {
    if (sessionAlive()) spawnSync("tmux", ["kill-session", "-t", session]);
    dir?.remove();
  });

  it("shows the scenarios, a live run and its summary, the history, and stops everything on q", async () => {
    await until(
      "the scenario list with every service healthy",
      (text) => text.includes("Services (1)") && /● results/.test(text),
      60_000,
    );

    keys("Enter");
    await until("the dummy scenarios", (text) => text.includes("Slow dummy"));
    keys("s");
    const live = await until("the live task screen", (text) => /\d+\/300/.test(text));
    const first = Number(/(\d+)\/300/.exec(live)?.[1]);
    const later = await until("progress to move", (text) => {
      const done = Number(/(\d+)\/300/.exec(text)?.[1] ?? -1);
      return done > first;
    });
    expect(later).toMatch(/\/s/);

    const summary = await until("the summary", (text) => text.includes("Response Times"), 60_000);
    expect(summary).toContain("finished, SLA passed");
    expect(summary).toMatch(/foo\s+[\d.]+/);
    expect(summary).toMatch(/total(\s+[\d.]+){6}\s+100\.0%\s+300/);

    keys("3");
    await until(
      "the task in the history",
      (text) => text.includes("Slow dummy") && text.includes("finished"),
    );

    keys("q");
    await eventually(() => !sessionAlive(), 30_000, "paddock up to exit after q");
    expect(await portIsOpen(natsPort)).toBe(false);
  }, 180_000);
});
