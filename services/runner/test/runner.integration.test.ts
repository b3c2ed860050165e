/**
 * The runner against a real nats-server: tasks posted over HTTP (app.inject) are executed and
 * their events land in JetStream, valid against the shared schemas and in Rally's shapes.
 */
import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { connectBus, ensureStreams, followTask } from "@paddock/bus";
import type { ServiceApp } from "@paddock/http";
import { decodeEvent } from "@paddock/shared/event-codec";
import type { AnyPaddockEvent, PaddockEvent } from "@paddock/shared/events";
import { EVENTS_STREAM, subjects } from "@paddock/shared/subjects";
import { eventually, startTestNats, type TestNats } from "@paddock/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNatsDispatcher } from "../src/nats-dispatcher.js";
import { natsRunnerApp } from "./support/nats-runner-app.js";

const RUNNER_ID = "runner-integration";

const dummyTask = (times: number, concurrency: number, sleep: number) => `
version: 2
title: Dummy over NATS
tags: [integration]
subtasks:
  - title: Dummy.dummy constant
    scenario:
      Dummy.dummy:
        sleep: ${sleep}
    runner:
      constant:
        times: ${times}
        concurrency: ${concurrency}
    sla:
      failure_rate: {max: 0}
      max_seconds_per_iteration: 5
`;

