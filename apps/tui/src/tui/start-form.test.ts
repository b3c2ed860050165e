import { describe, expect, it } from "vitest";
import { DUMMY_SPEC, scenarioList } from "../../test/fixtures/index.js";
import {
  addRows,
  cycleRunnerType,
  editAddition,
  editRow,
  formFields,
  initialForm,
  localProblem,
  moveFocus,
  parseArgValue,
  problemsOf,
  startRequest,
} from "./start-form.js";
import { formatYamlValue, problemPlace, rowProblem, type WorkloadSlot } from "./workload-edits.js";

const dummyArgs = scenarioList.services[0]?.scenarios[0]?.args ?? [];
const httpArgs = scenarioList.services[1]?.scenarios[0]?.args ?? [];
const environments = ["devstack", "example-api", "local"];

describe("the start form", () => {
  it("starts from the defaults and the local environment", () => {
    const form = initialForm(dummyArgs, environments);
    expect(form).toEqual({
      values: { times: "100", concurrency: "4", sleep: "0.01" },
      environment: 2,
      tags: "",
      focus: "arg:times",
      workload: 0,
      edits: {},
    });
    expect(startRequest("dummy/dummy.yaml", dummyArgs, form, environments)).toEqual({
      scenarioId: "dummy/dummy.yaml",
      args: { times: 100, concurrency: 4, sleep: 0.01 },
      environment: "local",
    });
  });

  it("reads typed values like YAML scalars and sends tags", () => {
    expect(parseArgValue("250")).toBe(250);
    expect(parseArgValue("true")).toBe(true);
    expect(parseArgValue("[1, 2]")).toEqual([1, 2]);
    expect(parseArgValue("http://example.com")).toBe("http://example.com");
    const form = {
      ...initialForm(httpArgs, environments),
      values: { url: "http://127.0.0.1:7401/healthz" },
      tags: "smoke, nightly ci",
    };
    expect(
      startRequest("http/check-request.yaml", httpArgs, { ...form, environment: 1 }, environments),
    ).toEqual({
      scenarioId: "http/check-request.yaml",
      args: { url: "http://127.0.0.1:7401/healthz" },
      environment: "example-api",
      tags: ["smoke", "nightly", "ci"],
    });
  });

  it("finds problems as you type: a missing required value, a type unlike the default", () => {
    const [url] = httpArgs;
    const [times] = dummyArgs;
    if (!url || !times) throw new Error("fixture");
    expect(localProblem(url, "")).toBe("required: this scenario has no default for it");
    expect(localProblem(times, "ten")).toBe("a string, but the default (100) is a number");
    expect(localProblem(times, "10")).toBeUndefined();
  });

  it("puts the runner's problems next to the argument they are about", () => {
    const problems = [
      { path: "subtasks[0].workloads[0].runner.times", message: "must be an integer" },
      { path: "subtasks[0]", message: "sleep must not be negative" },
      { message: "the task has no title" },
    ];
    expect(problemsOf("times", problems)).toEqual([problems[0]]);
    expect(problemsOf("sleep", problems)).toEqual([problems[1]]);
    expect(problemsOf("concurrency", problems)).toEqual([]);
  });
});

const SLOTS: WorkloadSlot[] = [
  { subtaskIndex: 0, position: 0, spec: DUMMY_SPEC },
  { subtaskIndex: 1, position: 0, spec: { ...DUMMY_SPEC, runner: { type: "serial", config: { times: 5 } } } },
];

describe("the runner, contexts and SLA of a workload", () => {
  it("lists the rendered values, the runner type's other options, and a + row per section", () => {
    const form = initialForm(dummyArgs, environments);
    const keys = formFields(dummyArgs, SLOTS, form).map((field) => field.key);
    expect(keys).toEqual([
      "arg:times",
      "arg:concurrency",
      "arg:sleep",
      "workload",
      "runner-type",
      "runner:times",
      "runner:concurrency",
      "runner:timeout",
      "runner:max_cpu_count",
      "runner:distribute",
      "runner+",
      "contexts+",
      "sla:failure_rate",
      "sla+",
      "environment",
      "tags",
    ]);
    expect(moveFocus(formFields(dummyArgs, SLOTS, form), "tags", 1)).toBe("arg:times");
    expect(moveFocus(formFields(dummyArgs, SLOTS, form), "arg:times", -1)).toBe("tags");
    expect(formatYamlValue({ max: 0, list: [1, "a b"] })).toBe('{max: 0, list: [1, "a b"]}');
  });

  it("sends only what was edited, as overrides of that workload", () => {
    const base = initialForm(dummyArgs, environments);
    expect(startRequest("d", dummyArgs, base, environments, SLOTS).overrides).toBeUndefined();

    let form = cycleRunnerType(base, SLOTS[0] as WorkloadSlot, 1);
    form = editRow(form, SLOTS[0] as WorkloadSlot, "runner", "duration", "30");
    form = editAddition(form, SLOTS[0] as WorkloadSlot, "contexts", "dummy_context: {}");
    form = editRow(form, SLOTS[0] as WorkloadSlot, "sla", "failure_rate", "");
    form = editAddition(form, SLOTS[0] as WorkloadSlot, "sla", "max_seconds_per_iteration: 2");
    form = addRows(form, SLOTS[0] as WorkloadSlot, "sla");
    expect(startRequest("d", dummyArgs, form, environments, SLOTS).overrides).toEqual([
      {
        workload: { subtaskIndex: 0, position: 0 },
        runner: { type: "constant_for_duration", config: { concurrency: 4, duration: 30 } },
        contexts: { dummy_context: {} },
        contextsMode: "replace",
        sla: { max_seconds_per_iteration: 2, failure_rate: null },
      },
    ]);
    const keys = formFields(dummyArgs, SLOTS, form).map((field) => field.key);
    expect(keys).toContain("sla:max_seconds_per_iteration");
    expect(keys).toContain("runner:duration");
    expect(keys).not.toContain("runner:times");

    const second = editRow({ ...form, workload: 1 }, SLOTS[1] as WorkloadSlot, "runner", "times", "9");
    expect(startRequest("d", dummyArgs, second, environments, SLOTS).overrides?.[1]).toEqual({
      workload: { subtaskIndex: 1, position: 0 },
      runner: { type: "serial", config: { times: 9 } },
    });
  });

  it("says what cannot be read, and places the runner's problems on their row", () => {
    expect(rowProblem("{max: 0")).toMatch(/^not YAML: /);
    expect(rowProblem("users 2", true)).toBe("not YAML: write it as name: value");
    expect(rowProblem("users: {tenants: 2}", true)).toBeUndefined();
    const place = (path: string, message = "bad") => problemPlace({ path, message }, SLOTS);
    expect(place("subtasks[0].workloads[0].runner.constant.concurrency")).toEqual({
      workload: 0,
      section: "runner",
      name: "concurrency",
    });
    expect(place("subtasks[1].workloads[0].runner.serial")).toEqual({
      workload: 1,
      section: "runner",
      name: "",
    });
    expect(place("subtasks[0].workloads[0].sla.failure_rate.max")).toEqual({
      workload: 0,
      section: "sla",
      name: "failure_rate",
    });
    expect(place("subtasks[0].workloads[0].contexts", "There is no Context plugin 'dumy'")).toEqual({
      workload: 0,
      section: "contexts",
      name: "dumy",
    });
    expect(place("subtasks[0].workloads[0].args")).toBeUndefined();
    expect(place("subtasks[5].workloads[0].sla.x")).toBeUndefined();
  });
});
