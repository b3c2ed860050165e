/**
 * `paddock task start --wait` end to end on a real nats-server: a loopback runner publishes the
 * task's events into JetStream (as the real runner does), a loopback results service answers
 * with the stored report, and the real executable follows, prints and exits with Rally's code.
 */
import { connectBus, createEventPublisher, ensureStreams } from "@paddock/bus";
import type { TaskDetail } from "@paddock/shared/api";
import { freePort, startTestNats, type TestNats } from "@paddock/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dummyRunDetail, dummyRunEvents } from "./fixtures/index.js";
import { errorAnswer, type LoopbackService, startLoopbackService } from "./support/loopback-service.js";
import { runCli } from "./support/run-cli.js";

let nats: TestNats;
let nc: Awaited<ReturnType<typeof connectBus>>;

beforeAll(async () => {
  nats = await startTestNats();
  nc = await connectBus({ url: nats.url, name: "tui-test-runner" });
  await ensureStreams(nc);
});

afterAll(async () => {
  await nc?.close();
  await nats?.dispose();
});

interface FakeStack {
  readonly runner: LoopbackService;
  readonly results: LoopbackService;
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * A runner that publishes the run's events (after `delayMs` each, or all before answering when
 * `publishFirst`), and a results service that holds the report once the task has ended.
 */
async function fakeStack(
  taskId: string,
  options: { passSla?: boolean; publishFirst?: boolean; delayMs?: number; settles?: boolean } = {},
): Promise<FakeStack> {
  const publisher = createEventPublisher(nc);
  const events = dummyRunEvents(taskId, { passSla: options.passSla ?? true });
  let ended = false;
  let asked = 0;
  let closed = false;
  const publishAll = async () => {
    for (const event of events) {
      if (closed) return;
      await publisher.publish(event);
      if (!options.publishFirst) await new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 150));
    }
    ended = true;
  };
  let publishing: Promise<void> = Promise.resolve();
  const runner = await startLoopbackService(async (request) => {
    if (request.method !== "POST" || request.path !== "/tasks")
      return errorAnswer(404, "ROUTE_NOT_FOUND", "no");
    if (options.publishFirst) await publishAll();
    else publishing = publishAll();
    return { status: 202, body: { taskId, status: "queued" } };
  });
  const detail = dummyRunDetail(taskId, { passSla: options.passSla ?? true });
  const results = await startLoopbackService((request) => {
    if (request.path !== `/tasks/${taskId}`)
      return errorAnswer(404, "TASK_NOT_FOUND", `There is no task '${request.path}'`);
    if (!ended)
      return { status: 200, body: { ...detail, status: "running", workloads: [] } satisfies TaskDetail };
    asked += 1;
    // The first answer after the end has no statistics yet: they are stored a moment later.
    if (asked === 1 || options.settles === false) {
      const unsettled: TaskDetail = {
        ...detail,
        status: options.settles === false ? "running" : "finished",
        workloads: detail.workloads.map((workload) => ({ ...workload, statistics: null })),
      };
      return { status: 200, body: unsettled };
    }
    return { status: 200, body: detail };
  });
  return {
    runner,
    results,
    env: { PADDOCK_RUNNER_URL: runner.url, PADDOCK_RESULTS_URL: results.url, NATS_URL: nats.url },
    async close() {
      closed = true;
      await publishing;
      await runner.close();
      await results.close();
    },
  };
}

function lifecycleLines(stdout: string): string[] {
  return stdout.split("\n").filter((line) => /^(Task|Workload) /.test(line));
}

