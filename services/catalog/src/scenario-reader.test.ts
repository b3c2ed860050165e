import { describe, expect, it } from "vitest";
import { readScenario, titleFromFileName } from "./scenario-reader.js";

describe("readScenario", () => {
  it("reads a v2 task's title, tags, plugins, args and parsed task", () => {
    const raw =
      "{% set n = n or 2 %}\nversion: 2\ntitle: T\ndescription: D\ntags: [a]\nsubtasks:\n  - title: s\n    scenario: {Dummy.dummy: {}}\n    runner: {serial: {times: {{ n }}}}\n";
    const entry = readScenario("dummy/t.yaml", raw, "/nowhere");
    expect(entry.summary).toMatchObject({
      id: "dummy/t.yaml",
      service: "dummy",
      title: "T",
      description: "D",
      tags: ["a"],
      plugins: ["Dummy.dummy"],
      args: [{ name: "n", required: false, default: 2 }],
    });
    expect(entry.summary.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(entry.summary.error).toBeUndefined();
    expect(entry.parsed?.subtasks[0]?.workloads[0]?.runner.config).toEqual({ times: 2 });
  });

  it("titles a v1 task after its file and learns a template's plugins from placeholders", () => {
    const raw = '{"HttpRequests.check_request": [{"args": {"url": "{{ url }}", "method": "GET"}}]}';
    const entry = readScenario("http/get-a-page.json", raw, "/nowhere");
    expect(entry.summary).toMatchObject({
      title: "Get a page",
      plugins: ["HttpRequests.check_request"],
      args: [{ name: "url", required: true }],
    });
    expect(entry.summary.error).toBeUndefined();
    expect(entry.parsed).toBeUndefined();
  });

  it("does not blame a file for what its placeholders break", () => {
    const raw = "{% for i in range(count) %}\n- {{ i }}\n{% endfor %}";
    const entry = readScenario("x/loop.yaml", raw, "/nowhere");
    expect(entry.summary.error).toBeUndefined();
    expect(entry.summary.args).toEqual([{ name: "count", required: true }]);
  });

  it("reports a YAML error with its line, without the file prefix in the message", () => {
    const entry = readScenario("x/broken.yaml", "version: 2\ntitle: [oops\nsubtasks: []\n", "/nowhere");
    expect(entry.summary.error?.file).toBe("x/broken.yaml");
    expect(entry.summary.error?.line).toBeGreaterThanOrEqual(2);
    expect(entry.summary.error?.message).not.toContain("x/broken.yaml");
    expect(entry.summary.title).toBe("Broken");
  });

  it("reports a structural problem with the line it is on", () => {
    const entry = readScenario(
      "x/bad.yaml",
      "version: 2\ntitle: t\nsubtasks:\n  - title: s\n    scenaro: {}\n",
      "/n",
    );
    expect(entry.summary.error).toEqual({
      file: "x/bad.yaml",
      line: 5,
      message: expect.stringContaining(
        "subtasks[0] (line 5): Additional properties are not allowed ('scenaro' was unexpected)",
      ),
    });
    expect(entry.summary.error?.message).toContain("subtasks[0] (line 4): 'scenario' is a required property");
  });

  it("reports a template syntax error", () => {
    const entry = readScenario("x/t.yaml", "a: {{ }}", "/n");
    expect(entry.summary.error?.message).toContain("syntax error");
  });
});

describe("titleFromFileName", () => {
  it("turns a file name into words", () => {
    expect(titleFromFileName("nova/boot-and-delete_server.yaml")).toBe("Boot and delete server");
  });
});
