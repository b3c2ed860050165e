/**
 * Three runner replicas on a real nats-server splitting workloads between them (`distribute`):
 * the totals and the rate match the single-runner definition, every iteration is published once
 * with the runner that ran it, aborts stop every share, and a replica that dies mid-share is
 * marked lost while the rest of the workload finishes. Then two replicas with faults injected into
 * their share networks: a share the coordinator took over never runs on its runner.
 */
import type { NatsConnection } from "@nats-io/transport-node";
import { connectBus, ensureStreams, followTask } from "@paddock/bus";
import type { ServiceApp } from "@paddock/http";
import type { AnyPaddockEvent, IterationRecord, PaddockEvent } from "@paddock/shared/events";
import { histogramCount } from "@paddock/shared/histogram";
import { eventually, startTestNats, type TestNats } from "@paddock/testkit";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNatsShareNetwork } from "../src/distribution/nats-share-network.js";
import type { DistributionTiming } from "../src/distribution/share-coordinator.js";
import type { ShareNetwork } from "../src/distribution/share-network.js";
import { createNatsDispatcher } from "../src/nats-dispatcher.js";
import { natsRunnerApp } from "./support/nats-runner-app.js";

interface Replica {
  readonly id: string;
  readonly nc: NatsConnection;
  readonly app: ServiceApp;
  readonly network: ShareNetwork;
}

const ENDS = new Set(["TaskFinished", "TaskAborted", "TaskFailed"]);

const ofType = <T extends AnyPaddockEvent["type"]>(events: AnyPaddockEvent[], type: T) =>
  events.filter((event) => event.type === type) as unknown as PaddockEvent<T>[];

function iterationsOf(events: AnyPaddockEvent[]): (IterationRecord & { batchRunner: string })[] {
  return ofType(events, "IterationsRecorded").flatMap((event) =>
    event.data.iterations.map((iteration) => ({ ...iteration, batchRunner: event.data.runnerId })),
  );
}

interface Followed {
  readonly taskId: string;
  readonly events: AnyPaddockEvent[];
  readonly following: { stop(): Promise<void> };
}

/** Submits `task` (YAML) through `via`'s HTTP API and follows its events from `observer`. */
async function submitTask(
  via: Replica,
  observer: NatsConnection,
  task: string,
  extra: Record<string, unknown> = {},
): Promise<Followed> {
  const response = await via.app.inject({ method: "POST", url: "/tasks", payload: { task, ...extra } });
  expect(response.statusCode, response.body).toBe(202);
  const { taskId } = response.json() as { taskId: string };
  const events: AnyPaddockEvent[] = [];
  const following = await followTask(observer, taskId, {
    channels: ["lifecycle", "iterations", "progress"],
    onEvent: (event) => events.push(event),
  });
  return { taskId, events, following };
}

/**
 * One runner replica on `url`. `network` wraps its share network (to slow a message down);
 * `distribution` shortens the coordinator's hand-out deadlines.
 */
async function startReplica(
  url: string,
  id: string,
  options: { network?: (network: ShareNetwork) => ShareNetwork; distribution?: DistributionTiming } = {},
): Promise<Replica> {
  const nc = await connectBus({ url, name: id });
  const own = await createNatsShareNetwork(nc, { logger: pino({ level: "silent" }) });
  const network = options.network?.(own) ?? own;
  const app = await natsRunnerApp(nc, id, {
    heartbeatIntervalMs: 200,
    heartbeatTtl: 1.5,
    shutdownGraceMs: 500,
    executor: { progressIntervalMs: 250, queue: { attempts: 2, retryDelayMs: 50 } },
    dispatch: createNatsDispatcher(nc, { maxTasks: 1, abortTimeoutMs: 500, pullExpiresMs: 1000 }),
    shares: network,
    capacity: 1,
    ...(options.distribution === undefined ? {} : { distribution: options.distribution }),
  });
  return { id, nc, app, network };
}