describe("paddock task start --wait", () => {
  it("follows the task live, prints Rally's report and exits 0 when the SLA passed", async () => {
    const id = "wait-pass-0001";
    const stack = await fakeStack(id);
    try {
      const run = await runCli(["task", "start", "dummy/dummy.yaml", "--wait"], { env: stack.env });
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(lifecycleLines(run.stdout)).toEqual([
        `Task ${id}: submitted (queued)`,
        `Task ${id}: queued — Dummy — the smallest benchmark (environment local, 1 workload)`,
        `Task ${id}: running on runner runner-1`,
        "Workload 1.1 started: Dummy.dummy (constant, 100 iterations) — Dummy.dummy with a constant load",
        "Workload 1.1 finished: 100 iterations, 0 failed, load 2.610 s, SLA passed",
        `Task ${id}: finished, SLA passed`,
        `Task ${id}: finished, SLA passed`,
        "Workload 1.1: Dummy.dummy — Dummy.dummy with a constant load",
        `Task ${id}: finished, SLA passed`,
      ]);
      expect(run.stdout).toMatch(
        /^ {2}1\.1 progress \d+\/100 \(\d+%\) {2}38\.5\/s {2}failed 0 {2}p50 10\.2 ms/m,
      );
      expect(run.stdout).toContain("| Action            | Min (sec) | Median (sec) |");
      expect(run.stdout).toContain(
        "Load duration: 2.610 s\nFull duration: 2.700 s\nIterations: 100\nFailures: 0",
      );
      expect(run.stdout.trimEnd().split("\n").at(-1)).toBe(`Task ${id}: finished, SLA passed`);
    } finally {
      await stack.close();
    }
  });

  it("exits 2 when the SLA failed", async () => {
    const id = "wait-fail-0002";
    const stack = await fakeStack(id, { passSla: false, delayMs: 50 });
    try {
      const run = await runCli(["task", "start", "dummy/dummy.yaml", "--wait"], { env: stack.env });
      expect(run.code).toBe(2);
      expect(run.stdout).toContain(
        "  FAIL  failure_rate  Failure rate criteria 0.00% <= 10.00% <= 0.00% - Failed",
      );
      expect(run.stdout.trimEnd().split("\n").at(-1)).toBe(`Task ${id}: finished, SLA failed`);
    } finally {
      await stack.close();
    }
  });

  it("replays what happened before it joined", async () => {
    const id = "wait-late-0003";
    const stack = await fakeStack(id, { publishFirst: true });
    try {
      const run = await runCli(["task", "start", "dummy/dummy.yaml", "--wait"], { env: stack.env });
      expect(run.code).toBe(0);
      expect(lifecycleLines(run.stdout).slice(0, 6)).toEqual([
        `Task ${id}: submitted (queued)`,
        `Task ${id}: queued — Dummy — the smallest benchmark (environment local, 1 workload)`,
        `Task ${id}: running on runner runner-1`,
        "Workload 1.1 started: Dummy.dummy (constant, 100 iterations) — Dummy.dummy with a constant load",
        "Workload 1.1 finished: 100 iterations, 0 failed, load 2.610 s, SLA passed",
        `Task ${id}: finished, SLA passed`,
      ]);
    } finally {
      await stack.close();
    }
  });

  it("falls back to the results service when NATS cannot be reached", async () => {
    const id = "wait-nonats-0004";
    const stack = await fakeStack(id, { delayMs: 20 });
    const port = await freePort();
    try {
      const run = await runCli(["task", "start", "dummy/dummy.yaml", "--wait"], {
        env: { ...stack.env, NATS_URL: `nats://127.0.0.1:${port}` },
      });
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(
        new RegExp(
          `^paddock: NATS is not reachable at nats://127\\.0\\.0\\.1:${port} .*; waiting for the results service instead\\n$`,
        ),
      );
      expect(run.stdout.trimEnd().split("\n").at(-1)).toBe(`Task ${id}: finished, SLA passed`);
    } finally {
      await stack.close();
    }
  });

  it("gives up clearly when the results service does not settle in time", async () => {
    const id = "wait-stuck-0005";
    const stack = await fakeStack(id, { delayMs: 20, settles: false });
    try {
      const run = await runCli(["task", "start", "dummy/dummy.yaml", "--wait"], {
        env: { ...stack.env, PADDOCK_RESULTS_WAIT_SECONDS: "1" },
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `paddock: the results service has no final report of task ${id} after 1 s (its status there is 'running'); look again with: paddock task status ${id}\n`,
      );
    } finally {
      await stack.close();
    }
  });

  it("stops following on Ctrl-C, leaving the task running, and exits 130", async () => {
    const id = "wait-interrupted-0006";
    const stack = await fakeStack(id, { delayMs: 2000 });
    try {
      const run = await runCli(["task", "start", "dummy/dummy.yaml", "--wait"], {
        env: stack.env,
        signalWhen: { text: "running on runner", signal: "SIGINT" },
      });
      expect(run.code).toBe(130);
      expect(run.stderr).toBe(
        `paddock: stopped following task ${id}; it keeps running (abort it with: paddock task abort ${id})\n`,
      );
    } finally {
      await stack.close();
    }
  });
});
