/**
 * The TUI as a user runs it, for `tui` (the benchmark) and `tui-captures.mjs` (the README's
 * screens): the stack from the built output (nats-server, catalog over a scenarios folder, runner,
 * results) and the real `paddock` process in a detached tmux session of its own (`-L`), driven
 * with `send-keys` and read with `capture-pane`.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { startTestNats, tempDir } from "@paddock/testkit";
import { ROOT, startService } from "./lib/paddock-stack.mjs";
import { sleep } from "./lib/report.mjs";

export const HAS_TMUX = spawnSync("tmux", ["-V"]).status === 0;

/**
 * nats-server, catalog (`scenarios` folder, the repository's environments), runner and results
 * (SQLite in a temporary folder). `stop()` ends them and removes their files.
 */
export async function startTuiStack(scenarios) {
  const nats = await startTestNats();
  const data = tempDir("paddock-bench-tui-");
  const started = [];
  try {
    const catalog = await startService(
      "catalog",
      { PADDOCK_SCENARIOS: scenarios, PADDOCK_ENVIRONMENTS: join(ROOT, "environments") },
      "PADDOCK_CATALOG_PORT",
    );
    started.push(catalog);
    const runner = await startService(
      "runner",
      { NATS_URL: nats.url, PADDOCK_RUNNER_ID: "runner-1", PADDOCK_CATALOG_URL: catalog.url },
      "PADDOCK_RUNNER_PORT",
    );
    started.push(runner);
    const results = await startService(
      "results",
      { NATS_URL: nats.url, PADDOCK_DATA_DIR: data.path },
      "PADDOCK_RESULTS_PORT",
    );
    started.push(results);
    return {
      nats,
      catalog,
      runner,
      results,
      async stop() {
        for (const service of started.reverse()) await service.stop();
        await nats.dispose();
        data.remove();
      },
    };
  } catch (error) {
    for (const service of started.reverse()) await service.stop();
    await nats.dispose();
    data.remove();
    throw error;
  }
}

/**
 * `paddock` (the TUI) on `stack` in a `columns`×`rows` tmux session. The pane runs node itself
 * (`env` execs it), so `pid` is the TUI's process.
 */
export function startTui(stack, { columns = 120, rows = 36, name = `paddock-tui-${process.pid}` } = {}) {
  const server = ["-L", name];
  const tmux = (...args) => execFileSync("tmux", [...server, ...args], { encoding: "utf8" });
  const env = {
    PADDOCK_CATALOG_URL: stack.catalog.url,
    PADDOCK_RUNNER_URL: stack.runner.url,
    PADDOCK_RESULTS_URL: stack.results.url,
    NATS_URL: stack.nats.url,
    TERM: "xterm-256color",
    // e.g. PADDOCK_BENCH_TUI_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/tui-prof" to profile the TUI.
    ...(process.env.PADDOCK_BENCH_TUI_NODE_OPTIONS
      ? { NODE_OPTIONS: process.env.PADDOCK_BENCH_TUI_NODE_OPTIONS }
      : {}),
  };
  const command = [
    "env",
    "-u",
    "CI",
    ...Object.entries(env).map(([key, value]) => `${key}=${value}`),
    process.execPath,
    join(ROOT, "apps", "tui", "bin", "paddock.mjs"),
  ];
  tmux("new-session", "-d", "-s", "tui", "-x", String(columns), "-y", String(rows), ...command);
  const pid = Number(tmux("display-message", "-p", "-t", "tui", "#{pane_pid}").trim());
  // tmux leaves its socket file behind when the server ends: removed by `kill`.
  const socket = tmux("display-message", "-p", "#{socket_path}").trim();
  const screen = () => tmux("capture-pane", "-p", "-t", "tui");
  return {
    pid,
    screen,
    keys: (...names) => tmux("send-keys", "-t", "tui", ...names),
    type: (text) => tmux("send-keys", "-t", "tui", "-l", text),
    /** Polls the screen every `everyMs` until `test` passes; returns that screen. */
    async until(what, test, timeoutMs = 60_000, everyMs = 100) {
      const deadline = Date.now() + timeoutMs;
      let last = "";
      while (Date.now() < deadline) {
        last = screen();
        if (test(last)) return last;
        await sleep(everyMs);
      }
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; the screen was:\n${last}`);
    },
    kill: () => {
      spawnSync("tmux", [...server, "kill-server"], { stdio: "ignore" });
      if (socket) rmSync(socket, { force: true });
    },
  };
}

/** CPU seconds (user + system) a process has used so far, from `/proc/<pid>/stat`. */
export function cpuSeconds(pid, ticksPerSecond) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/** The kernel's clock ticks per second (`getconf CLK_TCK`, 100 on Linux). */
export function clockTicks() {
  const result = spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" });
  const value = Number(result.stdout?.trim());
  return Number.isFinite(value) && value > 0 ? value : 100;
}
