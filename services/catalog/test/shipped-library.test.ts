import { fileURLToPath } from "node:url";
import { createLogger } from "@paddock/http";
import { describe, expect, it } from "vitest";
import { createEnvironmentStore } from "../src/environment-store.js";
import { openScenarioLibrary } from "../src/scenario-library.js";

const repository = fileURLToPath(new URL("../../../", import.meta.url));
const logger = createLogger("catalog-test", "silent");

describe("the scenarios and environments shipped in the repository", () => {
  it("all load, and dummy/dummy.yaml keeps the smoke test's arguments", async () => {
    const library = await openScenarioLibrary({ root: `${repository}scenarios`, logger, watch: false });
    try {
      const scenarios = library.list().services.flatMap((group) => group.scenarios);
      expect(scenarios.length).toBeGreaterThan(0);
      expect(scenarios.filter((scenario) => scenario.error)).toEqual([]);
      const dummy = library.get("dummy/dummy.yaml");
      expect(dummy.args.map((arg) => arg.name)).toEqual(["times", "concurrency", "sleep"]);
      expect(dummy.args.every((arg) => !arg.required)).toBe(true);
      const workload = dummy.parsed?.subtasks[0]?.workloads[0];
      expect(workload?.scenario).toBe("Dummy.dummy");
      expect(workload?.runner.type).toBe("constant");
    } finally {
      await library.close();
    }
  });

  it("has a valid 'local' environment without credentials", async () => {
    const local = await createEnvironmentStore({ root: `${repository}environments` }).get("local");
    expect(local).toMatchObject({ name: "local", platform: "generic", spec: {}, secrets: [] });
    expect(local.error).toBeUndefined();
    expect(local.description).not.toBe("");
  });
});
