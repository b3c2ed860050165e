/**
 * The results service's metrics against a real nats-server and a real SQLite file: ingestion by
 * type and outcome, a parked message, timed store writes, and the consumer's lag while it is
 * stopped.
 */
import { join } from "node:path";
import { jetstream } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { connectBus, createEventPublisher, ensureStreams } from "@paddock/bus";
import { createLogger, createMetricsRegistry } from "@paddock/http";
import { subjects } from "@paddock/shared/subjects";
import { eventually, startTestNats, type TempDir, type TestNats, tempDir } from "@paddock/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEventConsumer } from "../src/ingestion/event-consumer.js";
import { ingestionCounter, sampleConsumerLag, timeStoreWrites } from "../src/results-metrics.js";
import type { ResultStore } from "../src/store/result-store.js";
import { openSqliteStore } from "../src/store/sqlite-store.js";
import { dummyTaskScript } from "./fixtures/task-events.js";

let nats: TestNats;
let nc: NatsConnection;
let dir: TempDir;
let store: ResultStore;

beforeAll(async () => {
  nats = await startTestNats();
  nc = await connectBus({ url: nats.url, name: "results-metrics-test" });
  await ensureStreams(nc);
  dir = tempDir("paddock-results-metrics-");
  store = openSqliteStore(join(dir.path, "results.sqlite"));
});

afterAll(async () => {
  await store?.close();
  await nc?.close();
  await nats?.dispose();
  dir?.remove();
});

/** The value of one sample line (`name{labels} value`) in the exposition, or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("results metrics", () => {
  it("count ingested events by type and outcome, parked messages, store writes, and the consumer's lag", async () => {
    const registry = createMetricsRegistry();
    sampleConsumerLag(nc, registry);
    const consumer = await startEventConsumer({
      nc,
      store: timeStoreWrites(store, registry),
      logger: createLogger("results-test", "silent"),
      onOutcome: ingestionCounter(registry),
    });
    const publisher = createEventPublisher(nc);
    const script = dummyTaskScript({ taskId: "task-m", iterations: 30, batches: 3 });
    const events = [
      script.queued,
      script.started,
      script.workloadStarted,
      ...script.batches,
      script.progress,
    ];
    for (const event of events) await publisher.publish(event);
    // Not an event: parked, and counted as such.
    await jetstream(nc).publish(subjects.task("task-m", "lifecycle"), new TextEncoder().encode("{not json"));

    const text = await eventually(
      async () => {
        const exposed = await registry.expose();
        return sample(exposed, 'paddock_results_events_parked_total{type="unknown"}') === 1 &&
          sample(
            exposed,
            'paddock_results_events_ingested_total{type="IterationsRecorded",outcome="applied"}',
          ) === 3
          ? exposed
          : undefined;
      },
      20_000,
      "every message counted",
    );
    expect(sample(text, 'paddock_results_events_ingested_total{type="TaskQueued",outcome="applied"}')).toBe(
      1,
    );
    expect(
      sample(text, 'paddock_results_events_ingested_total{type="ProgressReported",outcome="ignored"}'),
    ).toBe(1);
    expect(sample(text, 'paddock_results_events_ingested_total{type="unknown",outcome="parked"}')).toBe(1);
    expect(sample(text, "paddock_results_store_write_duration_seconds_count")).toBeGreaterThan(0);
    expect(sample(text, "paddock_results_store_write_failures_total")).toBe(0);
    expect(sample(text, "paddock_results_consumer_sample_ok")).toBe(1);

    // With the consumer stopped, what is published waits in JetStream: that is the lag.
    await consumer.stop();
    for (const event of [script.hook, script.workloadFinished, script.finished])
      await publisher.publish(event);
    const lagging = await registry.expose();
    expect(sample(lagging, "paddock_results_consumer_pending_messages")).toBe(3);

    const resumed = await startEventConsumer({
      nc,
      store: timeStoreWrites(store, registry),
      logger: createLogger("results-test", "silent"),
      onOutcome: ingestionCounter(registry),
    });
    try {
      await eventually(
        async () => sample(await registry.expose(), "paddock_results_consumer_pending_messages") === 0,
        20_000,
        "the consumer to catch up",
      );
      expect(
        sample(
          await registry.expose(),
          'paddock_results_events_ingested_total{type="TaskFinished",outcome="applied"}',
        ),
      ).toBe(1);
    } finally {
      await resumed.stop();
    }
  });

  it("leaves the store's other methods working through the timing proxy", async () => {
    const timed = timeStoreWrites(store, createMetricsRegistry());
    const task = await timed.getTask("task-m");
    expect(task?.id).toBe("task-m");
  });
});
