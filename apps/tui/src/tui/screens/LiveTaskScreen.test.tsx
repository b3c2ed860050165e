import { createEvent } from "@paddock/shared/event-codec";
import { afterEach, describe, expect, it } from "vitest";
import { DURATION_SPEC, DURATION_WORKLOAD_ID, hookedRunEvents } from "../../../test/fixtures/index.js";
import { distributedRpsEvents } from "../../../test/fixtures/live.js";
import { expectFits } from "../../../test/support/frames.js";
import { KEYS, type RenderedTui, renderTui } from "../../../test/support/render-tui.js";
import { twinBus, twinClients } from "../../../test/support/twins.js";
import { App } from "../App.js";

const TASK_ID = "d3m0d3m0-0000-4000-8000-000000000042";

let ui: RenderedTui | undefined;
afterEach(() => {
  ui?.unmount();
  ui = undefined;
});

function joinLate(size: { columns?: number; rows?: number } = {}) {
  const clients = twinClients();
  const bus = twinBus();
  for (const event of hookedRunEvents(TASK_ID)) bus.emit(event);
  ui = renderTui(
    <App deps={{ clients, bus, resultsWaitMs: 5000, frameMs: 20 }} initialTaskId={TASK_ID} />,
    size,
  );
  return { clients, bus, ui };
}

