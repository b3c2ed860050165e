import { join } from "node:path";
import { createEvent } from "@paddock/shared/event-codec";
import type { AnyPaddockEvent } from "@paddock/shared/events";
import { type TempDir, tempDir } from "@paddock/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dummyTaskScript, makeIteration, tickingClock } from "../../test/fixtures/task-events.js";
import { computeWorkloadFigures } from "../statistics/workload-figures.js";
import type { ResultStore } from "../store/result-store.js";
import { openSqliteStore } from "../store/sqlite-store.js";
import {
  type ApplyOutcome,
  applyEvent,
  markTaskCrashed,
  PLACEHOLDER_TITLE,
  SHARE_LOST_REASON,
} from "./apply-event.js";

let dir: TempDir;
let store: ResultStore;
let count = 0;
const now = tickingClock("2026-11-23T23:00:00.000Z");

beforeEach(() => {
  dir = tempDir("paddock-results-projection-");
  store = openSqliteStore(join(dir.path, `projection-${++count}.sqlite`));
});

afterEach(async () => {
  await store.close();
  dir.remove();
});

async function apply(...events: AnyPaddockEvent[]): Promise<ApplyOutcome[]> {
  return store.write(async (tx) => {
    const outcomes: ApplyOutcome[] = [];
    for (const event of events) outcomes.push(await applyEvent(tx, event, now));
    return outcomes;
  });
}

/** Everything stored about a task, for comparing states. */
async function snapshot(taskId: string) {
  const workloads = await store.listWorkloads(taskId);
  return {
    task: await store.getTask(taskId),
    workloads,
    iterations: await Promise.all(workloads.map((w) => store.readIterations(w.id, 0, 1_000_000))),
  };
}