/** A nats-server, an observer connection and runner replicas that have all heard each other. */
interface Cluster {
  readonly nats: TestNats;
  readonly observer: NatsConnection;
  readonly replicas: Replica[];
  readonly followings: { stop(): Promise<void> }[];
}

async function startCluster(
  ids: string[],
  options: Parameters<typeof startReplica>[2] = {},
): Promise<Cluster> {
  const nats = await startTestNats();
  const observer = await connectBus({ url: nats.url, name: "distribution-test-observer" });
  await ensureStreams(observer);
  const replicas: Replica[] = [];
  for (const id of ids) replicas.push(await startReplica(nats.url, id, options));
  await eventually(
    () => replicas.every((replica) => replica.network.directory.idle(replica.id).length === ids.length - 1),
    10_000,
    "every replica to see the others idle",
  );
  return { nats, observer, replicas, followings: [] };
}

async function stopCluster(cluster: Cluster | undefined): Promise<void> {
  if (cluster === undefined) return;
  await Promise.all(cluster.followings.map((following) => following.stop()));
  for (const replica of cluster.replicas) {
    await replica.app.close();
    if (!replica.nc.isClosed()) await replica.nc.drain();
    await replica.network.close();
  }
  await cluster.observer.drain();
  await cluster.nats.dispose();
}

