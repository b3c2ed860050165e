import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { createEvent } from "@paddock/shared/event-codec";
import type { AnyPaddockEvent } from "@paddock/shared/events";
import { EVENTS_STREAM, subjects } from "@paddock/shared/subjects";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectBus, createEventPublisher, ensureStreams, followTask } from "../src/index.js";
import { type NatsServer, startNatsServer } from "../src/server.js";

// @paddock/testkit builds on this package, so these tests start their server directly.
async function eventually(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("bus against a real nats-server", () => {
  let nats: NatsServer;
  let nc: NatsConnection;
  const store = mkdtempSync(join(tmpdir(), "paddock-bus-"));

  beforeAll(async () => {
    nats = await startNatsServer({ storeDir: store });
    nc = await connectBus({ url: nats.url, name: "bus-test" });
    await ensureStreams(nc);
  });

  afterAll(async () => {
    await nc?.close();
    await nats?.stop();
    rmSync(store, { recursive: true, force: true });
  });

  it("stores a published event once even when the publish is retried", async () => {
    const publisher = createEventPublisher(nc);
    const event = createEvent("TaskStarted", "task-dedupe", { runnerId: "r1" });
    await publisher.publish(event);
    await publisher.publish(event);
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(EVENTS_STREAM, {
      subjects_filter: subjects.task("task-dedupe", "lifecycle"),
    });
    expect(info.state.subjects?.[subjects.task("task-dedupe", "lifecycle")]).toBe(1);
  });

  it("replays a task's earlier events to a late follower, then delivers live ones in order", async () => {
    const publisher = createEventPublisher(nc);
    await publisher.publish(createEvent("TaskStarted", "task-follow", { runnerId: "early" }));
    const seen: AnyPaddockEvent[] = [];
    const following = await followTask(nc, "task-follow", {
      channels: ["lifecycle"],
      onEvent: (e) => seen.push(e),
    });
    await publisher.publish(
      createEvent("TaskFinished", "task-follow", { status: "finished", passSla: true }),
    );
    await eventually(() => seen.length === 2, 5000, "two events");
    await following.stop();
    expect(seen.map((e) => e.type)).toEqual(["TaskStarted", "TaskFinished"]);
    expect(seen[0]?.data).toEqual({ runnerId: "early" });
  });

  it("names the address and the fix when NATS is not running", async () => {
    await expect(
      connectBus({ url: "nats://127.0.0.1:1", name: "x", reconnect: false, timeout: 1000 }),
    ).rejects.toThrow(/NATS is not reachable at nats:\/\/127\.0\.0\.1:1 .*NATS_URL/);
  });
});
