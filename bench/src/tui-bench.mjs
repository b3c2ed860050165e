/**
 * `tui`: the real TUI process (in tmux) following a task that runs at ≥ 20,000 iterations/s —
 * `Dummy.dummy` sleep 0, `constant_for_duration`, concurrency 10, every iteration published —
 * started from the TUI itself (`s`). Measured while the load runs: the TUI process's CPU from
 * `/proc/<pid>/stat` (first while it only follows, then while keys are pressed), and key
 * responsiveness: a key sent with `tmux send-keys` (`]`/`[`, switching the detail section) to
 * the first `capture-pane` showing its effect, polled as fast as tmux answers.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { connectBus, followTask } from "@paddock/bus";
import { tempDir } from "@paddock/testkit";
import { fmt, heading, line, percentile, sleep, target } from "./lib/report.mjs";
import { clockTicks, cpuSeconds, HAS_TMUX, startTui, startTuiStack } from "./tui-tmux.mjs";

const DURATION_S = 60;
const CONCURRENCY = 10;
/** Seconds of following only (no keys) the CPU is measured over. */
const FOLLOW_S = 15;
const PRESSES = 40;

const LOAD = `---
version: 2
title: TUI bench load
description: Dummy.dummy with no sleep, as fast as the runner goes.
subtasks:
  - title: sleep 0
    scenario:
      Dummy.dummy:
        sleep: 0
    runner:
      constant_for_duration:
        duration: ${DURATION_S}
        concurrency: ${CONCURRENCY}
`;

/** The latency section shows its percentile bars (`p90 ▏… 0.02 ms`); the others do not. */
const SHOWS = {
  latency: (text) => /^p90 /m.test(text),
  other: (text) => !/^p90 /m.test(text),
};

export async function benchTui() {
  heading(
    `tui: the TUI following Dummy.dummy sleep 0 (constant_for_duration ${DURATION_S} s, concurrency ${CONCURRENCY}) live`,
  );
  if (!HAS_TMUX) {
    line("tmux", "not installed (Debian: apt-get install tmux); the TUI was not measured");
    return;
  }
  const library = tempDir("paddock-bench-tui-scenarios-");
  mkdirSync(join(library.path, "bench"));
  writeFileSync(join(library.path, "bench", "tui-load.yaml"), LOAD);
  const stack = await startTuiStack(library.path);
  const tui = startTui(stack, { columns: 120, rows: 36 });
  const nc = await connectBus({ url: stack.nats.url, name: "paddock-bench-tui", reconnect: false });
  let following;
  try {
    await tui.until(
      "the TUI with every service healthy",
      (text) => /● results/.test(text) && text.includes("bench"),
    );
    tui.keys("Enter");
    await tui.until("the load scenario", (text) => text.includes("TUI bench load"));
    tui.keys("s");
    const live = await tui.until(
      "the live screen",
      (text) => /Task [0-9a-f-]{36}/.test(text) && /[\d,]+\/s/.test(text),
    );
    const taskId = /Task ([0-9a-f-]{36})/.exec(live)[1];

    const rates = [];
    let measuring = false;
    let finished;
    following = await followTask(nc, taskId, {
      channels: ["lifecycle", "progress"],
      onEvent(event) {
        if (event.type === "ProgressReported" && measuring) rates.push(event.data.rate);
        if (event.type === "WorkloadFinished") finished = event.data;
      },
    });
    // Let the load settle, then measure following alone.
    await sleep(3000);
    const ticks = clockTicks();
    measuring = true;
    const followStart = { cpu: cpuSeconds(tui.pid, ticks), at: performance.now() };
    await sleep(FOLLOW_S * 1000);
    const followEnd = { cpu: cpuSeconds(tui.pid, ticks), at: performance.now() };

    // Keys while the load runs: ] to the next section, [ back to latency, each timed to the screen.
    await tui.until("the latency section", SHOWS.latency, 10_000);
    const latencies = [];
    const keysStart = { cpu: cpuSeconds(tui.pid, ticks), at: performance.now() };
    for (let press = 0; press < PRESSES; press += 1) {
      const away = press % 2 === 0;
      const sentAt = performance.now();
      tui.keys(away ? "]" : "[");
      await tui.until(
        `the ${away ? "next" : "latency"} section after a key`,
        away ? SHOWS.other : SHOWS.latency,
        10_000,
        0,
      );
      latencies.push(performance.now() - sentAt);
      // Keys land at different moments of the 100 ms frame cycle.
      await sleep(120 + ((press * 37) % 160));
    }
    const keysEnd = { cpu: cpuSeconds(tui.pid, ticks), at: performance.now() };
    measuring = false;
    if (finished !== undefined)
      throw new Error("the load ended before the measurements did: raise DURATION_S");

    // End the load, then quit the TUI.
    await fetch(`${stack.runner.url}/tasks/${taskId}/abort`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ soft: false }),
    });
    await tui.until(
      "the task to end on the screen",
      (text) => /Aborted \(hard\)|Response Times/.test(text),
      60_000,
    );

    const sortedRates = [...rates].sort((a, b) => a - b);
    const rate = percentile(sortedRates, 0.5);
    const followCpu = (followEnd.cpu - followStart.cpu) / ((followEnd.at - followStart.at) / 1000);
    const keysCpu = (keysEnd.cpu - keysStart.cpu) / ((keysEnd.at - keysStart.at) / 1000);
    const sorted = [...latencies].sort((a, b) => a - b);
    line(
      "load (progress reports while measured, median)",
      `${fmt(rate)} iterations/s (${rates.length} reports)`,
    );
    line(`TUI CPU following live, ${FOLLOW_S} s`, `${fmt(followCpu * 100, 1)} % of one core`);
    line(`TUI CPU while ${PRESSES} keys are pressed`, `${fmt(keysCpu * 100, 1)} % of one core`);
    line(
      `key → screen shows it (${PRESSES} keys)`,
      `median ${fmt(percentile(sorted, 0.5), 1)} ms · p95 ${fmt(percentile(sorted, 0.95), 1)} ms · max ${fmt(sorted.at(-1), 1)} ms`,
    );
    target("tui load ≥ 20,000 iterations/s", rate >= 20_000);
    target("tui key → screen p95 < 100 ms", percentile(sorted, 0.95) < 100);
    target("tui CPU following < 25 % of one core", followCpu < 0.25);
  } finally {
    await following?.stop().catch(() => undefined);
    tui.keys("q");
    await sleep(500);
    tui.kill();
    await nc.close().catch(() => undefined);
    await stack.stop();
    library.remove();
  }
}
