import type { PaddockEvent } from "@paddock/shared/events";
import { loadTask } from "@paddock/tasks";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { MemoryPublisher } from "../test/support/memory-publisher.js";
import { systemClock } from "./clock.js";
import { createPluginRegistry } from "./plugins/index.js";
import { type ExecutorDeps, executeTask, type RunOptions, TaskRun } from "./task-executor.js";
import { type PreparedTask, prepareTask } from "./task-validator.js";

const plugins = createPluginRegistry();

function prepare(text: string): PreparedTask {
  const preparation = prepareTask(loadTask(text).task, plugins);
  if (!preparation.ok) throw new Error(JSON.stringify(preparation.problems));
  return preparation.task;
}

function deps(publisher: MemoryPublisher): ExecutorDeps {
  return {
    publisher,
    clock: systemClock,
    runnerId: "runner-test",
    logger: pino({ level: "silent" }),
    progressIntervalMs: 50,
  };
}

async function execute(text: string, during?: (run: TaskRun) => void, options?: RunOptions) {
  const publisher = new MemoryPublisher();
  const run = new TaskRun("task-1", "t", systemClock, options);
  const done = executeTask(deps(publisher), prepare(text), run);
  during?.(run);
  const outcome = await done;
  const lifecycle = publisher.events.filter(
    (e) => e.type !== "IterationsRecorded" && e.type !== "ProgressReported",
  );
  return { outcome, publisher, lifecycle: lifecycle.map((e) => e.type) };
}

const iterationsOf = (publisher: MemoryPublisher, workloadId?: string) =>
  publisher
    .ofType("IterationsRecorded")
    .filter((e) => workloadId === undefined || e.data.workloadId === workloadId)
    .flatMap((e) => e.data.iterations);

