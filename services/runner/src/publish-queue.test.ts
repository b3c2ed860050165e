import { createEvent } from "@paddock/shared/event-codec";
import type { IterationRecord } from "@paddock/shared/events";
import { describe, expect, it } from "vitest";
import { MemoryPublisher } from "../test/support/memory-publisher.js";
import { EventPublishFailed, PublishQueue } from "./publish-queue.js";

const record = (seq: number): IterationRecord => ({
  seq,
  timestamp: 1,
  duration: 0,
  idle_duration: 0,
  error: [],
  output: { additive: [], complete: [] },
  atomic_actions: [],
});

const batch = (count: number) =>
  createEvent("IterationsRecorded", "t", {
    workloadId: "w",
    runnerId: "r",
    iterations: Array.from({ length: count }, (_, seq) => record(seq)),
  });

describe("PublishQueue", () => {
  it("retries a failed publish with the same event id", async () => {
    const publisher = new MemoryPublisher();
    publisher.failWith(
      () => new Error("TIMEOUT"),
      () => new Error("TIMEOUT"),
    );
    const queue = new PublishQueue(publisher, { retryDelayMs: 5 });
    const event = createEvent("TaskStarted", "t", { runnerId: "r" });
    await queue.publish(event);
    await queue.drain();
    expect(publisher.attempts).toBe(3);
    expect(publisher.events.map((e) => e.id)).toEqual([event.id]);
  });

  it("splits a batch the server finds too large until it fits", async () => {
    const publisher = new MemoryPublisher();
    const tooLarge = (event: { data: unknown }) =>
      (event.data as { iterations: unknown[] }).iterations.length > 3
        ? new Error("'payload' max_payload size exceeded")
        : undefined;
    publisher.failWith(tooLarge, tooLarge, tooLarge, tooLarge, tooLarge, tooLarge, tooLarge);
    const queue = new PublishQueue(publisher);
    queue.send(batch(10));
    await queue.drain();
    const stored = publisher.ofType("IterationsRecorded").flatMap((e) => e.data.iterations.map((i) => i.seq));
    expect(stored).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(publisher.ofType("IterationsRecorded").every((e) => e.data.iterations.length <= 3)).toBe(true);
  });

  it("keeps at most maxInFlight publishes waiting for acknowledgement", async () => {
    let inFlight = 0;
    let most = 0;
    const publisher = new MemoryPublisher();
    const slow = {
      publish: async (event: Parameters<MemoryPublisher["publish"]>[0]) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight -= 1;
        await publisher.publish(event);
      },
      heartbeat: () => undefined,
    };
    const queue = new PublishQueue(slow, { maxInFlight: 3, highWater: 4 });
    for (let i = 0; i < 20; i += 1) queue.send(createEvent("TaskStarted", `t${i}`, { runnerId: "r" }));
    expect(queue.saturated).toBe(true);
    await queue.whenReady();
    expect(queue.saturated).toBe(false);
    await queue.drain();
    expect(most).toBe(3);
    expect(publisher.events.map((e) => e.taskId)).toEqual(Array.from({ length: 20 }, (_, i) => `t${i}`));
  });

  it("reports a publish that never succeeded when drained", async () => {
    const publisher = new MemoryPublisher();
    publisher.failWith(...Array.from({ length: 3 }, () => () => new Error("connection closed")));
    const queue = new PublishQueue(publisher, { attempts: 3, retryDelayMs: 1 });
    queue.send(createEvent("TaskStarted", "t", { runnerId: "r" }));
    await expect(queue.drain()).rejects.toThrow(EventPublishFailed);
    await expect(queue.drain()).rejects.toThrow("Events could not be published: connection closed");
  });
});
