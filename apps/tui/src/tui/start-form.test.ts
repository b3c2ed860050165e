import { describe, expect, it } from "vitest";
import { scenarioList } from "../../test/fixtures/index.js";
import { initialForm, localProblem, parseArgValue, problemsOf, startRequest } from "./start-form.js";

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
      focus: 0,
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
