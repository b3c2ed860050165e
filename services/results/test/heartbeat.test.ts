/**
 * Heartbeats over a real nats-server feed the crash detection; time is an injected clock.
 */
import { join } from "node:path";
import type { NatsConnection } from "@nats-io/transport-node";
import { connectBus, createEventPublisher, ensureStreams } from "@paddock/bus";
import { createLogger } from "@paddock/http";
import { createEvent } from "@paddock/shared/event-codec";
import { subjects } from "@paddock/shared/subjects";
import { eventually, startTestNats, type TempDir, type TestNats, tempDir } from "@paddock/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EventConsumer, startEventConsumer } from "../src/ingestion/event-consumer.js";
import {
  createHeartbeatMonitor,
  type HeartbeatMonitor,
  subscribeHeartbeats,
} from "../src/ingestion/heartbeat-monitor.js";
import type { ResultStore } from "../src/store/result-store.js";
import { openSqliteStore } from "../src/store/sqlite-store.js";
import { dummyTaskScript } from "./fixtures/task-events.js";

const logger = createLogger("results-test", "silent");
let nats: TestNats;
let nc: NatsConnection;
let dir: TempDir;
let store: ResultStore;
let consumer: EventConsumer;

beforeAll(async () => {
  nats = await startTestNats();
  nc = await connectBus({ url: nats.url, name: "results-heartbeat-test" });
  await ensureStreams(nc);
  dir = tempDir("paddock-results-heartbeat-");
  store = openSqliteStore(join(dir.path, "results.sqlite"));
  consumer = await startEventConsumer({ nc, store, logger });
});

afterAll(async () => {
  await consumer?.stop();
  await store?.close();
  await nc?.close();
  await nats?.dispose();
  dir?.remove();
});

describe("heartbeats over NATS", () => {
  it("keeps a task running while its runner heart-beats, and crashes it when the runner falls silent", async () => {
    let clockMs = Date.parse("2026-11-23T22:40:00.000Z");
    const clock = () => new Date(clockMs);
    const monitor = createHeartbeatMonitor({ store, logger, timeoutSeconds: 15, now: clock });
    const heard: string[] = [];
    const observed: HeartbeatMonitor = {
      ...monitor,
      heard(runnerId) {
        heard.push(runnerId);
        monitor.heard(runnerId);
      },
    };
    const subscription = subscribeHeartbeats(nc, observed, logger);
    const publisher = createEventPublisher(nc);

    const script = dummyTaskScript({ taskId: "task-hb", runnerId: "runner-hb", iterations: 12, batches: 3 });
    for (const event of [
      script.queued,
      script.started,
      script.workloadStarted,
      ...script.batches.slice(0, 2),
    ]) {
      await publisher.publish(event);
    }
    await eventually(
      async () => (await store.getTask("task-hb"))?.iterations === 8,
      10_000,
      "partial data stored",
    );

    clockMs += 10_000;
    publisher.heartbeat(
      createEvent("RunnerHeartbeat", "", { runnerId: "runner-hb", tasks: ["task-hb"], ttl: 15 }),
    );
    nc.publish(subjects.heartbeat("runner-hb"), new TextEncoder().encode("not a heartbeat"));
    await eventually(() => heard.length === 1, 10_000, "the heartbeat");

    clockMs += 10_000;
    expect(await monitor.check()).toEqual([]);
    clockMs += 6_000;
    expect(await monitor.check()).toEqual(["task-hb"]);
    expect(await store.getTask("task-hb")).toMatchObject({
      status: "crashed",
      reason: "runner runner-hb sent no heartbeat for 16 s (timeout 15 s)",
      iterations: 8,
    });
    expect(await store.readIterations(script.workloadId, 0, 100)).toEqual(
      script.iterations
        .filter((i) => script.batches.slice(0, 2).some((b) => b.data.iterations.includes(i)))
        .sort((a, b) => a.seq - b.seq),
    );
    expect(heard).toEqual(["runner-hb"]);
    subscription.unsubscribe();
  });
});