describe("applyEvent", () => {
  it("builds the task, its workload, every iteration and Rally's statistics", async () => {
    const script = dummyTaskScript({ iterations: 23, batches: 4 });
    const outcomes = await apply(...script.events);
    expect(outcomes.filter((o) => o === "ignored")).toHaveLength(1);

    const { task, workloads, iterations } = await snapshot(script.taskId);
    const failed = script.iterations.filter((i) => i.error.length > 0).length;
    expect(task).toMatchObject({
      title: "Dummy benchmark",
      tags: ["demo", "nightly"],
      environment: "local",
      status: "finished",
      runnerId: "runner-a",
      passSla: true,
      scenarios: ["Dummy.dummy"],
      iterations: 23,
      failedIterations: failed,
      placeholder: false,
      createdAt: script.queued.occurredAt,
      startedAt: script.started.occurredAt,
      finishedAt: script.finished.occurredAt,
      updatedAt: script.finished.occurredAt,
      input: script.queued.data.input,
      task: script.queued.data.task,
      source: script.queued.data.source,
    });
    expect(workloads).toHaveLength(1);
    const figures = computeWorkloadFigures(script.iterations);
    expect(workloads[0]).toMatchObject({
      status: "finished",
      totalIterationCount: 23,
      failedIterationCount: failed,
      storedIterationCount: 23,
      storedFailedCount: failed,
      minDuration: figures.minDuration,
      maxDuration: figures.maxDuration,
      statistics: figures.statistics,
      contextsResults: [script.contextSetUp.data.result, script.contextCleanedUp.data.result],
      hookResults: [{ hookIndex: 0, result: script.hook.data.result }],
      slaResults: script.workloadFinished.data.slaResults,
    });
    expect(iterations[0]).toEqual(script.iterations);
    expect(workloads[0]?.statistics?.durations.atomics.map((row) => row.display_name)).toEqual(["foo"]);
  });

  it("changes nothing when every event is applied a second time", async () => {
    const script = dummyTaskScript({ iterations: 30, batches: 5 });
    await apply(...script.events);
    const once = await snapshot(script.taskId);
    const outcomes = await apply(...script.events);
    expect(new Set(outcomes)).toEqual(new Set(["duplicate", "ignored"]));
    expect(await snapshot(script.taskId)).toEqual(once);
  });

  it("changes nothing when each event is applied twice in a row, in one batch", async () => {
    const script = dummyTaskScript({ iterations: 30, batches: 5 });
    const reference = dummyTaskScript({ taskId: "reference", iterations: 30, batches: 5 });
    await apply(...script.events.flatMap((event) => [event, event]));
    await apply(...reference.events);
    const doubled = await snapshot(script.taskId);
    const single = await snapshot("reference");
    const strip = (s: typeof doubled) => ({
      ...s,
      task: { ...s.task, id: "", updatedAt: "", createdAt: "", startedAt: "", finishedAt: "" },
      workloads: s.workloads.map((w) => ({ ...w, id: "", taskId: "", createdAt: "", updatedAt: "" })),
    });
    expect(strip(doubled)).toEqual(strip(single));
  });

  it("does not double iterations published again under a new event id", async () => {
    const script = dummyTaskScript({ iterations: 12, batches: 2 });
    await apply(...script.events);
    const batch = script.batches[0];
    if (!batch) throw new Error("no batch");
    const republished = createEvent("IterationsRecorded", script.taskId, batch.data);
    expect(await apply(republished)).toEqual(["applied"]);
    const { task, workloads, iterations } = await snapshot(script.taskId);
    expect(task?.iterations).toBe(12);
    expect(workloads[0]?.storedIterationCount).toBe(12);
    expect(iterations[0]).toHaveLength(12);
  });

  it("keeps a placeholder for a task whose TaskQueued is missing, and fills it in later", async () => {
    const script = dummyTaskScript({ iterations: 8, batches: 2 });
    const withoutQueued = script.events.filter((event) => event.type !== "TaskQueued");
    await apply(...withoutQueued);
    const placeholder = await store.getTask(script.taskId);
    expect(placeholder).toMatchObject({
      title: PLACEHOLDER_TITLE,
      placeholder: true,
      status: "finished",
      iterations: 8,
      scenarios: ["Dummy.dummy"],
    });
    expect((await store.listWorkloads(script.taskId))[0]?.statistics).not.toBeNull();

    await apply(script.queued);
    expect(await store.getTask(script.taskId)).toMatchObject({
      title: "Dummy benchmark",
      placeholder: false,
      status: "finished",
      iterations: 8,
      createdAt: script.queued.occurredAt,
    });
  });

  it("keeps a placeholder workload for iterations whose WorkloadStarted is missing", async () => {
    const script = dummyTaskScript({ iterations: 8, batches: 2 });
    await apply(...script.batches);
    expect(await store.getTask(script.taskId)).toMatchObject({
      status: "running",
      runnerId: "runner-a",
      placeholder: true,
    });
    expect((await store.listWorkloads(script.taskId))[0]).toMatchObject({
      placeholder: true,
      storedIterationCount: 8,
    });
    await apply(script.workloadStarted);
    expect((await store.listWorkloads(script.taskId))[0]).toMatchObject({
      placeholder: false,
      spec: script.workloadStarted.data.spec,
      storedIterationCount: 8,
    });
  });

  it("computes statistics only when the last late iteration arrives", async () => {
    const script = dummyTaskScript({ iterations: 16, batches: 4 });
    const [firstBatch, ...laterBatches] = script.batches;
    if (!firstBatch) throw new Error("no batch");
    await apply(script.queued, script.started, script.workloadStarted, firstBatch, script.workloadFinished);
    const waiting = (await store.listWorkloads(script.taskId))[0];
    expect(waiting).toMatchObject({ status: "finished", statistics: null, totalIterationCount: 16 });
    expect(waiting?.storedIterationCount).toBeLessThan(16);

    await apply(...laterBatches.slice(0, -1));
    expect((await store.listWorkloads(script.taskId))[0]?.statistics).toBeNull();
    await apply(...laterBatches.slice(-1));
    const done = (await store.listWorkloads(script.taskId))[0];
    expect(done?.statistics).toEqual(computeWorkloadFigures(script.iterations).statistics);
    expect(await store.readIterations(script.workloadId, 0, 100)).toEqual(script.iterations);
  });

  it("records why a task failed, was aborted or did not validate", async () => {
    const failed = dummyTaskScript({ taskId: "failed" });
    const aborted = dummyTaskScript({ taskId: "aborted" });
    const invalid = dummyTaskScript({ taskId: "invalid" });
    await apply(
      failed.queued,
      failed.started,
      createEvent("TaskFailed", "failed", {
        error: ["ConnectionError", "keystone unreachable", "tb"],
        validation: false,
      }),
      aborted.queued,
      aborted.started,
      createEvent("TaskAborted", "aborted", { mode: "soft", reason: "operator pressed a" }),
      invalid.queued,
      createEvent("TaskFailed", "invalid", {
        error: ["ValidationError", "bad runner", ""],
        validation: true,
      }),
    );
    expect(await store.getTask("failed")).toMatchObject({
      status: "crashed",
      reason: "ConnectionError: keystone unreachable",
    });
    expect(await store.getTask("aborted")).toMatchObject({
      status: "aborted",
      reason: "Aborted (soft): operator pressed a",
    });
    expect(await store.getTask("invalid")).toMatchObject({
      status: "validation_failed",
      reason: "ValidationError: bad runner",
      startedAt: null,
    });
  });

  it("marks a task failed on SLA while it keeps running", async () => {
    const script = dummyTaskScript({ iterations: 7 });
    const failing = { ...script.workloadFinished, data: { ...script.workloadFinished.data, passSla: false } };
    await apply(script.queued, script.started, script.workloadStarted, ...script.batches, failing);
    expect(await store.getTask(script.taskId)).toMatchObject({ status: "running", passSla: false });
  });

  it("ignores the events of a deleted task", async () => {
    const script = dummyTaskScript({ iterations: 6 });
    await apply(...script.events.slice(0, 4));
    expect(await store.deleteTask(script.taskId, "2026-11-24T00:00:00.000Z")).toBe(true);
    const outcomes = await apply(...script.events.slice(4));
    expect(outcomes.every((o) => o === "ignored")).toBe(true);
    expect(await store.getTask(script.taskId)).toBeUndefined();
  });

  it("marks only a running task crashed, keeping its partial data", async () => {
    const script = dummyTaskScript({ iterations: 9, batches: 3 });
    await apply(script.queued, script.started, script.workloadStarted, ...script.batches.slice(0, 2));
    const crashed = await store.write((tx) =>
      markTaskCrashed(
        tx,
        script.taskId,
        "runner runner-a sent no heartbeat for 15 s",
        "2026-11-24T00:00:00.000Z",
      ),
    );
    expect(crashed).toBe(true);
    expect(await store.getTask(script.taskId)).toMatchObject({
      status: "crashed",
      reason: "runner runner-a sent no heartbeat for 15 s",
      finishedAt: "2026-11-24T00:00:00.000Z",
      iterations: 6,
    });
    expect(await store.readIterations(script.workloadId, 0, 100)).toHaveLength(6);
    expect(
      await store.write((tx) => markTaskCrashed(tx, script.taskId, "again", "2026-11-24T00:00:01.000Z")),
    ).toBe(false);

    // A runner that was only partitioned may still report the end: the fact wins over the guess.
    await apply(script.batches[2] as AnyPaddockEvent, script.workloadFinished, script.finished);
    expect(await store.getTask(script.taskId)).toMatchObject({
      status: "finished",
      iterations: 9,
      reason: null,
    });
  });

  it("stores a distributed workload's iterations from several runners once each, and a lost share", async () => {
    const script = dummyTaskScript({ iterations: 1, batches: 1 });
    const clock = tickingClock("2026-11-24T01:00:00.000Z");
    const { taskId, workloadId } = script;
    // Three shares interleave seqs (share k runs k, k + 3, ...); share 2 dies after two iterations.
    const runnerOf = (seq: number) => ["runner-a", "runner-b", "runner-c"][seq % 3] as string;
    const ran = [...Array(12).keys()].filter((seq) => seq % 3 !== 2 || seq < 6);
    const batches = ["runner-a", "runner-b", "runner-c"].map((runnerId) =>
      createEvent(
        "IterationsRecorded",
        taskId,
        {
          workloadId,
          runnerId,
          iterations: ran
            .filter((seq) => runnerOf(seq) === runnerId)
            .map((seq) => ({ ...makeIteration(seq, 1795473562.5), runner_id: runnerId })),
        },
        clock,
      ),
    );
    const lost = createEvent(
      "ShareLost",
      taskId,
      {
        workloadId,
        runnerId: "runner-c",
        shareIndex: 2,
        shares: 3,
        completed: 2,
        failed: 0,
        reason: "runner runner-c sent no heartbeat for 2.4 s (ttl 2 s)",
      },
      clock,
    );
    const finished = createEvent(
      "WorkloadFinished",
      taskId,
      { ...script.workloadFinished.data, totalIterationCount: ran.length, passSla: false },
      clock,
    );
    await apply(script.queued, script.started, script.workloadStarted, ...batches, lost, finished);
    await apply(createEvent("TaskFinished", taskId, { status: "finished", passSla: false }, clock));

    const task = await store.getTask(taskId);
    expect(task).toMatchObject({ status: "finished", passSla: false, iterations: ran.length });
    expect(task?.reason).toBe(
      `${SHARE_LOST_REASON}: share 3/3 of Dummy.dummy on runner runner-c after 2 iterations (runner runner-c sent no heartbeat for 2.4 s (ttl 2 s)); the rest of the workload went on without it.`,
    );
    const stored = await store.readIterations(workloadId, 0, 100);
    expect(stored.map((i) => i.seq)).toEqual(ran);
    expect(stored.map((i) => i.runner_id)).toEqual(ran.map(runnerOf));
    const workload = await store.getWorkload(workloadId);
    expect(workload?.storedIterationCount).toBe(ran.length);
    expect(workload?.statistics?.durations.total.data.iteration_count).toBe(ran.length);
  });
});
