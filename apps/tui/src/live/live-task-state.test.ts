import { createEvent } from "@paddock/shared/event-codec";
import type { LatencyHistogram } from "@paddock/shared/events";
import { histogramCount, mergeHistograms } from "@paddock/shared/histogram";
import { describe, expect, it } from "vitest";
import {
  dummyRunEvents,
  HOOKED_WORKLOAD_ID,
  hookedRunEvents,
  WORKLOAD_ID,
} from "../../test/fixtures/index.js";
import { distributedRpsEvents, LOST_REASON, LOST_RUNNER } from "../../test/fixtures/live.js";
import { lifecycleLine, progressLine } from "./event-lines.js";
import {
  applyEvent,
  etaSeconds,
  initialLiveTask,
  isEnded,
  type LiveTask,
  type LiveWorkload,
  P95_HISTORY,
} from "./live-task-state.js";

const TASK = "task-1";

function replay(events = dummyRunEvents(TASK)): LiveTask {
  return events.reduce(applyEvent, initialLiveTask(TASK));
}

describe("applyEvent", () => {
  it("follows a run from queued to finished", () => {
    const events = dummyRunEvents(TASK);
    const states = events.map((_, index) => replay(events.slice(0, index + 1)));
    expect(states.map((state) => state.status)).toEqual([
      "queued",
      "running",
      "running",
      "running",
      "running",
      "running",
      "finished",
    ]);
    const last = states.at(-1) as LiveTask;
    expect(last.title).toBe("Dummy — the smallest benchmark");
    expect(last.environment).toBe("local");
    expect(last.runnerId).toBe("runner-1");
    expect(last.workloadTotal).toBe(1);
    expect(last.outcome).toEqual({ kind: "finished", passSla: true });
    expect(last.workloads[0]).toMatchObject({
      workloadId: WORKLOAD_ID,
      scenario: "Dummy.dummy",
      runner: "constant",
      expected: 100,
      completed: 100,
      status: "finished",
      passSla: true,
      loadDuration: 2.61,
    });
    expect(isEnded(last)).toBe(true);
  });

  it("takes progress that arrives before its workload's start, and never counts backwards", () => {
    const [queued, started, workloadStarted, early, late] = dummyRunEvents(TASK);
    if (!queued || !started || !workloadStarted || !early || !late) throw new Error("fixture");
    const state = [queued, late, early, workloadStarted, started].reduce(applyEvent, initialLiveTask(TASK));
    expect(state.workloads).toHaveLength(1);
    expect(state.workloads[0]).toMatchObject({ completed: 80, subtaskIndex: 0, scenario: "Dummy.dummy" });
    expect(state.status).toBe("running");
  });

  it("ignores events of other tasks", () => {
    const [queued] = dummyRunEvents("another");
    expect(applyEvent(initialLiveTask(TASK), queued as never)).toEqual(initialLiveTask(TASK));
  });

  it("records an abort and a failure as the outcome", () => {
    const aborted = applyEvent(
      initialLiveTask(TASK),
      createEvent("TaskAborted", TASK, { mode: "soft", reason: "aborted by the user" }),
    );
    expect(aborted.status).toBe("aborted");
    expect(aborted.outcome).toEqual({ kind: "aborted", mode: "soft", reason: "aborted by the user" });
    const failed = applyEvent(
      initialLiveTask(TASK),
      createEvent("TaskFailed", TASK, {
        error: ["PluginNotFound", "There is no Scenario plugin 'Dummy.dumy'", ""],
        validation: true,
      }),
    );
    expect(failed.status).toBe("validation_failed");
    expect(failed.outcome).toEqual({
      kind: "failed",
      message: "PluginNotFound: There is no Scenario plugin 'Dummy.dumy'",
      validation: true,
    });
  });
});

describe("event lines", () => {
  it("prints one line per lifecycle event and a progress line per report", () => {
    let state = initialLiveTask(TASK);
    const lines: string[] = [];
    for (const event of dummyRunEvents(TASK, { passSla: false })) {
      state = applyEvent(state, event);
      const workload = state.workloads[0];
      if (event.type === "ProgressReported" && workload) lines.push(progressLine(workload));
      else lines.push(lifecycleLine(event, state) ?? "");
    }
    expect(lines).toEqual([
      "Task task-1: queued — Dummy — the smallest benchmark (environment local, 1 workload)",
      "Task task-1: running on runner runner-1",
      "Workload 1.1 started: Dummy.dummy (constant, 100 iterations) — Dummy.dummy with a constant load",
      "  1.1 progress 40/100 (40%)  38.5/s  failed 4  p50 10.2 ms  p95 11.8 ms  p99 13.1 ms  elapsed 1.0 s",
      "  1.1 progress 80/100 (80%)  38.5/s  failed 8  p50 10.2 ms  p95 11.8 ms  p99 13.1 ms  elapsed 2.1 s",
      "Workload 1.1 finished: 100 iterations, 10 failed, load 2.610 s, SLA failed",
      "Task task-1: finished, SLA failed",
    ]);
  });
});

