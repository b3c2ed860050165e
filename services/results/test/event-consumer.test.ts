/**
 * Ingestion against a real nats-server (JetStream) and a real SQLite file: a realistic task's
 * events, a malformed message, duplicates, a restart on the same file, and a store that fails.
 */
import { join } from "node:path";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { connectBus, createEventPublisher, ensureStreams } from "@paddock/bus";
import { createLogger } from "@paddock/http";
import { createEvent, encodeEvent } from "@paddock/shared/event-codec";
import { EVENTS_STREAM, RESULTS_CONSUMER, subjects } from "@paddock/shared/subjects";
import { eventually, startTestNats, type TempDir, type TestNats, tempDir } from "@paddock/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type EventConsumer, startEventConsumer } from "../src/ingestion/event-consumer.js";
import { computeWorkloadFigures } from "../src/statistics/workload-figures.js";
import type { ResultStore } from "../src/store/result-store.js";
import { openSqliteStore } from "../src/store/sqlite-store.js";
import { dummyTaskScript } from "./fixtures/task-events.js";

const logger = createLogger("results-test", "silent");
const MALFORMED =
  '{"id":"bad-1","type":"TaskStarted","taskId":"task-one","occurredAt":"2026-11-23T22:39:22Z","data":{';

let nats: TestNats;
let nc: NatsConnection;
let dir: TempDir;
let file: string;
const opened: { store: ResultStore; consumer?: EventConsumer }[] = [];

async function startResults(options: { batchSize?: number; maxAttempts?: number } = {}) {
  const store = openSqliteStore(file);
  const consumer = await startEventConsumer({ nc, store, logger, ...options });
  opened.push({ store, consumer });
  return { store, consumer };
}

async function stopResults(running: { store: ResultStore; consumer: EventConsumer }) {
  await running.consumer.stop();
  await running.store.close();
}

async function consumerState() {
  const jsm = await jetstreamManager(nc);
  const info = await jsm.consumers.info(EVENTS_STREAM, RESULTS_CONSUMER);
  return { pending: info.num_pending, ackPending: info.num_ack_pending, redelivered: info.num_redelivered };
}

async function snapshot(store: ResultStore, taskId: string) {
  const workloads = await store.listWorkloads(taskId);
  return {
    task: await store.getTask(taskId),
    workloads,
    iterations: await Promise.all(workloads.map((w) => store.readIterations(w.id, 0, 1_000_000))),
  };
}

beforeEach(async () => {
  nats = await startTestNats();
  nc = await connectBus({ url: nats.url, name: "results-consumer-test" });
  await ensureStreams(nc);
  dir = tempDir("paddock-results-consumer-");
  file = join(dir.path, "data", "results.sqlite");
});

afterEach(async () => {
  for (const { store, consumer } of opened.splice(0)) {
    await consumer?.stop();
    await store.close();
  }
  await nc?.close();
  await nats?.dispose();
  dir?.remove();
});