describe("a workload split across three runner replicas", () => {
  let cluster: Cluster | undefined;
  let observer: NatsConnection;
  const replicas: Replica[] = [];

  beforeAll(async () => {
    // Every replica has heard every other before the first task.
    cluster = await startCluster(["runner-a", "runner-b", "runner-c"]);
    observer = cluster.observer;
    replicas.push(...cluster.replicas);
  });

  afterAll(() => stopCluster(cluster));

  async function submit(
    task: string,
    extra: Record<string, unknown> = {},
    via: Replica = replicas[0] as Replica,
  ): Promise<Followed> {
    const followed = await submitTask(via, observer, task, extra);
    cluster?.followings.push(followed.following);
    return followed;
  }

  async function ended(followed: Followed): Promise<void> {
    await eventually(() => followed.events.some((event) => ENDS.has(event.type)), 60_000, "the task to end");
    const total = ofType(followed.events, "WorkloadFinished").reduce(
      (sum, event) => sum + event.data.totalIterationCount,
      0,
    );
    await eventually(() => iterationsOf(followed.events).length >= total, 20_000, "every iteration");
  }

  async function idleAgain(): Promise<void> {
    await eventually(
      () => replicas.every((replica) => replica.network.directory.idle(replica.id).length >= 2),
      10_000,
      "the replicas to be idle again",
    );
  }

  it("runs `constant` with distribute: 3 as three shares that together are the definition", async () => {
    const followed = await submit(`
version: 2
title: split constant
subtasks:
  - title: dummy
    scenario: {Dummy.dummy: {sleep: 0.005}}
    runner: {constant: {times: 300, concurrency: 6, distribute: 3}}
    sla: {failure_rate: {max: 0}}
`);
    await ended(followed);
    const { events } = followed;
    expect(ofType(events, "TaskFinished")[0]?.data).toEqual({ status: "finished", passSla: true });
    const finished = ofType(events, "WorkloadFinished")[0]?.data;
    expect(finished?.totalIterationCount).toBe(300);
    expect(finished?.failedIterationCount).toBe(0);
    expect(finished?.slaResults.map((result) => result.criterion)).toEqual(["failure_rate"]);

    const iterations = iterationsOf(events);
    expect(iterations.map((iteration) => iteration.seq).sort((a, b) => a - b)).toEqual([
      ...Array(300).keys(),
    ]);
    const runners = new Set(iterations.map((iteration) => iteration.runner_id));
    expect([...runners].sort()).toEqual(["runner-a", "runner-b", "runner-c"]);
    // Each runner ran one share: its seqs are k, k + 3, ... and the batch says the same runner.
    const shareOf = new Map<string, number>();
    for (const iteration of iterations) {
      expect(iteration.runner_id).toBe(iteration.batchRunner);
      const share = iteration.seq % 3;
      expect(shareOf.get(iteration.runner_id as string) ?? share).toBe(share);
      shareOf.set(iteration.runner_id as string, share);
    }
    const perRunner = [...runners].map((id) => iterations.filter((i) => i.runner_id === id).length);
    expect(perRunner.sort()).toEqual([100, 100, 100]);

    // The coordinator's merged progress: one share per runner, histograms of every runner merged.
    const progress = ofType(events, "ProgressReported");
    const last = progress[progress.length - 1]?.data;
    expect(last?.completed).toBe(300);
    expect(last?.shares?.map((share) => share.state)).toEqual(["finished", "finished", "finished"]);
    expect(last?.shares?.map((share) => share.completed)).toEqual([100, 100, 100]);
    const windows = progress.reduce(
      (sum, event) => sum + histogramCount(event.data.histogram ?? { scheme: "log2x16-us", buckets: [] }),
      0,
    );
    expect(windows).toBe(300);
    expect(
      progress.some((event) => (event.data.atomics ?? []).some((atomic) => atomic.name === "foo > bar")),
    ).toBe(true);
    expect(last?.sla).toEqual([expect.objectContaining({ criterion: "failure_rate", success: true })]);
    await idleAgain();
  });

  it("splits an `rps` workload over every idle replica, staggered so the starts are the definition's", async () => {
    const followed = await submit(
      `
version: 2
title: split rps
subtasks:
  - title: dummy
    scenario: {Dummy.dummy: {sleep: 0}}
    runner: {rps: {times: 90, rps: 60}}
`,
      { distribute: "all" },
    );
    await ended(followed);
    const iterations = iterationsOf(followed.events).sort((a, b) => a.seq - b.seq);
    expect(ofType(followed.events, "WorkloadFinished")[0]?.data.totalIterationCount).toBe(90);
    expect(iterations.map((iteration) => iteration.seq)).toEqual([...Array(90).keys()]);
    expect(new Set(iterations.map((iteration) => iteration.runner_id)).size).toBe(3);
    const first = iterations[0]?.intended_start as number;
    for (const iteration of iterations) {
      expect((iteration.intended_start as number) - first).toBeCloseTo(iteration.seq / 60, 3);
    }
    const starts = iterations.map((iteration) => iteration.timestamp);
    const rate = (iterations.length - 1) / (Math.max(...starts) - Math.min(...starts));
    expect(rate).toBeGreaterThan(60 * 0.9);
    expect(rate).toBeLessThan(60 * 1.1);
    const last = ofType(followed.events, "ProgressReported").at(-1)?.data;
    expect(last?.scheduleLag).toBeDefined();
    expect(last?.shares).toHaveLength(3);
    await idleAgain();
  });

  it("stops every share within a second of a hard abort", async () => {
    const followed = await submit(`
version: 2
title: abort split
subtasks:
  - title: dummy
    scenario: {Dummy.dummy: {sleep: 0.3}}
    runner: {constant: {times: 100000, concurrency: 6, distribute: 3}}
`);
    await eventually(
      () => new Set(iterationsOf(followed.events).map((iteration) => iteration.runner_id)).size === 3,
      20_000,
      "iterations from all three runners",
    );
    const active = await Promise.all(
      replicas.map(async (replica) => {
        const body = (await replica.app.inject({ method: "GET", url: "/tasks/active" })).json() as {
          tasks: { taskId: string }[];
          shares: { taskId: string; shares: number; coordinatorId: string }[];
        };
        return { tasks: body.tasks.map((task) => task.taskId), shares: body.shares };
      }),
    );
    // One replica runs the task, the two others each hold a share of it.
    expect(active.filter((runner) => runner.tasks.includes(followed.taskId))).toHaveLength(1);
    const held = active.flatMap((runner) => runner.shares);
    expect(held.map((share) => [share.taskId, share.shares])).toEqual([
      [followed.taskId, 3],
      [followed.taskId, 3],
    ]);
    const response = await (replicas[1] as Replica).app.inject({
      method: "POST",
      url: `/tasks/${followed.taskId}/abort`,
    });
    expect(response.statusCode).toBe(202);
    const abortedAt = Date.now() / 1000;
    await ended(followed);
    expect(ofType(followed.events, "TaskAborted")[0]?.data.mode).toBe("hard");
    const iterations = iterationsOf(followed.events);
    for (const runner of ["runner-a", "runner-b", "runner-c"]) {
      const mine = iterations.filter((iteration) => iteration.runner_id === runner);
      const lastEnd = Math.max(...mine.map((i) => i.timestamp + i.duration + i.idle_duration));
      expect(lastEnd, runner).toBeLessThan(abortedAt + 1);
    }
    expect(ofType(followed.events, "WorkloadFinished")[0]?.data.totalIterationCount).toBe(iterations.length);
    await idleAgain();
  });

  it("stops every share at the first SLA failure when asked to (abort_on_sla_failure)", async () => {
    // Dummy.failure numbers iterations across the shares as one runner does: iteration 60 fails.
    const followed = await submit(
      `
version: 2
title: sla abort split
subtasks:
  - title: failure
    scenario: {Dummy.failure: {sleep: 0.05, from_iteration: 60, to_iteration: 60, each: 1}}
    runner: {constant: {times: 3000, concurrency: 6, distribute: 3}}
    sla: {failure_rate: {max: 0}}
`,
      { abortOnSlaFailure: true },
    );
    await ended(followed);
    expect(ofType(followed.events, "TaskAborted")[0]?.data.mode).toBe("sla");
    const iterations = iterationsOf(followed.events);
    const failed = iterations.filter((iteration) => iteration.error.length > 0);
    expect(failed.map((iteration) => iteration.seq)).toEqual([59]);
    const failedEnd = (failed[0]?.timestamp ?? 0) + (failed[0]?.duration ?? 0);
    // Soft: no share starts an iteration a second after the failure was seen.
    for (const runner of ["runner-a", "runner-b", "runner-c"]) {
      const starts = iterations.filter((i) => i.runner_id === runner).map((i) => i.timestamp);
      expect(Math.max(...starts) - failedEnd, runner).toBeLessThan(1);
    }
    expect(iterations.length).toBeLessThan(3000);
    const finished = ofType(followed.events, "WorkloadFinished")[0]?.data;
    expect(finished?.totalIterationCount).toBe(iterations.length);
    expect(finished?.slaResults.map((result) => [result.criterion, result.success])).toEqual([
      ["failure_rate", false],
      ["aborted_on_sla", false],
    ]);
    await idleAgain();
  });

  it("splits constant_for_duration by concurrency for the same duration", async () => {
    const followed = await submit(`
version: 2
title: split for duration
subtasks:
  - title: dummy
    scenario: {Dummy.dummy: {sleep: 0.02}}
    runner: {constant_for_duration: {duration: 1, concurrency: 3, distribute: 3}}
`);
    await ended(followed);
    const iterations = iterationsOf(followed.events);
    const finished = ofType(followed.events, "WorkloadFinished")[0]?.data;
    expect(finished?.totalIterationCount).toBe(iterations.length);
    expect(new Set(iterations.map((iteration) => iteration.seq)).size).toBe(iterations.length);
    expect(new Set(iterations.map((iteration) => iteration.runner_id)).size).toBe(3);
    expect(finished?.loadDuration).toBeGreaterThan(0.9);
    expect(finished?.loadDuration).toBeLessThan(2);
    await idleAgain();
  });

  it("marks the share of a replica that died as lost and finishes the rest", async () => {
    const followed = await submit(`
version: 2
title: lose a share
subtasks:
  - title: dummy
    scenario: {Dummy.dummy: {sleep: 0.02}}
    runner: {constant: {times: 450, concurrency: 3, distribute: 3}}
`);
    const started = await eventually(
      () => ofType(followed.events, "TaskStarted")[0]?.data.runnerId,
      20_000,
      "the task to start",
    );
    const doomed = replicas.find((replica) => replica.id !== started) as Replica;
    const survivors = replicas.filter((replica) => replica !== doomed).map((replica) => replica.id);
    await eventually(
      () => iterationsOf(followed.events).some((iteration) => iteration.runner_id === doomed.id),
      20_000,
      "iterations from the replica about to die",
    );
    // Dies: its connection goes, so its heartbeats stop and nothing more of its share arrives.
    await doomed.nc.close();
    await ended(followed);
    const lost = ofType(followed.events, "ShareLost");
    expect(lost).toHaveLength(1);
    expect(lost[0]?.data).toMatchObject({ runnerId: doomed.id, shares: 3 });
    const iterations = iterationsOf(followed.events);
    const finished = ofType(followed.events, "WorkloadFinished")[0]?.data;
    expect(finished?.totalIterationCount).toBe(iterations.length);
    expect(new Set(iterations.map((iteration) => iteration.seq)).size).toBe(iterations.length);
    // The two others ran their whole shares.
    for (const runner of survivors) {
      expect(iterations.filter((iteration) => iteration.runner_id === runner)).toHaveLength(150);
    }
    expect(finished?.passSla).toBe(false);
    expect(finished?.slaResults.at(-1)).toMatchObject({ criterion: "something_went_wrong", success: false });
    expect(finished?.slaResults.at(-1)?.detail).toContain(`runner ${doomed.id} was lost`);
    expect(ofType(followed.events, "TaskFinished")[0]?.data).toEqual({ status: "finished", passSla: false });
    const last = ofType(followed.events, "ProgressReported").at(-1)?.data;
    expect(last?.shares?.map((share) => share.state).sort()).toEqual(["finished", "finished", "lost"]);
  });

  it("stops a share whose coordinator stopped heart-beating", async () => {
    const alive = replicas.filter((replica) => !replica.nc.isClosed());
    expect(alive.length).toBe(2);
    await eventually(
      () => alive.every((replica) => replica.network.directory.idle(replica.id).length >= 1),
      10_000,
      "the two live replicas to be idle",
    );
    const followed = await submit(
      `
version: 2
title: orphaned share
subtasks:
  - title: dummy
    scenario: {Dummy.dummy: {sleep: 0.05}}
    runner: {constant: {times: 100000, concurrency: 2, distribute: 2}}
`,
      {},
      alive[0],
    );
    const coordinatorId = await eventually(
      () => ofType(followed.events, "TaskStarted")[0]?.data.runnerId,
      20_000,
      "the task to start",
    );
    const coordinator = alive.find((replica) => replica.id === coordinatorId) as Replica;
    const helper = alive.find((replica) => replica !== coordinator) as Replica;
    await eventually(
      () => iterationsOf(followed.events).some((iteration) => iteration.runner_id === helper.id),
      20_000,
      "iterations of the helper",
    );
    await coordinator.nc.close();
    const diedAt = Date.now() / 1000;
    // Its heartbeats stop; after their ttl (1.5 s) the helper stops its share.
    await eventually(
      async () => {
        const response = await helper.app.inject({ method: "GET", url: "/readyz" });
        return response.statusCode === 200 && helper.network.directory.isAlive(coordinator.id) === false;
      },
      10_000,
      "the helper to count the coordinator dead",
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const mine = iterationsOf(followed.events).filter((iteration) => iteration.runner_id === helper.id);
    const lastEnd = Math.max(...mine.map((i) => i.timestamp + i.duration + i.idle_duration));
    expect(lastEnd - diedAt).toBeLessThan(1.5 + 1);
  });
});

describe("a share its runner must not run: the coordinator took it over", () => {
  let cluster: Cluster | undefined;
  let observer: NatsConnection;
  const replicas: Replica[] = [];
  let fault: "late acceptance" | "unconfirmed go" = "late acceptance";

  /**
   * Faults on each replica's share network. `late acceptance`: acceptances reach the coordinator
   * side 1.5 s after they were stored (a slow consumer), long after its 0.7 s takeover, while the
   * runner that accepted has heard nothing yet. `unconfirmed go`: a `go` is stored but its publish
   * reports a failure (a lost acknowledgement), so the coordinator takes the share over.
   */
  const faulty = (network: ShareNetwork): ShareNetwork => ({
    ...network,
    followReports: (taskId, onReport) =>
      network.followReports(taskId, (report) => {
        if (fault === "late acceptance" && report.kind === "accepted")
          setTimeout(() => onReport(report), 1500);
        else onReport(report);
      }),
    async decide(decision) {
      await network.decide(decision);
      if (fault === "unconfirmed go" && decision.decision === "go")
        throw new Error("no acknowledgement in 5 s");
    },
  });
  const distribution = { leadMs: 100, acceptMs: 300, takeoverGraceMs: 300 };

  beforeAll(async () => {
    cluster = await startCluster(["runner-d", "runner-e"], { network: faulty, distribution });
    observer = cluster.observer;
    replicas.push(...cluster.replicas);
  });

  afterAll(() => stopCluster(cluster));

  /** Runs a 2-share task and checks that every iteration ran once, on the coordinator. */
  async function expectRunOnceByTheCoordinator(title: string): Promise<void> {
    const followed = await submitTask(
      replicas[0] as Replica,
      observer,
      `
version: 2
title: ${title}
subtasks:
  - title: dummy
    scenario: {Dummy.dummy: {sleep: 0.01}}
    runner: {constant: {times: 200, concurrency: 2, distribute: 2}}
    sla: {failure_rate: {max: 0}}
`,
    );
    cluster?.followings.push(followed.following);
    const { taskId, events } = followed;
    await eventually(() => events.some((event) => ENDS.has(event.type)), 30_000, "the task to end");
    const coordinator = ofType(events, "TaskStarted")[0]?.data.runnerId;
    const helper = replicas.find((replica) => replica.id !== coordinator) as Replica;
    // A late acceptance arrives about 1.5 s after the hand-out; give the share time to (wrongly) run.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const iterations = iterationsOf(events);
    expect(iterations.filter((iteration) => iteration.runner_id === helper.id)).toEqual([]);
    expect(iterations.map((iteration) => iteration.seq).sort((a, b) => a - b)).toEqual([
      ...Array(200).keys(),
    ]);
    const finished = ofType(events, "WorkloadFinished")[0]?.data;
    expect(finished).toMatchObject({ totalIterationCount: 200, failedIterationCount: 0, passSla: true });
    expect(ofType(events, "TaskFinished")[0]?.data).toEqual({ status: "finished", passSla: true });
    // The revoked share released the helper's slot: it heart-beats idle again.
    const coordinating = replicas.find((replica) => replica.id === coordinator) as Replica;
    await eventually(
      () => coordinating.network.directory.idle(coordinating.id).includes(helper.id),
      10_000,
      "the helper to be idle again",
    );
    const active = await helper.app.inject({ method: "GET", url: "/tasks/active" });
    expect(active.body).not.toContain(taskId);
  }

  it("revokes a share accepted after its takeover: its runner never starts it", async () => {
    fault = "late acceptance";
    await expectRunOnceByTheCoordinator("late acceptance");
  });

  it("revokes a share whose go it could not confirm, and runs it itself: its runner does not start it", async () => {
    fault = "unconfirmed go";
    await expectRunOnceByTheCoordinator("unconfirmed go");
  });
});
