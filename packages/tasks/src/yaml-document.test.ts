import { TaskFileUnloadable } from "@paddock/shared/errors";
import { describe, expect, it } from "vitest";
import { parseYamlText, yamlLineIndex } from "./yaml-document.js";

describe("parseYamlText", () => {
  it("reads booleans as PyYAML does and keeps y/n as text", () => {
    expect(parseYamlText("a: yes\nb: Off\nc: y\nd: n\ne: true", "x")).toEqual({
      a: true,
      b: false,
      c: "y",
      d: "n",
      e: true,
    });
  });

  it("supports anchors and merge keys", () => {
    const text = "base: &base {times: 1, concurrency: 1}\nrunner:\n  <<: *base\n  times: 5\n";
    expect(parseYamlText(text, "x")).toEqual({
      base: { times: 1, concurrency: 1 },
      runner: { times: 5, concurrency: 1 },
    });
  });

  it("names the file and line of a syntax error", () => {
    try {
      parseYamlText("a: 1\nb: [1, 2\nc: 3\n", "broken.yaml");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TaskFileUnloadable);
      expect((error as TaskFileUnloadable).message).toMatch(/^broken\.yaml:\d+: /);
      expect((error as TaskFileUnloadable).problems[0]?.line).toBeGreaterThan(1);
    }
  });

  it("names a duplicated quoted key", () => {
    expect(() => parseYamlText('{"a": 1, "a": 2}', "dup.json")).toThrow(
      "dup.json:1: the key (a) is redefined",
    );
  });

  it("reads empty text and comments as null", () => {
    expect(parseYamlText("", "x")).toBeNull();
    expect(parseYamlText("# nothing\n---\n", "x")).toBeNull();
  });
});

describe("yamlLineIndex", () => {
  it("maps every path to the line of its key or item", () => {
    const lines = yamlLineIndex(
      "version: 2\nsubtasks:\n  - title: a\n    scenario:\n      X.y: {}\n  - title: b\n",
    );
    expect(Object.fromEntries(lines)).toEqual({
      "": 1,
      version: 1,
      subtasks: 2,
      "subtasks[0]": 3,
      "subtasks[0].title": 3,
      "subtasks[0].scenario": 4,
      "subtasks[0].scenario.X.y": 5,
      "subtasks[1]": 6,
      "subtasks[1].title": 6,
    });
  });

  it("is empty for text that is not YAML", () => {
    expect(yamlLineIndex("a: [").size).toBe(0);
  });
});