describe("event consumer", () => {
  it("stores a task's events durably and exactly once, parks a malformed message and survives a restart", async () => {
    const publisher = createEventPublisher(nc);
    const js = jetstream(nc);
    const one = dummyTaskScript({ taskId: "task-one", iterations: 240, batches: 7 });
    const [b0, b1, b2, b3, ...rest] = one.batches;
    if (!b0 || !b1 || !b2 || !b3) throw new Error("expected at least four batches");

    let results = await startResults({ batchSize: 4 });
    await publisher.publish(one.queued);
    await publisher.publish(one.started);
    await publisher.publish(one.workloadStarted);
    await publisher.publish(one.contextSetUp);
    await publisher.publish(b0);
    await js.publish(subjects.task("task-one", "lifecycle"), new TextEncoder().encode(MALFORMED), {
      msgID: "bad-1",
    });
    await publisher.publish(b1);
    await publisher.publish(b1); // a retried publish: the stream keeps one
    await publisher.publish(one.progress);
    await publisher.publish(b2);
    // The same event again without a message id: the stream keeps both, the consumer must not.
    await js.publish(subjects.task("task-one", "iterations"), encodeEvent(b2));
    await publisher.publish(one.hook);
    for (const batch of [b3, ...rest]) await publisher.publish(batch);
    await publisher.publish(one.contextCleanedUp);
    await publisher.publish(one.workloadFinished);
    await publisher.publish(one.finished);

    const { store } = results;
    await eventually(
      async () => (await store.getTask("task-one"))?.status === "finished",
      20_000,
      "task-one finished",
    );
    const state = await snapshot(store, "task-one");
    const failed = one.iterations.filter((i) => i.error.length > 0).length;
    expect(state.task).toMatchObject({
      title: "Dummy benchmark",
      status: "finished",
      passSla: true,
      iterations: 240,
      failedIterations: failed,
      runnerId: "runner-a",
    });
    expect(state.workloads).toHaveLength(1);
    expect(state.workloads[0]).toMatchObject({
      status: "finished",
      totalIterationCount: 240,
      failedIterationCount: failed,
      storedIterationCount: 240,
      storedFailedCount: failed,
      contextsResults: [one.contextSetUp.data.result, one.contextCleanedUp.data.result],
      hookResults: [{ hookIndex: 0, result: one.hook.data.result }],
    });
    // Every iteration, by seq, exactly as published.
    expect(state.iterations[0]?.map((i) => i.seq)).toEqual(one.iterations.map((i) => i.seq));
    expect(state.iterations[0]).toEqual(one.iterations);
    // Statistics: Rally's, over all 240 iterations.
    const statistics = state.workloads[0]?.statistics;
    expect(statistics).toEqual(computeWorkloadFigures(one.iterations).statistics);
    expect(statistics?.durations.total.data).toMatchObject({
      iteration_count: 240,
      success: `${((1 - failed / 240) * 100).toFixed(1)}%`,
      min: 0.05,
    });
    expect(statistics?.durations.atomics.map((row) => [row.name, row.children.map((c) => c.name)])).toEqual([
      ["foo", ["bar"]],
    ]);

    const parked = await store.listParked(10);
    expect(parked).toHaveLength(1);
    expect(parked[0]).toMatchObject({
      subject: "paddock.task.task-one.lifecycle",
      eventId: "bad-1",
      raw: MALFORMED,
    });
    expect(parked[0]?.reason).toMatch(/^event is not JSON/);
    expect(parked[0]?.streamSeq).toBe(6);
    expect(results.consumer.stats()).toMatchObject({ parked: 1, duplicates: 1, ignored: 1 });
    await eventually(async () => (await consumerState()).ackPending === 0, 10_000, "every message acked");
    expect(await consumerState()).toMatchObject({ pending: 0, ackPending: 0 });

    // Stop, publish more while results is down, restart on the same file.
    await stopResults(results as { store: ResultStore; consumer: EventConsumer });
    const two = dummyTaskScript({
      taskId: "task-two",
      iterations: 57,
      batches: 3,
      queuedAt: "2026-11-23T23:10:00.000Z",
    });
    for (const event of two.events) await publisher.publish(event);
    await js.publish(subjects.task("task-one", "iterations"), encodeEvent(b0));
    await js.publish(subjects.task("task-one", "lifecycle"), encodeEvent(one.finished));

    results = await startResults({ batchSize: 100 });
    await eventually(
      async () => (await results.store.getTask("task-two"))?.status === "finished",
      20_000,
      "task-two",
    );
    await eventually(
      async () => (await consumerState()).pending === 0 && (await consumerState()).ackPending === 0,
    );

    expect(await snapshot(results.store, "task-one")).toEqual(state);
    const second = await snapshot(results.store, "task-two");
    expect(second.task).toMatchObject({ status: "finished", iterations: 57 });
    expect(second.iterations[0]).toEqual(two.iterations);
    expect(second.workloads[0]?.statistics).toEqual(computeWorkloadFigures(two.iterations).statistics);
    expect(await results.store.listParked(10)).toEqual(parked);
    expect(results.consumer.stats()).toMatchObject({ duplicates: 2, parked: 0 });
    expect((await results.store.listTasks({ limit: 10 })).tasks.map((t) => t.id)).toEqual([
      "task-two",
      "task-one",
    ]);
  });

  it("parks events whose subject disagrees with them, and keeps going", async () => {
    const js = jetstream(nc);
    const publisher = createEventPublisher(nc);
    const results = await startResults();
    const script = dummyTaskScript({ taskId: "task-right", iterations: 5, batches: 1 });
    const heartbeat = createEvent("RunnerHeartbeat", "", { runnerId: "r1", tasks: [], ttl: 15 });
    await js.publish(subjects.task("task-wrong", "lifecycle"), encodeEvent(script.started));
    await js.publish(subjects.task("task-right", "lifecycle"), encodeEvent(heartbeat));
    await js.publish(subjects.task("task-right", "lifecycle"), new TextEncoder().encode('{"type":"Nope"}'));
    for (const event of script.events) await publisher.publish(event);

    await eventually(async () => (await results.store.getTask("task-right"))?.status === "finished", 20_000);
    const reasons = (await results.store.listParked(10)).map((p) => p.reason);
    expect(reasons).toEqual([
      "subject paddock.task.task-wrong.lifecycle names task 'task-wrong' but the event is about task 'task-right'",
      "a RunnerHeartbeat does not belong on a task subject",
      expect.stringMatching(/^event has unknown type "Nope"/),
    ]);
    expect(await results.store.getTask("task-wrong")).toBeUndefined();
  });

  it("acks nothing it could not write: a failing store leaves the message for the next consumer", async () => {
    const publisher = createEventPublisher(nc);
    const broken = openSqliteStore(file);
    await broken.close();
    const consumer = await startEventConsumer({ nc, store: broken, logger, maxAttempts: 1000 });
    opened.push({ store: broken, consumer });
    const script = dummyTaskScript({ taskId: "task-late", iterations: 5, batches: 1 });
    await publisher.publish(script.queued);

    await eventually(async () => (await consumerState()).redelivered > 0, 15_000, "a redelivery");
    expect((await consumerState()).ackPending).toBe(1);
    await consumer.stop();

    const results = await startResults();
    await eventually(
      async () => (await results.store.getTask("task-late"))?.status === "queued",
      20_000,
      "task-late",
    );
    await eventually(async () => (await consumerState()).ackPending === 0, 10_000, "acked once written");
    expect(await results.store.listParked(10)).toEqual([]);
  });
});
