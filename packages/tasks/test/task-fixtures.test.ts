import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { TaskFileInvalid, TaskFileUnloadable } from "@paddock/shared/errors";
import { describe, expect, it } from "vitest";
import { declaredArgs, loadTask, parseTaskArgsFile, scenarioPlugins } from "../src/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, "fixtures", "tasks");
const fixture = (name: string) => readFileSync(join(fixtures, name), "utf8");
const load = (name: string, args: Record<string, unknown> = {}) =>
  loadTask(fixture(name), { path: name, args, baseDir: fixtures });

function failure(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error");
}

describe("v1 task files", () => {
  it("converts each scenario to one subtask titled by the scenario, workloads in order", () => {
    const { task, version } = load("v1-two-scenarios.json");
    expect(version).toBe(1);
    expect(task.title).toBe("");
    expect(task.subtasks.map((subtask) => [subtask.title, subtask.workloads.length])).toEqual([
      ["Dummy.dummy", 2],
      ["Dummy.failure", 1],
    ]);
    const [first, second] = task.subtasks[0]?.workloads ?? [];
    expect(first).toEqual({
      scenario: "Dummy.dummy",
      args: { sleep: 0.1 },
      runner: { type: "constant", config: { times: 10, concurrency: 2 } },
      contexts: { dummy_context: { fail_setup: false } },
      sla: { failure_rate: { max: 0 } },
      hooks: [
        {
          description: "say hello",
          action: { name: "sys_call", args: "/bin/echo hello" },
          trigger: { name: "event", args: { unit: "iteration", at: [2, 4] } },
        },
      ],
      description: "",
    });
    expect(second?.runner).toEqual({ type: "serial", config: { times: 3 } });
    const failureWorkload = task.subtasks[1]?.workloads[0];
    expect(failureWorkload?.runner).toEqual({ type: "serial", config: {} });
    expect(failureWorkload?.sla).toEqual({ failure_rate: { max: 0 } });
    expect(failureWorkload?.description).toBe("fails from the second iteration");
  });
});

describe("v2 task files", () => {
  it("reads a simple subtask, keeping the task's title, description and tags", () => {
    const { task, version } = load("v2-simple.yaml");
    expect(version).toBe(2);
    expect(task).toEqual({
      title: "One subtask, one workload",
      description: "The smallest v2 task",
      tags: ["smoke"],
      subtasks: [
        {
          title: "Dummy.dummy twice",
          description: "sleeps a little",
          group: "dummies",
          tags: ["dummy"],
          runInParallel: false,
          workloads: [
            {
              scenario: "Dummy.dummy",
              args: { sleep: 0.01 },
              runner: { type: "constant", config: { times: 2, concurrency: 1 } },
              contexts: {},
              sla: { failure_rate: { max: 0 } },
              hooks: [],
              description: "",
            },
          ],
        },
      ],
    });
  });

  it("reads subtasks with workloads, defaulting runner and SLA as Rally does", () => {
    const { task } = load("v2-two-subtasks.yaml");
    expect(task.subtasks).toHaveLength(2);
    const defaults = task.subtasks[0]?.workloads[0];
    expect(defaults?.runner).toEqual({ type: "serial", config: {} });
    expect(defaults?.sla).toEqual({ failure_rate: { max: 0 } });
    const several = task.subtasks[1];
    expect(several?.workloads.map((workload) => workload.scenario)).toEqual([
      "Dummy.dummy_output",
      "Dummy.dummy",
    ]);
    expect(several?.workloads[0]?.description).toBe("first");
    const second = several?.workloads[1];
    expect(second?.runner).toEqual({ type: "rps", config: { rps: 10, times: 20 } });
    expect(second?.contexts).toEqual({ dummy_context: { fail_cleanup: false } });
    expect(second?.sla).toEqual({ max_seconds_per_iteration: 1 });
    expect(second?.hooks).toEqual([
      {
        description: "every second",
        action: { name: "sys_call", args: "/bin/true" },
        trigger: { name: "periodic", args: { unit: "time", step: 1 } },
      },
    ]);
    expect(scenarioPlugins(task)).toEqual(["Dummy.dummy", "Dummy.dummy_output"]);
  });
});

describe("invalid task files", () => {
  it("refuses a duplicate key with Rally's wording and the line", () => {
    const error = failure(() => load("invalid-duplicate-key.yaml"));
    expect(error).toBeInstanceOf(TaskFileUnloadable);
    expect(error.message).toBe("invalid-duplicate-key.yaml:8: the key (Dummy.dummy) is redefined");
    expect((error as TaskFileUnloadable).problems).toEqual([
      { path: "invalid-duplicate-key.yaml", line: 8, message: "the key (Dummy.dummy) is redefined" },
    ]);
  });

  it("lists every structural problem at once, each with its path and line", () => {
    const error = failure(() => load("invalid-structure.yaml"));
    expect(error).toBeInstanceOf(TaskFileInvalid);
    expect((error as TaskFileInvalid).problems).toEqual([
      { path: "task", line: 3, message: "Additional properties are not allowed ('owner' was unexpected)" },
      {
        path: "subtasks[0]",
        line: 8,
        message: "Additional properties are not allowed ('runer' was unexpected)",
      },
      {
        path: "subtasks[1].scenario",
        line: 11,
        message: "must name exactly one scenario, not 2 ('Dummy.dummy', 'Dummy.failure')",
      },
      {
        path: "subtasks[2].workloads[0].runner",
        line: 18,
        message: 'must be a mapping of one runner type to its configuration, not the string "constant"',
      },
      { path: "subtasks[2].workloads[1]", line: 19, message: "'scenario' is a required property" },
    ]);
    expect(error.message).toContain("invalid-structure.yaml: the task is invalid (5 problems):");
    expect(error.message).toContain(
      "  - subtasks[0] (line 8): Additional properties are not allowed ('runer' was unexpected)",
    );
  });
});