describe("executeTask", () => {
  it("publishes the whole lifecycle of a two-subtask task, workloads in order", async () => {
    const { outcome, publisher, lifecycle } = await execute(`
version: 2
title: two
subtasks:
  - title: first
    workloads:
      - scenario: {Dummy.dummy: {sleep: 0}}
        runner: {constant: {times: 25, concurrency: 5}}
      - scenario: {Dummy.dummy_output: {}}
        runner: {serial: {times: 3}}
  - title: second
    scenario: {Dummy.failure: {sleep: 0, from_iteration: 1, to_iteration: 4, each: 2}}
    runner: {constant: {times: 4, concurrency: 2}}
    sla: {failure_rate: {max: 60}}
`);
    expect(outcome).toEqual({ status: "finished", passSla: true });
    expect(lifecycle).toEqual([
      "TaskStarted",
      "WorkloadStarted",
      "WorkloadFinished",
      "WorkloadStarted",
      "WorkloadFinished",
      "WorkloadStarted",
      "WorkloadFinished",
      "TaskFinished",
    ]);
    const started = publisher.ofType("WorkloadStarted");
    expect(started.map((e) => [e.data.subtaskIndex, e.data.position, e.data.expectedIterations])).toEqual([
      [0, 0, 25],
      [0, 1, 3],
      [1, 0, 4],
    ]);
    expect(started[0]?.data.workloadId).toMatch(/^[0-9a-f-]{36}$/);
    const dummy = iterationsOf(publisher, started[0]?.data.workloadId);
    expect(dummy.map((i) => i.seq).sort((a, b) => a - b)).toEqual([...Array(25).keys()]);
    expect(dummy[0]?.atomic_actions.map((a) => a.name)).toEqual(["foo"]);
    expect(iterationsOf(publisher, started[1]?.data.workloadId)[0]?.output.additive).toHaveLength(4);
    const failure = iterationsOf(publisher, started[2]?.data.workloadId);
    expect(failure.filter((i) => i.error.length > 0)).toHaveLength(2);
    const finished = publisher.ofType("WorkloadFinished");
    expect(finished[0]?.data).toMatchObject({
      totalIterationCount: 25,
      failedIterationCount: 0,
      passSla: true,
    });
    expect(finished[2]?.data).toMatchObject({
      totalIterationCount: 4,
      failedIterationCount: 2,
      passSla: true,
    });
    expect(finished[2]?.data.slaResults).toEqual([
      {
        criterion: "failure_rate",
        success: true,
        detail: "Failure rate criteria 0.00% <= 50.00% <= 60.00% - Passed",
      },
    ]);
    const first = finished[0]?.data;
    expect(first?.startTime).toBe(Math.min(...dummy.map((i) => i.timestamp)));
    expect(first?.loadDuration).toBeGreaterThan(0);
    expect(first?.fullDuration).toBeGreaterThanOrEqual(first?.loadDuration ?? 0);
    const lastProgress = publisher
      .ofType("ProgressReported")
      .filter((e) => e.data.workloadId === started[2]?.data.workloadId)
      .at(-1);
    expect(lastProgress?.data).toMatchObject({
      runnerId: "runner-test",
      completed: 4,
      failed: 2,
      expected: 4,
      inFlight: 0,
      errorsByType: { DummyScenarioException: 2 },
    });
  });

  it("reports a failed SLA in WorkloadFinished and TaskFinished", async () => {
    const { outcome, publisher } = await execute(`
{"Dummy.dummy_exception": [{"args": {"sleep": 0}, "runner": {"type": "serial", "times": 2}}]}
`);
    expect(outcome).toEqual({ status: "finished", passSla: false });
    expect(publisher.ofType("WorkloadFinished")[0]?.data.slaResults[0]?.detail).toBe(
      "Failure rate criteria 0.00% <= 100.00% <= 0.00% - Failed",
    );
    expect(publisher.ofType("TaskFinished")[0]?.data).toEqual({ status: "finished", passSla: false });
    expect(iterationsOf(publisher)[0]?.error.slice(0, 2)).toEqual([
      "DummyScenarioException",
      "Dummy scenario expected exception: 'M'",
    ]);
  });

  it("sets contexts up before the load and cleans them up after, recording failures", async () => {
    const ok = await execute(`
version: 2
title: ctx
subtasks:
  - title: a
    scenario: {Dummy.dummy: {}}
    runner: {serial: {times: 2}}
    contexts: {dummy_context: {fail_cleanup: true}}
`);
    expect(ok.lifecycle).toEqual([
      "TaskStarted",
      "WorkloadStarted",
      "ContextSetUp",
      "ContextCleanedUp",
      "WorkloadFinished",
      "TaskFinished",
    ]);
    expect(ok.publisher.ofType("ContextSetUp")[0]?.data.result).toMatchObject({
      name: "dummy_context",
      stage: "setup",
      error: [],
    });
    expect(ok.publisher.ofType("ContextCleanedUp")[0]?.data.result.error.slice(0, 2)).toEqual([
      "ContextError",
      "Oops...cleanup is failed",
    ]);
    expect(ok.outcome).toEqual({ status: "finished", passSla: true });

    const failing = await execute(`
version: 2
title: ctx
subtasks:
  - title: a
    scenario: {Dummy.dummy: {}}
    runner: {serial: {times: 2}}
    contexts: {dummy_context: {fail_setup: true}}
`);
    expect(failing.lifecycle).toEqual([
      "TaskStarted",
      "WorkloadStarted",
      "ContextSetUp",
      "WorkloadFinished",
      "TaskFinished",
    ]);
    expect(iterationsOf(failing.publisher)).toHaveLength(0);
    const finished = failing.publisher.ofType("WorkloadFinished")[0]?.data;
    expect(finished?.totalIterationCount).toBe(0);
    expect(finished?.startTime).toBeNull();
    expect(finished?.slaResults.at(-1)).toEqual({
      criterion: "something_went_wrong",
      success: false,
      detail: "Unexpected error: Oops...setup is failed",
    });
    expect(failing.outcome).toEqual({ status: "finished", passSla: false });
  });

  it("on a soft abort finishes the running workload, skips the rest and publishes TaskAborted", async () => {
    const { outcome, publisher, lifecycle } = await execute(
      `
version: 2
title: long
subtasks:
  - title: a
    scenario: {Dummy.dummy: {sleep: 0.01}}
    runner: {constant: {times: 100000, concurrency: 2}}
  - title: b
    scenario: {Dummy.dummy: {}}
`,
      (run) => setTimeout(() => run.abort("soft"), 150),
    );
    expect(outcome).toEqual({ status: "aborted", mode: "soft" });
    expect(lifecycle).toEqual(["TaskStarted", "WorkloadStarted", "WorkloadFinished", "TaskAborted"]);
    const finished = publisher.ofType("WorkloadFinished")[0] as PaddockEvent<"WorkloadFinished">;
    expect(finished.data.totalIterationCount).toBe(iterationsOf(publisher).length);
    expect(finished.data.totalIterationCount).toBeLessThan(100000);
    expect(finished.data.slaResults.map((r) => r.criterion)).toEqual(["failure_rate", "aborted_manually"]);
    expect(iterationsOf(publisher).every((i) => i.error.length === 0)).toBe(true);
    expect(publisher.ofType("TaskAborted")[0]?.data.mode).toBe("soft");
  });

  it("on a hard abort interrupts running iterations", async () => {
    const { outcome, publisher } = await execute(
      `
version: 2
title: slow
subtasks:
  - title: a
    scenario: {Dummy.dummy: {sleep: 30}}
    runner: {constant: {times: 4, concurrency: 2}}
`,
      (run) => setTimeout(() => run.abort("hard"), 100),
    );
    expect(outcome).toEqual({ status: "aborted", mode: "hard" });
    const iterations = iterationsOf(publisher);
    expect(iterations).toHaveLength(2);
    expect(iterations.map((i) => i.error[0])).toEqual(["AbortError", "AbortError"]);
    expect(publisher.ofType("TaskFinished")).toHaveLength(0);
  });

  describe("abort_on_sla_failure", () => {
    const failing = (times: number) => `
version: 2
title: failing
subtasks:
  - title: a
    scenario: {Dummy.dummy_exception: {sleep: 0.001}}
    runner: {constant: {times: ${times}, concurrency: 2}}
    sla: {failure_rate: {max: 0}, max_avg_duration: 10}
  - title: b
    scenario: {Dummy.dummy: {sleep: 0}}
`;

    it("stops the load at the first SLA failure, records aborted_on_sla and skips later workloads", async () => {
      const { outcome, publisher, lifecycle } = await execute(failing(100000), undefined, {
        abortOnSlaFailure: true,
      });
      expect(outcome).toEqual({ status: "aborted", mode: "sla" });
      expect(lifecycle).toEqual(["TaskStarted", "WorkloadStarted", "WorkloadFinished", "TaskAborted"]);
      const finished = publisher.ofType("WorkloadFinished")[0] as PaddockEvent<"WorkloadFinished">;
      // Soft, as Rally: iterations already running end; no new one starts.
      expect(finished.data.totalIterationCount).toBeGreaterThanOrEqual(1);
      expect(finished.data.totalIterationCount).toBeLessThan(50);
      expect(finished.data.passSla).toBe(false);
      expect(finished.data.slaResults).toEqual([
        expect.objectContaining({ criterion: "failure_rate", success: false }),
        expect.objectContaining({ criterion: "max_avg_duration", success: true }),
        { criterion: "aborted_on_sla", success: false, detail: "Task was aborted due to SLA failure(s)." },
      ]);
      const aborted = publisher.ofType("TaskAborted")[0] as PaddockEvent<"TaskAborted">;
      expect(aborted.data.mode).toBe("sla");
      expect(aborted.data.reason).toContain("SLA failure");
      expect(publisher.ofType("TaskFinished")).toHaveLength(0);
    });

    it("without the option runs the failing load to its end", async () => {
      const { outcome, publisher } = await execute(failing(20));
      expect(outcome).toEqual({ status: "finished", passSla: false });
      const finished = publisher.ofType("WorkloadFinished");
      expect(finished).toHaveLength(2);
      expect(finished[0]?.data.totalIterationCount).toBe(20);
      expect(finished[0]?.data.slaResults.map((r) => r.criterion)).toEqual([
        "failure_rate",
        "max_avg_duration",
      ]);
    });

    it("leaves a task whose SLA holds alone", async () => {
      const { outcome, publisher } = await execute(
        `
version: 2
title: fine
subtasks:
  - title: a
    scenario: {Dummy.dummy: {sleep: 0}}
    runner: {constant: {times: 30, concurrency: 3}}
    sla: {failure_rate: {max: 0}}
`,
        undefined,
        { abortOnSlaFailure: true },
      );
      expect(outcome).toEqual({ status: "finished", passSla: true });
      expect(publisher.ofType("WorkloadFinished")[0]?.data.totalIterationCount).toBe(30);
    });
  });

  it("publishes hook results before WorkloadFinished", async () => {
    const { publisher, lifecycle } = await execute(`
version: 2
title: hooks
subtasks:
  - title: a
    scenario: {Dummy.dummy: {}}
    runner: {serial: {times: 3}}
    hooks:
      - description: at 2
        action: {sys_call: "/bin/sh -c 'echo hi'"}
        trigger: {event: {unit: iteration, at: [2]}}
`);
    expect(lifecycle).toEqual([
      "TaskStarted",
      "WorkloadStarted",
      "HookExecuted",
      "WorkloadFinished",
      "TaskFinished",
    ]);
    expect(publisher.ofType("HookExecuted")[0]?.data).toMatchObject({
      hookIndex: 0,
      result: { status: "success", triggered_by: { event_type: "iteration", value: 2 } },
    });
  });

  it("publishes TaskFailed when events cannot be stored", async () => {
    const publisher = new MemoryPublisher();
    const broken = (event: { type: string }) =>
      event.type === "IterationsRecorded" ? new Error("stream is gone") : undefined;
    publisher.failWith(...Array.from({ length: 40 }, () => broken));
    const outcome = await executeTask(
      { ...deps(publisher), queue: { attempts: 2, retryDelayMs: 1 } },
      prepare(`{"Dummy.dummy": [{"runner": {"type": "serial", "times": 2}}]}`),
      new TaskRun("task-2", "t", systemClock),
    );
    expect(outcome.status).toBe("failed");
    const failed = publisher.ofType("TaskFailed")[0];
    expect(failed?.data.validation).toBe(false);
    expect(failed?.data.error[1]).toBe("Events could not be published: stream is gone");
    expect(publisher.ofType("WorkloadFinished")).toHaveLength(0);
  });
});
