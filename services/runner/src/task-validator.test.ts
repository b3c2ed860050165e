import { loadTask } from "@paddock/tasks";
import { describe, expect, it } from "vitest";
import { createPluginRegistry } from "./plugins/index.js";
import { prepareTask } from "./task-validator.js";

const plugins = createPluginRegistry();

function problemsOf(text: string) {
  const preparation = prepareTask(loadTask(text).task, plugins);
  return preparation.ok ? [] : preparation.problems;
}

function workload(body: string): string {
  return `
version: 2
title: t
subtasks:
  - title: s
${body
  .trim()
  .split("\n")
  .map((line) => `    ${line}`)
  .join("\n")}
`;
}

describe("prepareTask", () => {
  it("prepares a valid task with the scenario's defaults applied", () => {
    const preparation = prepareTask(
      loadTask(
        workload("scenario: {Dummy.failure: {each: 2}}\nrunner: {constant: {times: 10, concurrency: 2}}"),
      ).task,
      plugins,
    );
    expect(preparation.ok).toBe(true);
    if (!preparation.ok) return;
    const prepared = preparation.task.subtasks[0]?.workloads[0];
    expect(prepared?.args).toEqual({ sleep: 0.1, from_iteration: 0, to_iteration: 0, each: 2 });
    expect(prepared?.plan).toEqual({ expectedIterations: 10, timeout: 0 });
    expect(prepared?.path).toBe("subtasks[0].workloads[0]");
  });

  it("names an unknown scenario plugin as Rally does", () => {
    expect(problemsOf(workload("scenario: {Dummy.dumy: {}}"))).toEqual([
      { path: "subtasks[0].workloads[0].scenario", message: "There is no Scenario plugin 'Dummy.dumy'" },
    ]);
  });

  it("lists unexpected arguments, and lets Dummy.dummy take extras like Rally's **kwargs", () => {
    expect(problemsOf(workload("scenario: {Dummy.dummy_output: {nosuch: 1, other: 2}}"))).toEqual([
      {
        path: "subtasks[0].workloads[0].args",
        message: "Unexpected argument(s) found ['nosuch', 'other']",
      },
    ]);
    expect(problemsOf(workload("scenario: {Dummy.dummy: {sleep: 0, nosuch: 1}}"))).toEqual([]);
  });

  it("checks argument types and bounds with the field's path", () => {
    expect(
      problemsOf(workload("scenario: {Dummy.dummy_exception_probability: {exception_probability: 2}}")),
    ).toEqual([
      {
        path: "subtasks[0].workloads[0].args.exception_probability",
        message: "2 is greater than the maximum of 1.0",
      },
    ]);
    expect(problemsOf(workload("scenario: {Dummy.dummy: {sleep: fast}}"))).toEqual([
      { path: "subtasks[0].workloads[0].args.sleep", message: "'fast' is not of type 'number'" },
    ]);
  });

  it("validates runner options with Rally's bounds and cross checks", () => {
    expect(
      problemsOf(workload("scenario: {Dummy.dummy: {}}\nrunner: {constant: {times: 0, concurrency: 1}}")),
    ).toEqual([
      { path: "subtasks[0].workloads[0].runner.constant.times", message: "0 is less than the minimum of 1" },
    ]);
    const [cross] = problemsOf(
      workload("scenario: {Dummy.dummy: {}}\nrunner: {constant: {times: 2, concurrency: 3}}"),
    );
    expect(cross?.path).toBe("subtasks[0].workloads[0].runner.constant");
    expect(cross?.message).toContain("Parameter 'concurrency' means a number of parallel executions");
    expect(
      problemsOf(workload("scenario: {Dummy.dummy: {}}\nrunner: {constant: {times: 2, bogus: 1}}")),
    ).toEqual([
      {
        path: "subtasks[0].workloads[0].runner.constant",
        message: "Additional properties are not allowed ('bogus' was unexpected)",
      },
    ]);
    expect(
      problemsOf(workload("scenario: {Dummy.dummy: {}}\nrunner: {serial: {times: 2, concurrency: 9}}")),
    ).toEqual([]);
    expect(
      problemsOf(workload("scenario: {Dummy.dummy: {}}\nrunner: {constant_for_duration: {concurrency: 2}}")),
    ).toEqual([
      {
        path: "subtasks[0].workloads[0].runner.constant_for_duration",
        message: "'duration' is a required property",
      },
    ]);
    expect(
      problemsOf(
        workload("scenario: {Dummy.dummy: {}}\nrunner: {rps: {times: 5, rps: {start: 0, end: 5, step: 1}}}"),
      ),
    ).toEqual([
      { path: "subtasks[0].workloads[0].runner.rps.rps.start", message: "0 is less than the minimum of 1.0" },
    ]);
    expect(problemsOf(workload("scenario: {Dummy.dummy: {}}\nrunner: {constantt: {}}"))).toEqual([
      { path: "subtasks[0].workloads[0].runner", message: "There is no ScenarioRunner plugin 'constantt'" },
    ]);
  });

  it("validates SLA criteria and contexts", () => {
    expect(
      problemsOf(
        workload(
          "scenario: {Dummy.dummy: {}}\nsla: {failure_rate: {max: 200}, max_avg_duration: 0, nope: 1}",
        ),
      ),
    ).toEqual([
      {
        path: "subtasks[0].workloads[0].sla.failure_rate.max",
        message: "200 is greater than the maximum of 100.0",
      },
      {
        path: "subtasks[0].workloads[0].sla.max_avg_duration",
        message: "0 is less than or equal to the minimum of 0.0",
      },
      { path: "subtasks[0].workloads[0].sla", message: "There is no SLA plugin 'nope'" },
    ]);
    expect(
      problemsOf(
        workload("scenario: {Dummy.dummy: {}}\ncontexts: {servers: {}, dummy_context: {fail_setup: maybe}}"),
      ),
    ).toEqual([
      { path: "subtasks[0].workloads[0].contexts", message: "There is no Context plugin 'servers'" },
      {
        path: "subtasks[0].workloads[0].contexts.dummy_context.fail_setup",
        message: "'maybe' is not of type 'boolean'",
      },
    ]);
  });

  it("validates hooks: action, command, trigger and its unit-specific options", () => {
    const hooks = `
version: 2
title: hooks
subtasks:
  - title: s
    scenario: {Dummy.dummy: {}}
    hooks:
      - description: fine
        action: {sys_call: "echo ok"}
        trigger: {event: {unit: iteration, at: [1, 2]}}
      - action: {sys_call: "echo 'unclosed"}
        trigger: {periodic: {unit: iteration, step: 1, start: 0}}
      - action: {shout: "x"}
        trigger: {sometimes: {}}
`;
    expect(problemsOf(hooks)).toEqual([
      {
        path: "subtasks[0].workloads[0].hooks[1].action.sys_call",
        message: "the command cannot be split into words: No closing quotation",
      },
      {
        path: "subtasks[0].workloads[0].hooks[1].trigger.periodic.start",
        message: "0 is less than the minimum of 1",
      },
      { path: "subtasks[0].workloads[0].hooks[2].action", message: "There is no HookAction plugin 'shout'" },
      {
        path: "subtasks[0].workloads[0].hooks[2].trigger",
        message: "There is no HookTrigger plugin 'sometimes'",
      },
    ]);
  });

  it("collects every problem of every workload at once", () => {
    const text = `
version: 2
title: many
subtasks:
  - title: one
    workloads:
      - scenario: {Dummy.dummy: {}}
      - scenario: {Dummy.dumy: {}}
        runner: {serial: {times: -1}}
  - title: two
    scenario: {Dummy.dummy_output: {nosuch: 1}}
`;
    expect(problemsOf(text).map((problem) => problem.path)).toEqual([
      "subtasks[0].workloads[1].scenario",
      "subtasks[0].workloads[1].runner.serial.times",
      "subtasks[1].workloads[0].args",
    ]);
  });

  it("works on Rally v1 tasks", () => {
    const text = JSON.stringify({
      "Dummy.dummy": [{ args: { sleep: 0 }, runner: { type: "constant", times: 5, concurrency: 6 } }],
    });
    expect(problemsOf(text).map((problem) => problem.path)).toEqual([
      "subtasks[0].workloads[0].runner.constant",
    ]);
  });

  it("accepts Paddock's distribute option on splittable runners and says where it cannot apply", () => {
    const distributable = (runner: string, contexts = "") => {
      const preparation = prepareTask(
        loadTask(workload(`scenario: {Dummy.dummy: {}}\nrunner: ${runner}${contexts}`)).task,
        plugins,
      );
      if (!preparation.ok) throw new Error(JSON.stringify(preparation.problems));
      return preparation.task.subtasks[0]?.workloads[0]?.distributable;
    };
    expect(distributable("{constant: {times: 9, concurrency: 3, distribute: 3}}")).toBe(true);
    expect(distributable("{rps: {times: 9, rps: 5, distribute: all}}")).toBe(true);
    expect(distributable("{constant_for_duration: {duration: 1, concurrency: 2}}")).toBe(true);
    expect(distributable("{constant: {times: 9, concurrency: 3}}", "\ncontexts: {dummy_context: {}}")).toBe(
      true,
    );
    // One at a time cannot be split: it runs whole on one runner.
    expect(distributable("{constant: {times: 9, concurrency: 1, distribute: 3}}")).toBe(false);
    expect(distributable("{serial: {times: 9}}")).toBe(false);

    expect(
      problemsOf(workload("scenario: {Dummy.dummy: {}}\nrunner: {serial: {times: 3, distribute: 2}}")),
    ).toEqual([
      {
        path: "subtasks[0].workloads[0].runner.serial",
        message:
          "'distribute' cannot split a serial runner: it runs one iteration at a time (use constant with concurrency 1 per replica instead).",
      },
    ]);
    expect(
      problemsOf(
        workload(
          "scenario: {Dummy.dummy: {}}\nrunner: {constant: {times: 4, concurrency: 2, distribute: 2}}\ncontexts: {users: {}}",
        ),
      ),
    ).toContainEqual({
      path: "subtasks[0].workloads[0].runner.constant.distribute",
      message:
        "The workload cannot be distributed: context(s) 'users' keep what they set up in the coordinating runner's process",
    });
    const zero = problemsOf(
      workload("scenario: {Dummy.dummy: {}}\nrunner: {constant: {times: 4, distribute: 0}}"),
    );
    expect(zero.map((problem) => problem.path)).toContain(
      "subtasks[0].workloads[0].runner.constant.distribute",
    );
  });
});
