/**
 * The live screen on a real nats-server: a task's events already in JetStream are replayed, new
 * ones arrive live, the report follows, and the header notices when NATS goes away.
 */
import { connectBus, createEventPublisher, ensureStreams } from "@paddock/bus";
import { startTestNats, type TestNats } from "@paddock/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLiveBus, type LiveBus } from "../src/live/live-bus.js";
import { App } from "../src/tui/App.js";
import { dummyRunDetail, dummyRunEvents } from "./fixtures/index.js";
import { distributedRpsEvents } from "./fixtures/live.js";
import { expectFits } from "./support/frames.js";
import { type RenderedTui, renderTui } from "./support/render-tui.js";
import { twinClients } from "./support/twins.js";

let nats: TestNats | undefined;
let nc: Awaited<ReturnType<typeof connectBus>> | undefined;
let bus: LiveBus | undefined;
let ui: RenderedTui | undefined;

beforeAll(async () => {
  nats = await startTestNats();
  nc = await connectBus({ url: nats.url, name: "tui-test-publisher" });
  await ensureStreams(nc);
});

afterAll(async () => {
  ui?.unmount();
  await bus?.close();
  await nc?.close().catch(() => undefined);
  await nats?.dispose();
});

describe("the live screen on NATS", () => {
  it("shows a distributed rate run's SLA lights, lost runner, histogram and atomics, at a capped frame rate", async () => {
    const server = nats as TestNats;
    const taskId = "live-nats-0002";
    const publisher = createEventPublisher(nc as NonNullable<typeof nc>);
    const events = distributedRpsEvents(taskId, 1);
    for (const event of events) await publisher.publish(event);

    const clients = twinClients();
    const followBus = createLiveBus({ url: server.url, name: "paddock-tui-test-rate" });
    const frameMs = 50;
    const view = renderTui(
      <App
        deps={{ clients, bus: followBus, resultsWaitMs: 10_000, healthIntervalMs: 60_000, frameMs }}
        initialTaskId={taskId}
      />,
    );
    try {
      const first = await view.waitFor("2000/60000 (3%)");
      expect(first).toContain("SLA ● failure_rate ● max_avg_duration  · 3 runners  · lag p99 3.10 ms");
      expectFits(first);

      // A burst of progress reports, far faster than a frame: each one later, bigger, with its window.
      const [template] = distributedRpsEvents(taskId, 3).slice(-1);
      if (template?.type !== "ProgressReported") throw new Error("fixture");
      const before = view.frameCount();
      const startedAt = Date.now();
      const reports = 300;
      await Promise.all(
        Array.from({ length: reports }, (_, index) =>
          publisher.publish({
            ...template,
            id: `${taskId}-burst-${index}`,
            data: { ...template.data, completed: 2000 + (index + 1) * 100, elapsed: 1 + index / 100 },
          }),
        ),
      );
      const last = await view.waitFor(`${2000 + reports * 100}/60000 (53%)`);
      const frames = view.frameCount() - before;
      const elapsedMs = Date.now() - startedAt;
      expect(frames).toBeLessThanOrEqual(Math.ceil(elapsedMs / frameMs) + 5);
      expect(last).toContain("✗ runner runner-c LOST");

      await view.press("]");
      const histogram = await view.waitFor(/[\d,]+ iterations since the start/);
      const total = Number(/([\d,]+) iterations since the start/.exec(histogram)?.[1]?.replace(/,/g, ""));
      expect(total).toBe(2000 + reports * 2000);
      await view.press("]");
      await view.waitFor(/dummy_fail_test +[\d,]+ +[\d,]+ +[\d.]+ ms/);
      await view.press("]");
      await view.press("]");
      const runners = await view.waitFor(/runner-c +✗ LOST/);
      expectFits(runners);
    } finally {
      view.unmount();
      await followBus.close();
    }
  });

  it("replays a task joined late, follows it live, then shows the report", async () => {
    const server = nats as TestNats;
    const taskId = "live-nats-0001";
    const publisher = createEventPublisher(nc as NonNullable<typeof nc>);
    const events = dummyRunEvents(taskId, { passSla: false });
    for (const event of events.slice(0, 4)) await publisher.publish(event);

    const clients = twinClients();
    bus = createLiveBus({ url: server.url, name: "paddock-tui-test" });
    ui = renderTui(
      <App
        deps={{ clients, bus, resultsWaitMs: 10_000, healthIntervalMs: 100, frameMs: 50 }}
        initialTaskId={taskId}
      />,
    );
    const replayed = await ui.waitFor("40/100 (40%)");
    expect(replayed).toContain(`Task ${taskId}`);
    expect(replayed).toContain(
      "Dummy — the smallest benchmark · env local · workloads 0/1 · runner runner-1",
    );
    await ui.waitFor("●NATS");

    await publisher.publish(events[4] as (typeof events)[number]);
    const live = await ui.waitFor("80/100 (80%)");
    expect(live).toContain("8 errors");
    expectFits(live);

    clients.details.set(taskId, dummyRunDetail(taskId, { passSla: false }));
    for (const event of events.slice(5)) await publisher.publish(event);
    const report = await ui.waitFor("Response Times (sec)");
    expect(report).toContain("finished, SLA failed");
    expect(report).toContain("FAIL failure_rate: Failure rate criteria 0.00% <= 10.00% <= 0.00% - Failed");
    expectFits(report);

    await nc?.close();
    nc = undefined;
    await server.dispose();
    nats = undefined;
    await ui.waitFor("✗NATS", 15_000);
  });
});