describe("what the live screen draws", () => {
  it("keeps the recent p95 values, the hooks as they fired and an ETA", () => {
    const state = hookedRunEvents(TASK).reduce(applyEvent, initialLiveTask(TASK));
    const [hooked] = state.workloads as LiveWorkload[];
    expect(hooked?.workloadId).toBe(HOOKED_WORKLOAD_ID);
    expect(hooked?.p95History).toEqual([0.0512, 0.0534, 0.0561, 0.0598, 0.0644, 0.0702]);
    expect(hooked?.hooks).toEqual([
      {
        hookIndex: 0,
        action: "sys_call",
        status: "success",
        trigger: "iteration 50",
        duration: expect.closeTo(0.12, 5),
        error: null,
      },
    ]);
    expect(etaSeconds(hooked as LiveWorkload)).toBe(4);
  });

  it("caps the p95 history, and estimates a duration-bound runner by its time left", () => {
    const events = hookedRunEvents(TASK);
    const progress = events.find((event) => event.type === "ProgressReported");
    if (progress?.type !== "ProgressReported") throw new Error("fixture");
    let state = events.slice(0, 3).reduce(applyEvent, initialLiveTask(TASK));
    for (let index = 0; index < P95_HISTORY + 30; index += 1) {
      state = applyEvent(state, {
        ...progress,
        data: { ...progress.data, completed: index, latency: { ...progress.data.latency, p95: index } },
      });
    }
    const history = state.workloads[0]?.p95History ?? [];
    expect(history).toHaveLength(P95_HISTORY);
    expect(history.at(-1)).toBe(P95_HISTORY + 29);
    const timed = { ...(state.workloads[0] as LiveWorkload), expected: null, durationLimit: 30, elapsed: 12 };
    expect(etaSeconds(timed)).toBe(18);
    expect(etaSeconds({ ...timed, durationLimit: null })).toBeNull();
    expect(etaSeconds({ ...timed, status: "finished" })).toBe(0);
  });
});

describe("histograms, atomics, live SLA, schedule lag and runner shares", () => {
  it("adds the windows up, keeps the latest verdicts and lag, and a lost share stays lost", () => {
    const events = distributedRpsEvents(TASK, 3);
    const state = events.reduce(applyEvent, initialLiveTask(TASK));
    const [workload] = state.workloads as LiveWorkload[];
    if (!workload) throw new Error("no workload");
    const windows = events.flatMap((event) =>
      event.type === "ProgressReported" && event.data.histogram ? [event.data.histogram] : [],
    );
    expect(workload.histogram).toEqual(mergeHistograms(windows));
    expect(histogramCount(workload.histogram as LatencyHistogram)).toBe(6000);
    expect(workload.atomics.map(({ name, count, failed }) => ({ name, count, failed }))).toEqual([
      { name: "dummy_fail_test", count: 6000, failed: 114 },
      { name: "dummy_fail_inner_test", count: 6000, failed: 114 },
    ]);
    expect(histogramCount(workload.atomics[0]?.histogram as LatencyHistogram)).toBe(6000);
    expect(workload.liveSla.map((result) => [result.criterion, result.success])).toEqual([
      ["failure_rate", false],
      ["max_avg_duration", true],
    ]);
    expect(workload.scheduleLag).toEqual({ p50: 0.00012, p99: 0.0031, max: 0.0094, late: 123 });
    expect(workload.shares.map((share) => [share.runnerId, share.state])).toEqual([
      ["runner-a", "running"],
      ["runner-b", "running"],
      [LOST_RUNNER, "lost"],
    ]);
    expect(workload.lostReasons).toEqual({ [LOST_RUNNER]: LOST_REASON });
    const lost = events.find((event) => event.type === "ShareLost");
    if (lost === undefined) throw new Error("fixture");
    expect(lifecycleLine(lost, state)).toBe(
      `Workload 1.1: share 3 of 3 lost (runner ${LOST_RUNNER}, 800 iterations published): ${LOST_REASON}`,
    );

    const last = events.at(-1);
    if (last?.type !== "ProgressReported") throw new Error("fixture");
    const shares = (last.data.shares ?? []).map((share) => ({ ...share, state: "running" as const }));
    const later = applyEvent(state, {
      ...last,
      data: {
        ...last.data,
        completed: 7000,
        shares: shares.filter((share) => share.runnerId !== "runner-b"),
      },
    });
    expect(later.workloads[0]?.shares.map((share) => [share.runnerId, share.state])).toEqual([
      ["runner-a", "running"],
      [LOST_RUNNER, "lost"],
      ["runner-b", "running"],
    ]);
  });
});
