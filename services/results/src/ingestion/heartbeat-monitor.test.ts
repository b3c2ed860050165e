import { join } from "node:path";
import { createLogger } from "@paddock/http";
import { type TempDir, tempDir } from "@paddock/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dummyTaskScript } from "../../test/fixtures/task-events.js";
import type { ResultStore } from "../store/result-store.js";
import { openSqliteStore } from "../store/sqlite-store.js";
import { applyEvent } from "./apply-event.js";
import { createHeartbeatMonitor } from "./heartbeat-monitor.js";

let dir: TempDir;
let store: ResultStore;
let clockMs: number;
const clock = () => new Date(clockMs);
const advance = (seconds: number) => {
  clockMs += seconds * 1000;
};
const logger = createLogger("results-test", "silent");

beforeEach(() => {
  dir = tempDir("paddock-results-heartbeat-");
  store = openSqliteStore(join(dir.path, "results.sqlite"));
  clockMs = Date.parse("2026-11-23T22:40:00.000Z");
});

afterEach(async () => {
  await store.close();
  dir.remove();
});

async function startTask(taskId: string, runnerId: string, partialBatches: number) {
  // Events stamped well before the monitor's clock: the task has been running a while.
  const script = dummyTaskScript({ taskId, runnerId, iterations: 12, batches: 4 });
  const events = [
    script.queued,
    script.started,
    script.workloadStarted,
    ...script.batches.slice(0, partialBatches),
  ];
  await store.write(async (tx) => {
    for (const event of events) await applyEvent(tx, event, clock);
  });
  return script;
}

describe("heartbeat monitor", () => {
  it("crashes a running task once its runner has been silent longer than the timeout", async () => {
    const script = await startTask("t-silent", "runner-a", 2);
    const monitor = createHeartbeatMonitor({ store, logger, timeoutSeconds: 15, now: clock });

    advance(5);
    monitor.heard("runner-a");
    advance(14);
    expect(await monitor.check()).toEqual([]);
    expect((await store.getTask("t-silent"))?.status).toBe("running");

    advance(2);
    expect(await monitor.check()).toEqual(["t-silent"]);
    const task = await store.getTask("t-silent");
    expect(task).toMatchObject({
      status: "crashed",
      passSla: false,
      reason: "runner runner-a sent no heartbeat for 16 s (timeout 15 s)",
      finishedAt: clock().toISOString(),
      iterations: 6,
    });
    expect(await store.readIterations(script.workloadId, 0, 100)).toHaveLength(6);
    expect(await monitor.check()).toEqual([]);
  });

  it("keeps a task running while its runner keeps heart-beating", async () => {
    await startTask("t-alive", "runner-b", 1);
    const monitor = createHeartbeatMonitor({ store, logger, timeoutSeconds: 15, now: clock });
    for (let i = 0; i < 10; i += 1) {
      advance(10);
      monitor.heard("runner-b");
      expect(await monitor.check()).toEqual([]);
    }
    expect((await store.getTask("t-alive"))?.status).toBe("running");
  });

  it("gives every runner the full timeout after the results service starts", async () => {
    await startTask("t-restart", "runner-c", 1);
    const monitor = createHeartbeatMonitor({ store, logger, timeoutSeconds: 15, now: clock });
    advance(15);
    expect(await monitor.check()).toEqual([]);
    advance(1);
    expect(await monitor.check()).toEqual(["t-restart"]);
  });

  it("judges each runner by its own heartbeats", async () => {
    await startTask("t-a", "runner-a", 1);
    await startTask("t-b", "runner-b", 1);
    const monitor = createHeartbeatMonitor({ store, logger, timeoutSeconds: 15, now: clock });
    advance(10);
    monitor.heard("runner-b");
    advance(10);
    expect(await monitor.check()).toEqual(["t-a"]);
    expect((await store.getTask("t-b"))?.status).toBe("running");
  });

  it("leaves finished and queued tasks alone", async () => {
    const done = dummyTaskScript({ taskId: "t-done", iterations: 4 });
    const queued = dummyTaskScript({ taskId: "t-queued" });
    await store.write(async (tx) => {
      for (const event of [...done.events, queued.queued]) await applyEvent(tx, event, clock);
    });
    const monitor = createHeartbeatMonitor({ store, logger, timeoutSeconds: 15, now: clock });
    advance(3600);
    expect(await monitor.check()).toEqual([]);
    expect((await store.getTask("t-done"))?.status).toBe("finished");
    expect((await store.getTask("t-queued"))?.status).toBe("queued");
  });
});
