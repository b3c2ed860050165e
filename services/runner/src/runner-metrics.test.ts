import type { EventPublisher } from "@paddock/bus";
import { createMetricsRegistry } from "@paddock/http";
import { createEvent } from "@paddock/shared/event-codec";
import type { IterationRecord, PaddockEvent } from "@paddock/shared/events";
import { describe, expect, it } from "vitest";
import { instrumentPublisher } from "./runner-metrics.js";

/** An in-memory publisher that stores what it is given, or fails when told to. */
function twinPublisher() {
  const stored: PaddockEvent[] = [];
  let failing = false;
  const publisher: EventPublisher = {
    async publish(event) {
      if (failing) throw new Error("stream unavailable");
      stored.push(event);
    },
    heartbeat(event) {
      stored.push(event);
    },
  };
  return { publisher, stored, fail: () => (failing = true) };
}

function iteration(seq: number, failed: boolean): IterationRecord {
  return {
    seq,
    timestamp: 1_700_000_000 + seq,
    duration: 0.01,
    idle_duration: 0,
    error: failed ? ["ValueError", "boom", ""] : [],
    output: { additive: [], complete: [] },
    atomic_actions: [],
  } as unknown as IterationRecord;
}

describe("instrumentPublisher", () => {
  it("counts published events by type, iterations, failed iterations and publish latency", async () => {
    const registry = createMetricsRegistry();
    const twin = twinPublisher();
    let clock = 0;
    const publisher = instrumentPublisher(twin.publisher, registry, () => {
      clock += 4;
      return clock;
    });
    await publisher.publish(
      createEvent("IterationsRecorded", "task-1", {
        workloadId: "w-1",
        runnerId: "r-1",
        iterations: [iteration(0, false), iteration(1, true), iteration(2, false)],
      }),
    );
    await publisher.publish(createEvent("TaskFinished", "task-1", { status: "finished", passSla: true }));
    expect(twin.stored).toHaveLength(2);

    const text = await registry.expose();
    expect(text).toContain('paddock_runner_events_published_total{type="IterationsRecorded"} 1\n');
    expect(text).toContain('paddock_runner_events_published_total{type="TaskFinished"} 1\n');
    expect(text).toContain("paddock_runner_iterations_total 3\n");
    expect(text).toContain("paddock_runner_iterations_failed_total 1\n");
    // Each publish took 4 ms on the injected clock.
    expect(text).toContain("paddock_runner_publish_duration_seconds_count 2\n");
    expect(text).toContain("paddock_runner_publish_duration_seconds_sum 0.008\n");
    expect(text).toContain('paddock_runner_publish_duration_seconds_bucket{le="0.005"} 2\n');
  });

  it("counts a failed publish without counting it as published, and passes the error on", async () => {
    const registry = createMetricsRegistry();
    const twin = twinPublisher();
    const publisher = instrumentPublisher(twin.publisher, registry);
    twin.fail();
    await expect(
      publisher.publish(createEvent("TaskFinished", "task-2", { status: "finished", passSla: true })),
    ).rejects.toThrow("stream unavailable");
    const text = await registry.expose();
    expect(text).toContain('paddock_runner_publish_failures_total{type="TaskFinished"} 1\n');
    expect(text).not.toContain('paddock_runner_events_published_total{type="TaskFinished"}');
  });

  it("reports the tasks running from each heartbeat", async () => {
    const registry = createMetricsRegistry();
    const publisher = instrumentPublisher(twinPublisher().publisher, registry);
    publisher.heartbeat(createEvent("RunnerHeartbeat", "", { runnerId: "r-1", tasks: ["a", "b"], ttl: 15 }));
    expect(await registry.expose()).toContain("paddock_runner_tasks_running 2\n");
    publisher.heartbeat(createEvent("RunnerHeartbeat", "", { runnerId: "r-1", tasks: [], ttl: 15 }));
    const text = await registry.expose();
    expect(text).toContain("paddock_runner_tasks_running 0\n");
    expect(text).toContain("paddock_runner_heartbeats_total 2\n");
  });
});
