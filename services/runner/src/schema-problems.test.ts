import Type from "typebox";
import { describe, expect, it } from "vitest";
import { joinPath, pyRepr, schemaChecker } from "./schema-problems.js";

describe("pyRepr", () => {
  it("prints values as Python's repr", () => {
    expect(pyRepr("x")).toBe("'x'");
    expect(pyRepr("it's")).toBe('"it\'s"');
    expect(pyRepr(200)).toBe("200");
    expect(pyRepr(100, true)).toBe("100.0");
    expect(pyRepr(1.5, true)).toBe("1.5");
    expect(pyRepr(true)).toBe("True");
    expect(pyRepr(null)).toBe("None");
    expect(pyRepr([1, "a"])).toBe("[1, 'a']");
    expect(pyRepr({ a: false })).toBe("{'a': False}");
  });
});

describe("schemaChecker", () => {
  const checker = schemaChecker(
    Type.Object(
      {
        count: Type.Integer({ minimum: 1 }),
        ratio: Type.Optional(Type.Number({ maximum: 1 })),
        mode: Type.Optional(Type.Union([Type.Literal("a"), Type.Literal("b")])),
      },
      { additionalProperties: false },
    ),
  );

  it("reports nothing for a valid value", () => {
    expect(checker.problems({ count: 3 }, "x")).toEqual([]);
  });

  it("words every problem like Python's jsonschema, with the field path", () => {
    expect(checker.problems({ count: 1.5, ratio: 2, extra: 1, more: 2 }, "runner.cfg")).toEqual([
      {
        path: "runner.cfg",
        message: "Additional properties are not allowed ('extra', 'more' were unexpected)",
      },
      { path: "runner.cfg.count", message: "1.5 is not of type 'integer'" },
      { path: "runner.cfg.ratio", message: "2 is greater than the maximum of 1.0" },
    ]);
    expect(checker.problems({}, "")).toEqual([{ path: "", message: "'count' is a required property" }]);
    expect(checker.problems({ count: 1, mode: "c" }, "w")).toEqual([
      { path: "w.mode", message: "'c' is not valid under any of the given schemas" },
    ]);
  });

  it("joins instance paths", () => {
    expect(joinPath("hooks", "/0/trigger")).toBe("hooks[0].trigger");
    expect(joinPath("", "/a/b")).toBe("a.b");
  });
});
