import { TaskFileUnloadable } from "@paddock/shared/errors";
import { describe, expect, it } from "vitest";
import { mergeTaskArgs, parseTaskArgs, parseTaskArgsFile } from "./task-args.js";

describe("parseTaskArgs", () => {
  it("reads a JSON or YAML mapping", () => {
    expect(parseTaskArgs('{"times": 10, "url": "http://x/"}')).toEqual({ times: 10, url: "http://x/" });
    expect(parseTaskArgs("times: 10\nflag: yes")).toEqual({ times: 10, flag: true });
    expect(parseTaskArgs("  ")).toEqual({});
  });

  it("reads k=v pairs with YAML-typed values", () => {
    expect(parseTaskArgs("times=10,sleep=0.5,name=abc,on=true,empty=")).toEqual({
      times: 10,
      sleep: 0.5,
      name: "abc",
      on: true,
      empty: "",
    });
    expect(parseTaskArgs("url=http://127.0.0.1:8080/?a=b")).toEqual({ url: "http://127.0.0.1:8080/?a=b" });
  });

  it("refuses anything else, naming where it came from", () => {
    for (const value of ["just text", "[1, 2]", "=5"]) {
      let error: unknown;
      try {
        parseTaskArgs(value, "--task-args");
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(TaskFileUnloadable);
      expect((error as Error).message).toMatch(/^--task-args: /);
    }
  });
});

describe("parseTaskArgsFile and mergeTaskArgs", () => {
  it("reads a mapping file and lets later layers win", () => {
    const file = parseTaskArgsFile("times: 5\nconcurrency: 2\n", "args.yaml");
    expect(mergeTaskArgs(file, parseTaskArgs("times=7"))).toEqual({ times: 7, concurrency: 2 });
    expect(mergeTaskArgs(undefined, file)).toEqual(file);
  });

  it("refuses a file that is not a mapping", () => {
    expect(() => parseTaskArgsFile("- 1\n- 2\n", "args.yaml")).toThrow(
      "args.yaml: has to be a YAML or JSON mapping, not a list",
    );
  });
});
