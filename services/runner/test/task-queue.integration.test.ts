/**
 * Two runner replicas sharing the durable task queue on a real nats-server, each running at
 * most one task: submissions spread over free runners, wait `queued` when none is free, and an
 * abort reaches a task whether it is queued or running on the other replica.
 */
import { type JetStreamManager, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { connectBus, ensureStreams, followTask } from "@paddock/bus";
import type { ServiceApp } from "@paddock/http";
import { decodeEvent } from "@paddock/shared/event-codec";
import type { AnyPaddockEvent, EventType, PaddockEvent } from "@paddock/shared/events";
import { EVENTS_STREAM, subjects, TASKS_STREAM } from "@paddock/shared/subjects";
import { eventually, startTestNats, type TestNats } from "@paddock/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNatsDispatcher } from "../src/nats-dispatcher.js";
import { natsRunnerApp } from "./support/nats-runner-app.js";

/** A task that runs until it is aborted (about 80 minutes otherwise). */
const LONG_TASK = `
version: 2
title: long
subtasks:
  - title: slow dummy
    scenario: {Dummy.dummy: {sleep: 0.05}}
    runner: {constant: {times: 100000, concurrency: 1}}
`;

interface Replica {
  readonly id: string;
  readonly nc: NatsConnection;
  readonly app: ServiceApp;
}

describe("two runners sharing the task queue", () => {
  let nats: TestNats;
  let observer: NatsConnection;
  let jsm: JetStreamManager;
  const replicas: Replica[] = [];
  const lifecycles = new Map<string, AnyPaddockEvent[]>();
  const followings: { stop(): Promise<void> }[] = [];

  async function startReplica(id: string): Promise<Replica> {
    const nc = await connectBus({ url: nats.url, name: id });
    const app = await natsRunnerApp(nc, id, {
      heartbeatIntervalMs: 500,
      shutdownGraceMs: 500,
      dispatch: createNatsDispatcher(nc, { maxTasks: 1, abortTimeoutMs: 500, pullExpiresMs: 1000 }),
    });
    return { id, nc, app };
  }

  beforeAll(async () => {
    nats = await startTestNats();
    observer = await connectBus({ url: nats.url, name: "queue-test-observer" });
    await ensureStreams(observer);
    jsm = await jetstreamManager(observer);
    replicas.push(await startReplica("runner-a"), await startReplica("runner-b"));
  });

  afterAll(async () => {
    await Promise.all(followings.map((following) => following.stop()));
    for (const replica of replicas) {
      await replica.app.close();
      await replica.nc.drain();
    }
    await observer?.drain();
    await nats?.dispose();
  });

  async function submit(via: Replica): Promise<string> {
    const response = await via.app.inject({ method: "POST", url: "/tasks", payload: { task: LONG_TASK } });
    expect(response.statusCode).toBe(202);
    const { taskId, status } = response.json() as { taskId: string; status: string };
    expect(status).toBe("queued");
    const events: AnyPaddockEvent[] = [];
    lifecycles.set(taskId, events);
    followings.push(
      await followTask(observer, taskId, { channels: ["lifecycle"], onEvent: (event) => events.push(event) }),
    );
    return taskId;
  }

  async function activeOn(replica: Replica): Promise<string[]> {
    const response = await replica.app.inject({ method: "GET", url: "/tasks/active" });
    expect(response.statusCode).toBe(200);
    const body = response.json() as { runnerId: string; tasks: { taskId: string }[] };
    expect(body.runnerId).toBe(replica.id);
    return body.tasks.map((task) => task.taskId);
  }

  async function lastLifecycle(taskId: string): Promise<EventType | undefined> {
    const stored = await jsm.streams.getMessage(EVENTS_STREAM, {
      last_by_subj: subjects.task(taskId, "lifecycle"),
    });
    return stored === null ? undefined : decodeEvent(stored.data).type;
  }

  const typesOf = (taskId: string) => (lifecycles.get(taskId) ?? []).map((event) => event.type);

  function startedBy(taskId: string): string | undefined {
    const started = lifecycles.get(taskId)?.find((event) => event.type === "TaskStarted") as
      | PaddockEvent<"TaskStarted">
      | undefined;
    return started?.data.runnerId;
  }

  it("spreads tasks over free runners, queues the rest and aborts queued and remote tasks", async () => {
    const [a, b] = replicas as [Replica, Replica];
    const first = await submit(a);
    const second = await submit(a);
    const third = await submit(a);

    // Each runner takes one; the third waits in the queue.
    await eventually(
      async () => (await activeOn(a)).length === 1 && (await activeOn(b)).length === 1,
      20_000,
      "one task on each runner",
    );
    const onA = await activeOn(a);
    const onB = await activeOn(b);
    expect(new Set([...onA, ...onB])).toEqual(new Set([first, second]));
    await eventually(
      () => startedBy(first) !== undefined && startedBy(second) !== undefined,
      10_000,
      "started",
    );
    expect(new Set([startedBy(first), startedBy(second)])).toEqual(new Set(["runner-a", "runner-b"]));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await lastLifecycle(third)).toBe("TaskQueued");
    expect(typesOf(third)).toEqual(["TaskQueued"]);
    expect((await jsm.streams.info(TASKS_STREAM)).state.messages).toBe(1);

    // Abort the queued task through the runner that did not take the submission: it never starts.
    const queuedAbort = await b.app.inject({ method: "POST", url: `/tasks/${third}/abort`, payload: {} });
    expect(queuedAbort.statusCode).toBe(202);
    expect(queuedAbort.json()).toEqual({ taskId: third, status: "aborted" });
    await eventually(() => typesOf(third).includes("TaskAborted"), 10_000, "queued task aborted");
    const queuedAborted = lifecycles.get(third)?.at(-1) as PaddockEvent<"TaskAborted">;
    expect(queuedAborted.data.mode).toBe("hard");
    expect(queuedAborted.data.reason).toContain("while queued");

    // Abort, through runner A, the task runner B runs.
    const [remote] = onB as [string];
    const remoteAbort = await a.app.inject({ method: "POST", url: `/tasks/${remote}/abort` });
    expect(remoteAbort.statusCode).toBe(202);
    expect(remoteAbort.json()).toEqual({ taskId: remote, status: "aborting" });
    await eventually(() => typesOf(remote).includes("TaskAborted"), 20_000, "remote task aborted");
    expect(typesOf(remote)).toEqual([
      "TaskQueued",
      "TaskStarted",
      "WorkloadStarted",
      "WorkloadFinished",
      "TaskAborted",
    ]);
    const finished = lifecycles.get(remote)?.find((event) => event.type === "WorkloadFinished") as
      | PaddockEvent<"WorkloadFinished">
      | undefined;
    expect(finished?.data.slaResults.map((result) => result.criterion)).toContain("aborted_manually");

    // Runner B is free again: it skips the aborted submission and takes the next one.
    const fourth = await submit(a);
    await eventually(async () => (await activeOn(b)).includes(fourth), 20_000, "fourth task on runner B");
    await eventually(() => startedBy(fourth) !== undefined, 10_000, "fourth started");
    expect(startedBy(fourth)).toBe("runner-b");
    expect(typesOf(third)).toEqual(["TaskQueued", "TaskAborted"]);
    await eventually(
      async () => (await jsm.streams.info(TASKS_STREAM)).state.messages === 0,
      10_000,
      "queue drained",
    );

    // A task nobody holds any more, and one that never existed, are 404.
    for (const id of [third, remote, "no-such-task"]) {
      const missing = await a.app.inject({ method: "POST", url: `/tasks/${id}/abort`, payload: {} });
      expect(missing.statusCode).toBe(404);
      expect(missing.json().error.code).toBe("TASK_NOT_FOUND");
    }

    // Soft-abort what still runs, each through the other runner.
    const [local] = onA as [string];
    for (const [taskId, via] of [
      [local, b],
      [fourth, a],
    ] as const) {
      const response = await via.app.inject({
        method: "POST",
        url: `/tasks/${taskId}/abort`,
        payload: { soft: true },
      });
      expect(response.json()).toEqual({ taskId, status: "soft_aborting" });
      await eventually(() => typesOf(taskId).includes("TaskAborted"), 20_000, `${taskId} aborted`);
    }
    await eventually(async () => (await activeOn(a)).length === 0, 10_000, "runner A idle");
    await eventually(async () => (await activeOn(b)).length === 0, 10_000, "runner B idle");
  }, 120_000);
});
