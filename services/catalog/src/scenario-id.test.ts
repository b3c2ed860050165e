import { RequestInvalid } from "@paddock/shared/errors";
import { describe, expect, it } from "vitest";
import { checkScenarioId, isScenarioFileName } from "./scenario-id.js";

describe("checkScenarioId", () => {
  it("accepts a relative id with '/' separators", () => {
    expect(checkScenarioId("dummy/dummy.yaml")).toBe("dummy/dummy.yaml");
    expect(checkScenarioId("nova/servers/boot.json", { file: true })).toBe("nova/servers/boot.json");
  });

  it.each([
    ["", "it is empty"],
    ["../etc/passwd", "'.' and '..' are not allowed in a scenario id"],
    ["dummy/../../x.yaml", "'.' and '..' are not allowed in a scenario id"],
    ["/etc/passwd", "it must be relative to the library root"],
    ["C:/x.yaml", "it must be relative to the library root"],
    ["dummy\\..\\x.yaml", "use '/' to separate folders"],
    ["dummy//x.yaml", "it has an empty folder name"],
    ["a\u0000b", "it contains a NUL character"],
  ])("refuses %j", (id, reason) => {
    expect(() => checkScenarioId(id)).toThrow(RequestInvalid);
    expect(() => checkScenarioId(id)).toThrow(`'${id}' is not a scenario id: ${reason}`);
  });

  it("asks more of an id to write", () => {
    expect(() => checkScenarioId("top.yaml", { file: true })).toThrow("a scenario lives in a service folder");
    expect(() => checkScenarioId("dummy/notes.txt", { file: true })).toThrow("a scenario file ends in");
    expect(() => checkScenarioId("dummy/_part.yaml", { file: true })).toThrow("does not start with '_'");
    expect(() => checkScenarioId(".git/config.yaml", { file: true })).toThrow("hidden files");
  });
});

describe("isScenarioFileName", () => {
  it("takes YAML and JSON files, not hidden files or include fragments", () => {
    expect(["a.yaml", "b.YML", "c.json"].every(isScenarioFileName)).toBe(true);
    expect(["_common.yaml", ".a.yaml", "readme.md", "x.yaml.j2"].some(isScenarioFileName)).toBe(false);
  });
});
