import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "@paddock/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { serviceEnv, serviceNodeArgs } from "./service-process.js";
import { findRepoRoot } from "./up.js";

describe("serviceNodeArgs", () => {
  const dirs: { remove(): void }[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) dir.remove();
  });

  function service(manifest: string | undefined): string {
    const dir = tempDir("paddock-node-args-");
    dirs.push(dir);
    mkdirSync(join(dir.path, "dist"));
    if (manifest !== undefined) writeFileSync(join(dir.path, "package.json"), manifest);
    return join(dir.path, "dist", "main.js");
  }

  it("reads the options the results service declares, and none for a service without them", () => {
    const root = findRepoRoot();
    expect(serviceNodeArgs(join(root, "services", "results", "dist", "main.js"))).toContain(
      "--max-semi-space-size=16",
    );
    expect(serviceNodeArgs(join(root, "services", "catalog", "dist", "main.js"))).toEqual([]);
    expect(serviceNodeArgs(service(undefined))).toEqual([]);
  });

  it("refuses a declaration that is not a list of options, naming the file", () => {
    const script = service('{"paddock": {"nodeArgs": "--max-semi-space-size=16"}}');
    expect(() => serviceNodeArgs(script)).toThrow(/package\.json: paddock\.nodeArgs must be a list/);
    expect(() => serviceNodeArgs(service('{"paddock": {"nodeArgs": ["rm -rf"]}}'))).toThrow(/nodeArgs/);
  });

  it("reads the environment the results service declares, and refuses anything but names to strings", () => {
    const root = findRepoRoot();
    expect(serviceEnv(join(root, "services", "results", "dist", "main.js"))).toEqual({
      MALLOC_MMAP_THRESHOLD_: "131072",
    });
    expect(serviceEnv(join(root, "services", "catalog", "dist", "main.js"))).toEqual({});
    expect(serviceEnv(service('{"paddock": {"env": {"A_B": "1"}}}'))).toEqual({ A_B: "1" });
    for (const bad of ['["A=1"]', '{"A": 1}', '{"lower": "1"}', '"A=1"']) {
      expect(() => serviceEnv(service(`{"paddock": {"env": ${bad}}}`))).toThrow(
        /package\.json: paddock\.env must map variable names to strings/,
      );
    }
  });
});
