import { createEvent } from "@paddock/shared/event-codec";
import { describe, expect, it } from "vitest";
import { dummyRunEvents, WORKLOAD_ID } from "../../test/fixtures/index.js";
import { lifecycleLine, progressLine } from "./event-lines.js";
import { applyEvent, initialLiveTask, isEnded, type LiveTask } from "./live-task-state.js";

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
