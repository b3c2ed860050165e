import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createLogger, createMetricsRegistry } from "@paddock/http";
import { tempDir } from "@paddock/testkit";
import { describe, expect, it } from "vitest";
import { registerCatalogMetrics } from "./catalog-metrics.js";
import { openScenarioLibrary } from "./scenario-library.js";

const GOOD = `version: 2
title: ok
subtasks:
  - title: one
    workloads:
      - scenario: {Dummy.dummy: {}}
        runner: {constant: {times: 1}}
`;

describe("catalog metrics", () => {
  it("report scenarios and load errors by service folder, as the library holds them at the scrape", async () => {
    const dir = tempDir("paddock-catalog-metrics-");
    const library = await openScenarioLibrary({
      root: dir.path,
      logger: createLogger("catalog-test", "silent"),
      watch: false,
    });
    try {
      mkdirSync(join(dir.path, "dummy"));
      mkdirSync(join(dir.path, "http"));
      writeFileSync(join(dir.path, "dummy", "a.yaml"), GOOD);
      writeFileSync(join(dir.path, "dummy", "b.yaml"), GOOD);
      writeFileSync(join(dir.path, "http", "broken.yaml"), "version: 2\ntitle: [unclosed\n");
      await library.refresh();
      const registry = createMetricsRegistry();
      registerCatalogMetrics(registry, library);
      const text = await registry.expose();
      expect(text).toContain('paddock_catalog_scenarios{service="dummy"} 2\n');
      expect(text).toContain('paddock_catalog_scenarios{service="http"} 1\n');
      expect(text).toContain('paddock_catalog_scenario_load_errors{service="dummy"} 0\n');
      expect(text).toContain('paddock_catalog_scenario_load_errors{service="http"} 1\n');

      writeFileSync(join(dir.path, "http", "broken.yaml"), GOOD);
      await library.refresh();
      expect(await registry.expose()).toContain('paddock_catalog_scenario_load_errors{service="http"} 0\n');
    } finally {
      await library.close();
      dir.remove();
    }
  });
});