describe("templates", () => {
  it("renders declared defaults and Rally's globals", () => {
    const { task } = load("template-defaults.yaml");
    expect(task.title).toBe("Defaults everywhere");
    expect(task.subtasks[0]?.workloads[0]?.args).toEqual({ sleep: 0.5 });
    // round(10 / 4) is round(2.5), which Python (and Rally) rounds to 2.
    expect(task.subtasks[0]?.workloads[0]?.runner.config).toEqual({ times: 10, concurrency: 2, timeout: 2 });
    expect(task.subtasks.map((subtask) => subtask.title)).toEqual(["computed", "loop 0", "loop 1"]);
    expect(task.subtasks[2]?.workloads[0]?.runner.config).toEqual({ times: 2 });
  });

  it("lets given arguments override the defaults", () => {
    const { task } = load("template-defaults.yaml", { times: 40, sleep: 0.1, title: "Mine" });
    expect(task.title).toBe("Mine");
    expect(task.subtasks[0]?.workloads[0]?.runner.config).toEqual({ times: 40, concurrency: 4, timeout: 1 });
  });

  it("declares the template's arguments with their defaults", () => {
    expect(declaredArgs(fixture("template-defaults.yaml"))).toEqual([
      { name: "times", required: false, default: 10 },
      { name: "sleep", required: false, default: 0.5 },
      { name: "title", required: false, default: "Defaults everywhere" },
    ]);
    expect(declaredArgs(fixture("template-undeclared-arg.yaml"))).toEqual([
      { name: "times", required: false, default: 10 },
      { name: "url", required: true },
      { name: "concurrency", required: true },
    ]);
  });

  it("names the arguments a template needs and did not get", () => {
    const both = failure(() => load("template-undeclared-arg.yaml"));
    expect(both).toBeInstanceOf(TaskFileUnloadable);
    expect(both.message).toBe(
      "template-undeclared-arg.yaml: Please specify next template task arguments: url, concurrency",
    );
    const one = failure(() => load("template-undeclared-arg.yaml", { url: "http://127.0.0.1/" }));
    expect(one.message).toBe(
      "template-undeclared-arg.yaml: Please specify template task argument: concurrency",
    );
    const { task } = load("template-undeclared-arg.yaml", { url: "http://127.0.0.1/", concurrency: 3 });
    expect(task.subtasks[0]?.workloads[0]?.args).toEqual({ url: "http://127.0.0.1/", method: "GET" });
    expect(task.subtasks[0]?.workloads[0]?.runner.config).toEqual({ times: 10, concurrency: 3 });
  });

  it("includes a file from the task's folder, rendered with the same arguments", () => {
    const { task } = load("template-include.yaml", { times: 9 });
    expect(task.subtasks[0]?.workloads[0]?.runner).toEqual({
      type: "constant",
      config: { times: 9, concurrency: 2 },
    });
    expect(declaredArgs(fixture("template-include.yaml"), { baseDir: fixtures })).toEqual([
      { name: "times", required: false, default: 6 },
    ]);
  });

  it("refuses an include outside the task's folder and names a missing one", () => {
    const outside = failure(() => load("include-outside.yaml"));
    expect(outside).toBeInstanceOf(TaskFileUnloadable);
    expect(outside.message).toBe(
      "include-outside.yaml:4: cannot include '../../../package.json': includes must name a file inside the task's folder",
    );
    const missing = failure(() => load("include-missing.yaml"));
    expect(missing.message).toBe(
      "include-missing.yaml:4: cannot include '_nowhere.yaml': there is no such file next to the task",
    );
    const noFolder = failure(() => loadTask(fixture("template-include.yaml"), { path: "t.yaml" }));
    expect(noFolder.message).toContain(
      "cannot include '_common-runner.yaml': the task file's folder is not known",
    );
  });
});

describe("Rally's own demo task", () => {
  const rally = "/work/shared/fixtures/rally";

  it("loads every subtask with demo-args.yaml", () => {
    const args = parseTaskArgsFile(readFileSync(join(rally, "demo-args.yaml"), "utf8"), "demo-args.yaml");
    const { task, version } = loadTask(readFileSync(join(rally, "demo-task.yaml.j2"), "utf8"), {
      path: "demo-task.yaml.j2",
      args,
      baseDir: rally,
    });
    expect(version).toBe(2);
    expect(task.title).toBe("Demo task for export formats");
    expect(task.subtasks.map((subtask) => subtask.workloads.map((workload) => workload.scenario))).toEqual([
      ["Dummy.dummy"],
      ["Dummy.dummy_output", "Dummy.dummy_random_fail_in_atomic", "Dummy.dummy_timed_atomic_actions"],
      ["HttpRequests.check_request"],
    ]);
    const first = task.subtasks[0]?.workloads[0];
    expect(first?.runner).toEqual({ type: "constant", config: { times: 20, concurrency: 4 } });
    expect(first?.hooks.map((hook) => hook.trigger.name)).toEqual(["event", "periodic"]);
    expect(task.subtasks[2]?.workloads[0]?.args.url).toBe("http://127.0.0.1:18080/");
  });
});
