import type { WorkloadOverrides } from "@paddock/shared/api";
import { RequestInvalid } from "@paddock/shared/errors";
import type { TaskSpec } from "@paddock/shared/task-model";
import { describe, expect, it } from "vitest";
import { loadTask } from "./task-loader.js";
import { applyOverrides, checkTaskSpec, taskSpecDocument } from "./workload-overrides.js";

const TASK = `version: 2
title: Two subtasks
subtasks:
  - title: first
    workloads:
      - scenario: {Dummy.dummy: {sleep: 0.1}}
        runner: {constant: {times: 10, concurrency: 2}}
        contexts: {dummy_context: {fail_setup: false}, users: {tenants: 1}}
        sla: {failure_rate: {max: 0}, max_avg_duration: 1}
      - scenario: {Dummy.dummy_output: {random_range: 5}}
        runner: {serial: {times: 3}}
  - title: second
    scenario: {Dummy.failure: {sleep: 0.01, from_iteration: 3}}
    runner: {rps: {rps: 5, times: 20}}
    hooks:
      - description: say hi
        action: {sys_call: "echo hi"}
        trigger: {event: {unit: iteration, at: [2]}}
`;

const task = (): TaskSpec => loadTask(TASK, { path: "two.yaml" }).task;
const workload = (spec: TaskSpec, subtaskIndex: number, position: number) =>
  spec.subtasks[subtaskIndex]?.workloads[position];

describe("applyOverrides", () => {
  it("replaces the runner of one addressed workload and leaves the others alone", () => {
    const original = task();
    const edited = applyOverrides(original, [
      { workload: { subtaskIndex: 0, position: 1 }, runner: { type: "constant", config: { times: 7 } } },
    ]);
    expect(workload(edited, 0, 1)?.runner).toEqual({ type: "constant", config: { times: 7 } });
    expect(workload(edited, 0, 0)?.runner).toEqual({
      type: "constant",
      config: { times: 10, concurrency: 2 },
    });
    expect(workload(edited, 1, 0)?.runner.type).toBe("rps");
    expect(workload(original, 0, 1)?.runner).toEqual({ type: "serial", config: { times: 3 } });
  });

  it("merges contexts by name by default: replaces a named one, removes one set to null", () => {
    const edited = applyOverrides(task(), [
      {
        workload: { subtaskIndex: 0, position: 0 },
        contexts: { dummy_context: { fail_cleanup: true }, users: null, roles: ["admin"] },
      },
    ]);
    expect(workload(edited, 0, 0)?.contexts).toEqual({
      dummy_context: { fail_cleanup: true },
      roles: ["admin"],
    });
  });

  it("replaces the whole contexts block with contextsMode 'replace'", () => {
    const edited = applyOverrides(task(), [
      { workload: { subtaskIndex: 0, position: 0 }, contexts: { roles: ["admin"] }, contextsMode: "replace" },
    ]);
    expect(workload(edited, 0, 0)?.contexts).toEqual({ roles: ["admin"] });
    const emptied = applyOverrides(task(), [{ workload: "*", contexts: {}, contextsMode: "replace" }]);
    expect(emptied.subtasks.flatMap((subtask) => subtask.workloads.map((item) => item.contexts))).toEqual([
      {},
      {},
      {},
    ]);
  });

  it("applies '*' to every workload, then later overrides win", () => {
    const overrides: WorkloadOverrides = [
      { workload: "*", sla: { failure_rate: { max: 50 }, max_avg_duration: null }, args: { extra: 1 } },
      { workload: { subtaskIndex: 1, position: 0 }, sla: { failure_rate: { max: 10 } } },
    ];
    const edited = applyOverrides(task(), overrides);
    expect(workload(edited, 0, 0)?.sla).toEqual({ failure_rate: { max: 50 } });
    expect(workload(edited, 0, 1)?.sla).toEqual({ failure_rate: { max: 50 } });
    expect(workload(edited, 1, 0)?.sla).toEqual({ failure_rate: { max: 10 } });
    expect(workload(edited, 0, 0)?.args).toEqual({ sleep: 0.1, extra: 1 });
    expect(workload(edited, 1, 0)?.args).toEqual({ sleep: 0.01, from_iteration: 3, extra: 1 });
  });

  it("replaces hooks, and merges scenario args key by key", () => {
    const edited = applyOverrides(task(), [
      { workload: { subtaskIndex: 1, position: 0 }, hooks: [], args: { from_iteration: 5 } },
    ]);
    expect(workload(edited, 1, 0)?.hooks).toEqual([]);
    expect(workload(edited, 1, 0)?.args).toEqual({ sleep: 0.01, from_iteration: 5 });
    expect(workload(task(), 1, 0)?.hooks).toHaveLength(1);
  });

  it("does not share objects with the overrides or the original task", () => {
    const config = { times: 4 };
    const original = task();
    const edited = applyOverrides(original, [{ workload: "*", runner: { type: "serial", config } }]);
    config.times = 99;
    expect(workload(edited, 0, 0)?.runner.config).toEqual({ times: 4 });
    (workload(edited, 0, 0)?.contexts as Record<string, unknown>).added = {};
    expect(workload(original, 0, 0)?.contexts).not.toHaveProperty("added");
  });

  it("names every override that addresses a workload the task does not have", () => {
    let thrown: unknown;
    try {
      applyOverrides(task(), [
        { workload: { subtaskIndex: 5, position: 0 }, sla: {} },
        { workload: { subtaskIndex: 0, position: 2 }, sla: {} },
        { workload: "*", contextsMode: "replace" },
      ]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RequestInvalid);
    expect((thrown as RequestInvalid).problems).toEqual([
      { path: "overrides[0].workload", message: "there is no subtask 5; the task has 2 (numbered from 0)" },
      {
        path: "overrides[1].workload",
        message: "subtask 0 has no workload at position 2; it has 2 (numbered from 0)",
      },
      { path: "overrides[2].contextsMode", message: "is only meaningful with 'contexts'" },
    ]);
  });

  it("with no overrides returns an equal task", () => {
    expect(applyOverrides(task(), [])).toEqual(task());
  });
});

describe("taskSpecDocument and checkTaskSpec", () => {
  it("write a task back as a v2 document that loads to the same spec", () => {
    const spec = task();
    const reread = loadTask(JSON.stringify(taskSpecDocument(spec)), { path: "again.json" }).task;
    expect(reread).toEqual(spec);
    expect(checkTaskSpec(spec)).toEqual([]);
  });

  it("find structural problems an override introduced", () => {
    const spec = applyOverrides(task(), [{ workload: "*", args: { sleep: 0 } }]);
    expect(checkTaskSpec({ ...spec, title: "x".repeat(300) })).toEqual([
      { path: "title", message: "is 300 characters long; the most is 255" },
    ]);
  });
});
