import { describe, expect, it } from "vitest";
import { readTaskStructure } from "./task-structure.js";

const messages = (document: unknown) =>
  readTaskStructure(document).problems.map((p) => `${p.path}: ${p.message}`);

describe("readTaskStructure", () => {
  it("refuses what is not a mapping and unknown versions", () => {
    expect(messages([1])).toEqual([": a task must be a mapping, not a list"]);
    expect(messages({ version: 3, subtasks: [] })).toEqual([
      "version: Task configuration version 3 is not supported. Supported versions: 1, 2",
    ]);
  });

  it("explains a v2 task written without 'version: 2'", () => {
    expect(messages({ title: "t", subtasks: [] })[0]).toContain(
      "title: must be a list of workloads, not the string \"t\" (a v1 task maps scenario names to lists of workloads; a v2 task starts with 'version: 2')",
    );
  });

  it("requires subtasks and a workload", () => {
    expect(messages({ version: 2 })).toEqual([": 'subtasks' is a required property"]);
    expect(messages({ version: 2, subtasks: [] })).toEqual(["subtasks: must not be empty"]);
    expect(messages({})).toEqual([": the task has no workloads"]);
  });

  it("checks titles, tags and flags with Rally's limits", () => {
    const problems = messages({
      version: 2,
      title: "t".repeat(256),
      tags: ["ok", 5],
      subtasks: [{ title: "s".repeat(129), scenario: { "A.b": {} }, run_in_parallel: true }],
    });
    expect(problems).toEqual([
      "title: is 256 characters long; the most is 255",
      "tags[1]: a tag must be a string, not the number 5",
      "subtasks[0]: Additional properties are not allowed ('run_in_parallel' was unexpected)",
      "subtasks[0].title: is 129 characters long; the most is 128",
    ]);
  });

  it("names a missing subtask title after its first scenario", () => {
    const { task, problems } = readTaskStructure({ version: 2, subtasks: [{ scenario: { "A.b": null } }] });
    expect(problems).toEqual([]);
    expect(task.subtasks[0]?.title).toBe("A.b");
    expect(task.subtasks[0]?.workloads[0]?.args).toEqual({});
  });

  it("checks v2 hooks", () => {
    const problems = messages({
      version: 2,
      subtasks: [
        {
          title: "h",
          scenario: { "A.b": {} },
          hooks: [{ action: { sys_call: "true" } }, { action: {}, trigger: { event: [] }, name: "x" }],
        },
      ],
    });
    expect(problems).toEqual([
      "subtasks[0].hooks[0]: 'trigger' is a required property",
      "subtasks[0].hooks[1]: Additional properties are not allowed ('name' was unexpected)",
      "subtasks[0].hooks[1].action: names no action; exactly one is expected",
      "subtasks[0].hooks[1].trigger.event: must be a mapping, not a list",
    ]);
  });

  it("checks v1 workloads, runners and hooks", () => {
    const problems = messages({
      "Dummy.dummy": [
        { runner: { times: 1 } },
        { args: [], hooks: [{ name: "sys_call", args: "true", trigger: { name: "event" } }], extra: 1 },
        "nope",
      ],
    });
    expect(problems).toEqual([
      "Dummy.dummy[0].runner: 'type' is a required property",
      "Dummy.dummy[1]: Additional properties are not allowed ('extra' was unexpected)",
      "Dummy.dummy[1].args: must be a mapping, not a list",
      "Dummy.dummy[1].hooks[0].trigger: 'args' is a required property",
      'Dummy.dummy[2]: a workload must be a mapping, not the string "nope"',
    ]);
  });
});
