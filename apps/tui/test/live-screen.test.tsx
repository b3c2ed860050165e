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