describe("Live task in depth", () => {
  it("joins late and shows progress, ETA, percentiles, p95 sparkline, then errors by type and hooks at 80×24", async () => {
    const { ui } = joinLate();
    const frame = await ui.waitFor("p95 ▁▁▃▄▆█");
    expect(frame).toMatch(/1\.1 Dummy\.dummy_random_fail_in_… █+░+ 120\/200 \(60%\)/);
    expect(frame).toContain("  20.0/s · 4 in flight · 11 errors · p95 70.2 ms · 6.0 s · ETA 4.0 s");
    expect(frame).toContain(
      "─ 1.1 Dummy.dummy_random_fail_in_atomic · constant — Outputs and random failu… ─",
    );
    expect(frame).toContain("SLA: no verdict yet");
    expect(frame).toContain(" Latency  SLA  Errors & hooks\n");
    expect(frame).toContain("p95 ▁▁▃▄▆█ 51.2 ms–70.2 ms (6 s)");
    expect(frame).toMatch(/p50 █{15}▋ +25\.1 ms/);
    expect(frame).toMatch(/max █{64} +103\.2 ms/);
    expect(frame).toContain("↑/↓ workload  ]/[ section  a abort  A hard abort  Esc back");
    expectFits(frame);
    await ui.press("[");
    const events = await ui.waitFor("Hook #0");
    expect(events).toContain("Errors: DummyScenarioException ×7 · KeyError ×4");
    expect(events).toContain("Hook #0 sys_call ✓ at iteration 50 (0.12 s)");
    expectFits(events);
    await ui.press("[");
    await ui.waitFor("No SLA verdict yet: the runner reports each criterion as iterations arrive.");
  });

  it("picks the workload shown with ↑/↓, and estimates a duration-bound runner's time left", async () => {
    const { ui, bus } = joinLate();
    await ui.waitFor("p95 ▁▁▃▄▆█");
    bus.emit(
      createEvent("WorkloadStarted", TASK_ID, {
        workloadId: DURATION_WORKLOAD_ID,
        subtaskIndex: 0,
        position: 1,
        subtaskTitle: "HTTP for a fixed duration",
        spec: DURATION_SPEC,
        expectedIterations: null,
      }),
    );
    await ui.waitFor("1.2 HttpRequests.check_request");
    await ui.press(KEYS.down);
    const empty = await ui.waitFor("No latency yet");
    expect(empty).toContain("› 1.2 HttpRequests.check_reques… ░░");
    expect(empty).toContain("  0.0/s · 0 in flight · 0 errors · 0.0 s · ETA 30 s");
    bus.emit(
      createEvent("ProgressReported", TASK_ID, {
        workloadId: DURATION_WORKLOAD_ID,
        runnerId: "runner-1",
        completed: 5120,
        failed: 2,
        expected: null,
        inFlight: 2,
        elapsed: 12,
        rate: 426.7,
        latency: { p50: 0.0031, p90: 0.0042, p95: 0.0047, p99: 0.0093, max: 0.0211 },
        errorsByType: { HTTPError: 2 },
      }),
    );
    const duration = await ui.waitFor("ETA 18 s");
    expect(duration).toContain("  427/s · 2 in flight · 2 errors · p95 4.70 ms · 12.0 s · ETA 18 s");
    await ui.press("]");
    await ui.press("]");
    await ui.waitFor("Errors: HTTPError ×2");
    expectFits(duration);
    await ui.press(KEYS.up);
    await ui.waitFor("› 1.1 Dummy.dummy_random_fail");
  });

  it("aborts hard after confirming, and keeps running on n", async () => {
    const { ui, clients } = joinLate();
    await ui.waitFor("p95 ▁▁▃▄▆█");
    await ui.press("A");
    const question = await ui.waitFor("HARD");
    expect(question).toContain("Abort task d3m0d3m0… HARD (iterations in flight are interrupted)? y/n");
    expect(question).toContain("y abort  n/Esc keep running");
    expectFits(question);
    await ui.press("n");
    await ui.waitFor("A hard abort");
    expect(clients.aborted).toEqual([]);
    await ui.press("A");
    await ui.waitFor("HARD");
    await ui.press("y");
    await ui.waitFor(`Hard abort of task ${TASK_ID} requested`);
    expect(clients.aborted).toEqual([{ taskId: TASK_ID, soft: false }]);
  });

  it("uses the space at 200×60 (detail side by side) and lays out again when the terminal shrinks", async () => {
    const { ui } = joinLate({ columns: 200, rows: 60 });
    const wide = await ui.waitFor("Hook #0");
    expect(wide).toContain("SLA: no verdict yet");
    expect(wide.split("\n")[0]).toMatch(
      /^Paddock {2}1 Scenarios {2}2 Live task {2}3 Tasks {2}4 Environments +● NATS ● catalog ● runner ◐ results$/,
    );
    expect(wide).toMatch(/p95 ▁▁▃▄▆█ 51\.2 ms–70\.2 ms \(6 s\) +No SLA verdict yet/);
    expect(wide).toMatch(/p50 █+▉? +25\.1 ms +Errors: DummyScenarioException ×7 · KeyError ×4/);
    expect(wide).toMatch(/p90 █+▏ +46\.3 ms +Hook #0 sys_call ✓ at iteration 50/);
    expect(wide).toMatch(/█{90,}░+ 120\/200 \(60%\)/);
    expectFits(wide, 200, 60);
    ui.resize(80, 24);
    const narrow = await ui.waitFor(/^Paddock {2}1 Scenarios {2}2 Live {2}3 Tasks/);
    await ui.waitFor(/p95 ▁▁▃▄▆█ 51\.2 ms–70\.2 ms \(6 s\)\n/);
    expectFits(ui.frame());
    expect(narrow).not.toContain("Environments");
  });
});

describe("a distributed rate-driven workload", () => {
  function follow(size: { columns?: number; rows?: number } = {}) {
    const clients = twinClients();
    const bus = twinBus();
    for (const event of distributedRpsEvents(TASK_ID, 3)) bus.emit(event);
    ui = renderTui(
      <App deps={{ clients, bus, resultsWaitMs: 5000, frameMs: 20 }} initialTaskId={TASK_ID} />,
      size,
    );
    return ui;
  }

  it("shows the lost runner and the SLA lights at a glance, then the histogram, atomics and runners at 80×24", async () => {
    const ui = follow();
    const glance = await ui.waitFor("✗ runner runner-c LOST");
    expect(glance).toContain(
      "✗ runner runner-c LOST  SLA ● failure_rate ● max_avg_duration  · lag p99 3.10 ms",
    );
    expect(glance).toContain(" Latency  Histogram  Atomics  SLA  Runners  Errors & hooks\n");
    expect(glance).toContain("lag p50 0.12 ms · p99 3.10 ms · max 9.40 ms · 123 started late");
    expect(glance).toContain("6000/60000 (10%)");
    expectFits(glance);

    await ui.press("]");
    const histogram = await ui.waitFor("6,000 iterations since the start");
    expect(histogram).toMatch(/ +[\d.]+ ms [█▏▎▍▌▋▊▉]+ +[\d,]+\n/);
    expectFits(histogram);

    await ui.press("]");
    const atomics = await ui.waitFor(/action +count +failed +p50 +p95 +max/);
    expect(atomics).toMatch(/dummy_fail_inner_test +6,000 +114 +[\d.]+ ms/);

    await ui.press("]");
    const sla = await ui.waitFor(
      "● failure_rate (so far) Failure rate criteria 0.00% <= 1.90% <= 1.00% - Failed",
    );
    expect(sla).toContain(
      "● max_avg_duration (so far)\n  Average duration of one iteration 0.003s <= 0.004s - Passed",
    );

    await ui.press("]");
    const runners = await ui.waitFor(/runner-c +✗ LOST +800 +15 +0 +0\.0\/s/);
    expect(runners).toMatch(/runner-a +● running +2,400 +46 +3 +800\/s/);
    expect(runners).toContain("  runner runner-c sent no heartbeat for 2.1 s (ttl 2 s)");
    expectFits(runners);
  });

  it("at 200×60 puts the SLA lights and errors beside the section", async () => {
    const ui = follow({ columns: 200, rows: 60 });
    const wide = await ui.waitFor(/Failed\n/);
    expect(wide).toMatch(
      /p95 [▁▂▃▄▅▆▇█]+ [\d.]+ ms–[\d.]+ ms \(3 s\) +● failure_rate \(so far\) Failure rate criteria/,
    );
    expect(wide).toMatch(/lag p50 0\.12 ms .* +● max_avg_duration \(so far\)/);
    expectFits(wide, 200, 60);
    await ui.press("]");
    const histogram = await ui.waitFor("6,000 iterations since the start");
    expect(histogram.split("\n").filter((row) => / ms [█▏▎▍▌▋▊▉]+ +[\d,]+/.test(row)).length).toBeGreaterThan(
      10,
    );
    expectFits(histogram, 200, 60);
  });
});
