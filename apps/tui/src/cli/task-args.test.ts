import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "@paddock/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { collectTaskArgs } from "./task-args.js";

describe("collectTaskArgs", () => {
  const dir = tempDir();
  afterAll(() => dir.remove());

  it("merges the args file, then each --task-args, later values winning", () => {
    const file = join(dir.path, "args.yaml");
    writeFileSync(file, "times: 10\nconcurrency: 2\nsleep: 0.5\n");
    expect(collectTaskArgs(['{"concurrency": 4}', "sleep=0.1,url=http://127.0.0.1:8080/x"], [file])).toEqual({
      times: 10,
      concurrency: 4,
      sleep: 0.1,
      url: "http://127.0.0.1:8080/x",
    });
  });

  it("names the file it cannot read", () => {
    expect(() => collectTaskArgs([], [join(dir.path, "missing.yaml")])).toThrow(
      `cannot read --task-args-file ${join(dir.path, "missing.yaml")} (no such file)`,
    );
  });

  it("refuses args that are not a mapping, saying where they came from", () => {
    expect(() => collectTaskArgs(["[1, 2]"], [])).toThrow(/--task-args/);
  });
});
