/**
 * Scale-out as a deployment runs it: nats-server, one catalog, one results and three runners,
 * each started from its built `dist/main.js` as a separate process. One `constant` workload with
 * `distribute: 3` and one `rps` workload split over the three by the start option; then an abort
 * of a split workload, and a runner killed in the middle of its share.
 */
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { NatsConnection } from "@nats-io/transport-node";
import { connectBus, followTask } from "@paddock/bus";
import type { TaskDetail } from "@paddock/shared/api";
import { decodeEvent } from "@paddock/shared/event-codec";
import type { AnyPaddockEvent, IterationRecord, PaddockEvent } from "@paddock/shared/events";
import { ALL_HEARTBEATS } from "@paddock/shared/subjects";
import { eventually, freePort, startTestNats, type TempDir, type TestNats, tempDir } from "@paddock/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonRequest, storedIterations } from "../../test/support/stack-http.js";
import { type ServiceProcess, startService, waitReady } from "./service-process.js";
import { findRepoRoot } from "./up.js";

const root = findRepoRoot();
const RUNNERS = ["runner-1", "runner-2", "runner-3"] as const;
type Name = "catalog" | "results" | (typeof RUNNERS)[number];

/** Events of one task, replayed from JetStream and then live. */
interface Followed {
  readonly taskId: string;
  readonly events: AnyPaddockEvent[];
  stop(): Promise<void>;
}

