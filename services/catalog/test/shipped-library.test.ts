import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createLogger } from "@paddock/http";
import { describe, expect, it } from "vitest";
import { createContextPresetStore } from "../src/context-presets.js";
import { createEnvironmentStore } from "../src/environment-store.js";
import { openScenarioLibrary } from "../src/scenario-library.js";

const repository = fileURLToPath(new URL("../../../", import.meta.url));
const logger = createLogger("catalog-test", "silent");

/** Every `.yaml`/`.yml`/`.json` file below `folder`, as a path relative to it. */
function taskFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: "utf8" })
    .map((path) => path.split("\\").join("/"))
    .filter((path) => /\.(ya?ml|json)$/i.test(path))
    .filter((path) => !path.split("/").some((segment) => segment.startsWith("_") || segment.startsWith(".")))
    .sort();
}

describe("the scenarios, presets and environments shipped in the repository", () => {
  it("every scenario file loads without error with its defaults, and has a description", async () => {
    const library = await openScenarioLibrary({ root: `${repository}scenarios`, logger, watch: false });
    try {
      const files = taskFiles(`${repository}scenarios`);
      const scenarios = library.list().services.flatMap((group) => group.scenarios);
      expect(scenarios.map((scenario) => scenario.id).sort()).toEqual(files);
      for (const id of files) {
        const detail = library.get(id);
        expect({ id, error: detail.error }).toEqual({ id, error: undefined });
        expect(detail.args.filter((arg) => arg.required)).toEqual([]);
        expect(detail.parsed, `${id} renders with its defaults`).toBeDefined();
        expect(detail.description.length, `${id} has a description`).toBeGreaterThan(40);
      }
    } finally {
      await library.close();
    }
  });

  it("covers every generic plugin and each runner (fixed and ramping rps)", async () => {
    const library = await openScenarioLibrary({ root: `${repository}scenarios`, logger, watch: false });
    try {
      const workloads = library
        .list()
        .services.flatMap((group) => group.scenarios)
        .flatMap(
          (summary) => library.get(summary.id).parsed?.subtasks.flatMap((subtask) => subtask.workloads) ?? [],
        );
      // Every generic plugin; OpenStack scenarios (keystone/, glance/, ...) come on top.
      const generic = workloads
        .map((workload) => workload.scenario)
        .filter((name) => name.startsWith("Dummy.") || name.startsWith("HttpRequests."));
      expect(new Set(generic)).toEqual(
        new Set([
          "Dummy.dummy",
          "Dummy.dummy_exception",
          "Dummy.dummy_exception_probability",
          "Dummy.dummy_output",
          "Dummy.dummy_random_action",
          "Dummy.dummy_random_fail_in_atomic",
          "Dummy.dummy_timed_atomic_actions",
          "Dummy.failure",
          "HttpRequests.check_request",
          "HttpRequests.check_random_request",
        ]),
      );
      const runners = new Set(
        workloads.map((workload) =>
          workload.runner.type === "rps"
            ? `rps ${typeof workload.runner.config.rps === "object" ? "ramp" : "fixed"}`
            : workload.runner.type,
        ),
      );
      expect(runners).toEqual(
        new Set(["constant", "constant_for_duration", "rps fixed", "rps ramp", "serial"]),
      );
      const http = workloads.filter((workload) => workload.scenario.startsWith("HttpRequests."));
      expect(
        http.some(
          (workload) => workload.runner.type === "rps" && typeof workload.runner.config.rps === "object",
        ),
      ).toBe(true);
      const dummy = library.get("dummy/dummy.yaml");
      expect(dummy.args.map((arg) => arg.name)).toEqual(["times", "concurrency", "sleep"]);
      expect(dummy.parsed?.subtasks[0]?.workloads[0]?.runner.type).toBe("constant");
    } finally {
      await library.close();
    }
  });

  it("ships context presets that load, including dummy-context-ok and a 2 × 2 OpenStack users block", async () => {
    const { presets } = await createContextPresetStore({ root: `${repository}scenarios/_contexts` }).list();
    expect(presets.filter((preset) => preset.error)).toEqual([]);
    expect(presets.find((preset) => preset.name === "dummy-context-ok")?.contexts).toEqual({
      dummy_context: {},
    });
    expect(presets.find((preset) => preset.name === "openstack-two-tenants")?.contexts).toEqual({
      users: { tenants: 2, users_per_tenant: 2 },
    });
  });

  it("ships environments that all load, with a 'local' one without credentials", async () => {
    const store = createEnvironmentStore({ root: `${repository}environments` });
    const { environments } = await store.list();
    expect(environments.filter((environment) => environment.error)).toEqual([]);
    const local = await store.get("local");
    expect(local).toMatchObject({ name: "local", platform: "generic", spec: {}, secrets: [] });
    expect(local.description).not.toBe("");
  });
});
