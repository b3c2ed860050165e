import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "@paddock/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { serviceNodeArgs } from "./service-process.js";
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
});