describe("one workload split across three runner processes", () => {
  let nats: TestNats;
  let nc: NatsConnection;
  let dir: TempDir;
  const urls = {} as Record<Name, string>;
  const running = {} as Record<Name, ServiceProcess>;
  const followings: Followed[] = [];

  async function submit(task: string, extra: Record<string, unknown> = {}): Promise<Followed> {
    const { status, body } = await jsonRequest<{ taskId: string }>(`${urls["runner-1"]}/tasks`, {
      method: "POST",
      body: JSON.stringify({ task, tags: ["scale-out-test"], ...extra }),
    });
    expect(status).toBe(202);
    const events: AnyPaddockEvent[] = [];
    const following = await followTask(nc, body.taskId, {
      channels: ["lifecycle", "iterations"],
      onEvent: (event) => events.push(event),
    });
    const followed = { taskId: body.taskId, events, stop: () => following.stop() };
    followings.push(followed);
    return followed;
  }

  const ofType = <T extends AnyPaddockEvent["type"]>(events: readonly AnyPaddockEvent[], type: T) =>
    events.filter((event) => event.type === type) as unknown as PaddockEvent<T>[];

  /** What results stored, once the task reached `status` and every workload has its statistics. */
  async function stored(taskId: string, status: string): Promise<TaskDetail> {
    return eventually(
      async () => {
        const { status: code, body } = await jsonRequest<TaskDetail>(`${urls.results}/tasks/${taskId}`);
        return code === 200 && body.status === status && body.workloads.every((w) => w.statistics !== null)
          ? body
          : undefined;
      },
      60_000,
      `results to hold task ${taskId} ${status} with statistics`,
    );
  }

  /** `waiting`, or its failure followed by the end of every service's log. */
  async function withLogs<T>(waiting: Promise<T>): Promise<T> {
    try {
      return await waiting;
    } catch (error) {
      const logs = Object.values(running)
        .map((service) => `--- ${service.spec.name}\n${service.tail(15)}`)
        .join("\n");
      throw new Error(`${(error as Error).message}\n${logs}`);
    }
  }

  const runnersOf = (iterations: readonly IterationRecord[]) =>
    [...new Set(iterations.map((iteration) => iteration.runner_id))].sort();

  function count(iterations: readonly IterationRecord[], runnerId: string): number {
    return iterations.filter((iteration) => iteration.runner_id === runnerId).length;
  }

  /** The most iterations of `iterations` that overlapped in time. */
  function peakConcurrency(iterations: readonly IterationRecord[]): number {
    const edges = iterations.flatMap((i) => [
      { at: i.timestamp, step: 1 },
      { at: i.timestamp + i.duration + i.idle_duration - 1e-6, step: -1 },
    ]);
    edges.sort((a, b) => a.at - b.at || a.step - b.step);
    let now = 0;
    let peak = 0;
    for (const edge of edges) {
      now += edge.step;
      peak = Math.max(peak, now);
    }
    return peak;
  }

  beforeAll(async () => {
    nats = await startTestNats();
    nc = await connectBus({ url: nats.url, name: "scale-out-test" });
    dir = tempDir("paddock-scale-out-");
    const scenarios = join(dir.path, "scenarios");
    mkdirSync(join(scenarios, "dummy"), { recursive: true });
    copyFileSync(join(root, "scenarios", "dummy", "dummy.yaml"), join(scenarios, "dummy", "dummy.yaml"));
    const environments = join(dir.path, "environments");
    mkdirSync(environments);
    copyFileSync(join(root, "environments", "local.yaml"), join(environments, "local.yaml"));
    for (const name of ["catalog", "results", ...RUNNERS] as const) {
      urls[name] = `http://127.0.0.1:${await freePort()}`;
    }
    const env = {
      PATH: process.env.PATH,
      NATS_URL: nats.url,
      PADDOCK_LOG_LEVEL: "info",
      PADDOCK_CATALOG_URL: urls.catalog,
    };
    const start = (name: Name, script: string, extra: Record<string, string>) => {
      running[name] = startService({
        name,
        script: join(root, "services", script, "dist", "main.js"),
        url: urls[name],
        env: { ...env, ...extra },
        logFile: join(dir.path, `${name}.log`),
      });
      return running[name];
    };
    const heard = new Map<string, number>();
    const heartbeats = nc.subscribe(ALL_HEARTBEATS, {
      callback: (error, message) => {
        if (error) return;
        const event = decodeEvent(message.data);
        if (event.type === "RunnerHeartbeat")
          heard.set(event.data.runnerId, (heard.get(event.data.runnerId) ?? 0) + 1);
      },
    });
    await Promise.all([
      waitReady(
        start("catalog", "catalog", {
          PADDOCK_CATALOG_PORT: new URL(urls.catalog).port,
          PADDOCK_SCENARIOS: scenarios,
          PADDOCK_ENVIRONMENTS: environments,
        }),
        30_000,
      ),
      waitReady(
        start("results", "results", {
          PADDOCK_RESULTS_PORT: new URL(urls.results).port,
          PADDOCK_DATA_DIR: join(dir.path, "data"),
        }),
        30_000,
      ),
      ...RUNNERS.map((id) =>
        waitReady(
          start(id, "runner", { PADDOCK_RUNNER_PORT: new URL(urls[id]).port, PADDOCK_RUNNER_ID: id }),
          30_000,
        ),
      ),
    ]);
    // Every runner listens to heartbeats from its start: two beats of each after all are up
    // means each has heard every other.
    const base = new Map(heard);
    await eventually(
      () => RUNNERS.every((id) => (heard.get(id) ?? 0) - (base.get(id) ?? 0) >= 2),
      20_000,
      "two heartbeats of every runner",
    );
    heartbeats.unsubscribe();
  }, 120_000);

  afterAll(async () => {
    await Promise.all(followings.map((followed) => followed.stop()));
    for (const service of Object.values(running)) await service.stop();
    await nc?.close();
    await nats?.dispose();
    dir?.remove();
  });

  it("runs a constant workload with distribute: 3 as the definition: every iteration stored once, with its runner", async () => {
    const followed = await submit(`
version: 2
title: constant split in three
subtasks:
  - title: dummy
    scenario: {Dummy.dummy: {sleep: 0.01}}
    runner: {constant: {times: 300, concurrency: 6, distribute: 3}}
    sla: {failure_rate: {max: 0}}
`);
    const detail = await stored(followed.taskId, "finished");
    expect(detail.passSla).toBe(true);
    const workload = detail.workloads[0];
    expect(workload?.totalIterationCount).toBe(300);
    expect(workload?.storedIterationCount).toBe(300);
    expect(workload?.statistics?.durations.total.data.iteration_count).toBe(300);
    const iterations = await storedIterations(urls.results, followed.taskId, workload?.id ?? "");
    expect(iterations.map((iteration) => iteration.seq)).toEqual([...Array(300).keys()]);
    expect(runnersOf(iterations)).toEqual([...RUNNERS]);
    for (const id of RUNNERS) expect(count(iterations, id), id).toBe(100);
    // Each runner ran one share (seqs k, k + 3, ...) with its part of the concurrency.
    for (const id of RUNNERS) {
      const mine = iterations.filter((iteration) => iteration.runner_id === id);
      expect(new Set(mine.map((iteration) => iteration.seq % 3)).size, id).toBe(1);
      expect(peakConcurrency(mine), id).toBeLessThanOrEqual(2);
    }
    expect(peakConcurrency(iterations)).toBeLessThanOrEqual(6);
  });

  it("splits an rps workload over the three by the start option: the definition's count, rate and schedule", async () => {
    const followed = await submit(
      `
version: 2
title: rps split in three
subtasks:
  - title: dummy
    scenario: {Dummy.dummy: {sleep: 0}}
    runner: {rps: {times: 150, rps: 50}}
`,
      { distribute: 3 },
    );
    const detail = await stored(followed.taskId, "finished");
    const workload = detail.workloads[0];
    expect(workload?.totalIterationCount).toBe(150);
    const iterations = await storedIterations(urls.results, followed.taskId, workload?.id ?? "");
    expect(iterations.map((iteration) => iteration.seq)).toEqual([...Array(150).keys()]);
    expect(runnersOf(iterations)).toEqual([...RUNNERS]);
    for (const id of RUNNERS) expect(count(iterations, id), id).toBe(50);
    // Together the shares keep the undivided schedule: iteration i is due i/50 s after the first.
    const first = iterations[0]?.intended_start as number;
    for (const iteration of iterations) {
      expect(Math.abs((iteration.intended_start as number) - first - iteration.seq / 50)).toBeLessThan(0.002);
    }
    const starts = iterations.map((iteration) => iteration.timestamp);
    const rate = (starts.length - 1) / (Math.max(...starts) - Math.min(...starts));
    expect(rate).toBeGreaterThan(50 * 0.9);
    expect(rate).toBeLessThan(50 * 1.1);
  });

  it("stops all three runners within a second of an abort", async () => {
    const followed = await submit(`
version: 2
title: abort a split workload
subtasks:
  - title: dummy
    scenario: {Dummy.dummy: {sleep: 0.5}}
    runner: {constant: {times: 100000, concurrency: 3, distribute: 3}}
`);
    const published = () =>
      ofType(followed.events, "IterationsRecorded").flatMap((event) => event.data.iterations);
    await withLogs(
      eventually(() => runnersOf(published()).length === 3, 20_000, "iterations from all three runners"),
    );
    const { status } = await jsonRequest(`${urls["runner-2"]}/tasks/${followed.taskId}/abort`, {
      method: "POST",
      body: "{}",
    });
    expect(status).toBe(202);
    const repliedAt = Date.now() / 1000;
    const detail = await withLogs(stored(followed.taskId, "aborted"));
    const iterations = await storedIterations(urls.results, followed.taskId, detail.workloads[0]?.id ?? "");
    expect(iterations.length).toBe(detail.workloads[0]?.totalIterationCount);
    expect(runnersOf(iterations)).toEqual([...RUNNERS]);
    for (const id of RUNNERS) {
      const mine = iterations.filter((iteration) => iteration.runner_id === id);
      const lastEnd = Math.max(...mine.map((i) => i.timestamp + i.duration + i.idle_duration));
      expect(lastEnd - repliedAt, `${id} ran on after the abort`).toBeLessThan(1);
    }
  }, 60_000);

  it("marks the share of a runner killed mid-task as lost, and the rest finishes", async () => {
    const followed = await submit(`
version: 2
title: lose a share
subtasks:
  - title: dummy
    scenario: {Dummy.dummy: {sleep: 0.05}}
    runner: {constant: {times: 450, concurrency: 3, distribute: 3}}
`);
    const coordinator = await eventually(
      () => ofType(followed.events, "TaskStarted")[0]?.data.runnerId,
      30_000,
      "the task to start",
    );
    const victim = RUNNERS.find((id) => id !== coordinator) as (typeof RUNNERS)[number];
    const survivors = RUNNERS.filter((id) => id !== victim);
    const published = () =>
      ofType(followed.events, "IterationsRecorded").flatMap((event) => event.data.iterations);
    await eventually(
      () => published().some((i) => i.runner_id === victim),
      30_000,
      `iterations of ${victim}`,
    );
    running[victim].child.kill("SIGKILL");
    await running[victim].exited;

    const detail = await withLogs(stored(followed.taskId, "finished"));
    expect(detail.passSla).toBe(false);
    expect(detail.reason).toMatch(
      new RegExp(`^Share lost: share \\d/3 of Dummy.dummy on runner ${victim} after \\d+ iterations`),
    );
    const lost = ofType(followed.events, "ShareLost");
    expect(lost.map((event) => event.data.runnerId)).toEqual([victim]);
    const workload = detail.workloads[0];
    expect(workload?.slaResults.at(-1)).toMatchObject({ criterion: "something_went_wrong", success: false });
    const iterations = await storedIterations(urls.results, followed.taskId, workload?.id ?? "");
    expect(iterations.length).toBe(workload?.totalIterationCount);
    expect(new Set(iterations.map((iteration) => iteration.seq)).size).toBe(iterations.length);
    for (const id of survivors) expect(count(iterations, id), id).toBe(150);
    expect(count(iterations, victim)).toBeLessThan(150);
    expect(workload?.statistics?.durations.total.data.iteration_count).toBe(iterations.length);
  }, 60_000);
});
