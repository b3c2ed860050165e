import { describe, expect, it } from "vitest";
import { parseCommand, suggest } from "./palette-commands.js";

const completions = {
  scenarios: ["dummy/dummy.yaml", "dummy/broken.yaml", "http/get.yaml"],
  tasks: [{ id: "8631c997-8798-4cf0-ab6e-e2c6001b8fd1", title: "Rally demo" }],
};

describe("parseCommand", () => {
  it("reads commands, unique prefixes and arguments", () => {
    expect(parseCommand(":tasks")).toEqual({ ok: true, name: "tasks" });
    expect(parseCommand("en")).toEqual({ ok: true, name: "envs" });
    expect(parseCommand("start dummy/dummy.yaml")).toEqual({
      ok: true,
      name: "start",
      argument: "dummy/dummy.yaml",
    });
  });

  it("says what is wrong with a line it cannot run", () => {
    expect(parseCommand("s")).toEqual({ ok: false, message: ":s could be :scenarios, :start" });
    expect(parseCommand("frobnicate")).toMatchObject({ ok: false, message: /Unknown command :frobnicate/ });
    expect(parseCommand("start")).toEqual({ ok: false, message: ":start needs a scenario id" });
    expect(parseCommand("quit now")).toEqual({ ok: false, message: ":quit takes no argument" });
  });
});

describe("suggest", () => {
  it("completes command names, then scenario ids and task ids", () => {
    expect(suggest("s", completions).map((item) => item.line)).toEqual(["scenarios", "start "]);
    expect(suggest("start dum", completions).map((item) => item.line)).toEqual([
      "start dummy/dummy.yaml",
      "start dummy/broken.yaml",
    ]);
    expect(suggest("task rally", completions)).toEqual([
      { line: "task 8631c997-8798-4cf0-ab6e-e2c6001b8fd1", hint: "Rally demo" },
    ]);
    expect(suggest("quit x", completions)).toEqual([]);
  });
});