describe("runner with a real nats-server", () => {
  let nats: TestNats;
  let nc: NatsConnection;
  let app: ServiceApp;

  beforeAll(async () => {
    nats = await startTestNats();
    nc = await connectBus({ url: nats.url, name: "runner-integration-test" });
    await ensureStreams(nc);
    app = await natsRunnerApp(nc, RUNNER_ID, {
      heartbeatIntervalMs: 200,
      readiness: () => ({ nats: !nc.isClosed() }),
      dispatch: createNatsDispatcher(nc, { maxTasks: 4 }),
    });
  });

  afterAll(async () => {
    await app?.close();
    await nc?.drain();
    await nats?.dispose();
  });

  async function follow(taskId: string) {
    const events: AnyPaddockEvent[] = [];
    const invalid: Error[] = [];
    const following = await followTask(nc, taskId, {
      channels: ["lifecycle", "iterations"],
      onEvent: (event) => events.push(event),
      onInvalid: (error) => invalid.push(error),
    });
    return { events, invalid, following };
  }

  async function storedMessages(): Promise<number> {
    const jsm = await jetstreamManager(nc);
    return (await jsm.streams.info(EVENTS_STREAM)).state.messages;
  }

  it("runs a Dummy.dummy constant task end to end and publishes every iteration once", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/tasks",
      payload: { task: dummyTask(50, 5, 0) },
    });
    expect(response.statusCode).toBe(202);
    const { taskId } = response.json() as { taskId: string };
    const { events, invalid, following } = await follow(taskId);
    await eventually(() => events.some((event) => event.type === "TaskFinished"), 20_000, "TaskFinished");
    await eventually(
      () =>
        events
          .filter((event) => event.type === "IterationsRecorded")
          .reduce(
            (sum, event) => sum + (event as PaddockEvent<"IterationsRecorded">).data.iterations.length,
            0,
          ) >= 50,
      20_000,
      "50 iterations",
    );
    await following.stop();
    expect(invalid).toEqual([]);

    const lifecycle = events
      .filter((event) => event.type !== "IterationsRecorded")
      .map((event) => event.type);
    expect(lifecycle).toEqual([
      "TaskQueued",
      "TaskStarted",
      "WorkloadStarted",
      "WorkloadFinished",
      "TaskFinished",
    ]);

    const started = events.find(
      (event) => event.type === "WorkloadStarted",
    ) as PaddockEvent<"WorkloadStarted">;
    expect(started.data.expectedIterations).toBe(50);
    expect(started.data.workloadId).toMatch(/^[0-9a-f-]{36}$/);

    const batches = events.filter(
      (event) => event.type === "IterationsRecorded",
    ) as PaddockEvent<"IterationsRecorded">[];
    const iterations = batches.flatMap((batch) => batch.data.iterations);
    expect(iterations).toHaveLength(50);
    expect(new Set(iterations.map((iteration) => iteration.seq))).toEqual(new Set([...Array(50).keys()]));
    for (const batch of batches) {
      expect(batch.data.workloadId).toBe(started.data.workloadId);
      expect(batch.data.runnerId).toBe(RUNNER_ID);
    }
    for (const iteration of iterations) {
      expect(iteration.error).toEqual([]);
      expect(iteration.idle_duration).toBe(0);
      expect(iteration.atomic_actions).toHaveLength(1);
      const [foo] = iteration.atomic_actions;
      expect(foo?.name).toBe("foo");
      expect(foo?.children.map((child) => child.name)).toEqual(["bar"]);
      expect(foo?.started_at).toBeGreaterThanOrEqual(iteration.timestamp);
    }

    const finished = events.find(
      (event) => event.type === "WorkloadFinished",
    ) as PaddockEvent<"WorkloadFinished">;
    expect(finished.data).toMatchObject({
      workloadId: started.data.workloadId,
      totalIterationCount: 50,
      failedIterationCount: 0,
      passSla: true,
    });
    expect(finished.data.slaResults).toEqual([
      {
        criterion: "failure_rate",
        success: true,
        detail: "Failure rate criteria 0.00% <= 0.00% <= 0.00% - Passed",
      },
      {
        criterion: "max_seconds_per_iteration",
        success: true,
        detail: expect.stringMatching(/^Maximum seconds per iteration \d+\.\d\ds <= 5\.00s - Passed$/),
      },
    ]);
    expect(finished.data.startTime).toBe(Math.min(...iterations.map((iteration) => iteration.timestamp)));
    const done = events.find((event) => event.type === "TaskFinished") as PaddockEvent<"TaskFinished">;
    expect(done.data).toEqual({ status: "finished", passSla: true });
  });

  it("answers 422 with the problems of an invalid task and publishes nothing", async () => {
    const before = await storedMessages();
    const response = await app.inject({
      method: "POST",
      url: "/tasks",
      payload: { task: dummyTask(5, 10, 0).replace("Dummy.dummy:", "Dummy.dumy:") },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().error.problems).toEqual([
      { path: "subtasks[0].workloads[0].scenario", message: "There is no Scenario plugin 'Dummy.dumy'" },
      {
        path: "subtasks[0].workloads[0].runner.constant",
        message: expect.stringContaining("Parameter 'concurrency' means a number of parallel executions"),
      },
    ]);
    expect(await storedMessages()).toBe(before);
  });

  it("aborts a running task: TaskAborted, and no TaskFinished", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/tasks",
      payload: { task: dummyTask(1_000_000, 4, 0.005) },
    });
    const { taskId } = response.json() as { taskId: string };
    const { events, invalid, following } = await follow(taskId);
    await eventually(
      () => events.some((event) => event.type === "IterationsRecorded"),
      20_000,
      "first iterations",
    );
    const abort = await app.inject({
      method: "POST",
      url: `/tasks/${taskId}/abort`,
      payload: { soft: true },
    });
    expect(abort.statusCode).toBe(202);
    await eventually(() => events.some((event) => event.type === "TaskAborted"), 20_000, "TaskAborted");
    await new Promise((resolve) => setTimeout(resolve, 300));
    await following.stop();
    expect(invalid).toEqual([]);
    const lifecycle = events
      .filter((event) => event.type !== "IterationsRecorded")
      .map((event) => event.type);
    expect(lifecycle).toEqual([
      "TaskQueued",
      "TaskStarted",
      "WorkloadStarted",
      "WorkloadFinished",
      "TaskAborted",
    ]);
    const finished = events.find(
      (event) => event.type === "WorkloadFinished",
    ) as PaddockEvent<"WorkloadFinished">;
    const stored = events
      .filter((event) => event.type === "IterationsRecorded")
      .flatMap((event) => (event as PaddockEvent<"IterationsRecorded">).data.iterations);
    expect(finished.data.totalIterationCount).toBe(stored.length);
    expect(finished.data.slaResults.map((result) => result.criterion)).toContain("aborted_manually");
  });

  it("sends heartbeats on core NATS naming the runner", async () => {
    const subscription = nc.subscribe(subjects.heartbeat(RUNNER_ID), { max: 1 });
    for await (const message of subscription) {
      const beat = decodeEvent(message.data) as PaddockEvent<"RunnerHeartbeat">;
      expect(beat.type).toBe("RunnerHeartbeat");
      expect(beat.data.runnerId).toBe(RUNNER_ID);
      expect(beat.data.ttl).toBe(10);
    }
    const ready = await app.inject({ method: "GET", url: "/readyz" });
    expect(ready.statusCode).toBe(200);
  });
});
