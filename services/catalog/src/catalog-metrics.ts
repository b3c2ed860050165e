/**
 * The catalog's own metrics, read from the library at each scrape: scenarios by service folder,
 * and how many of them cannot be loaded (a broken file is listed with its error, not hidden).
 */
import type { MetricsRegistry } from "@paddock/http";
import type { ScenarioLibrary } from "./scenario-library.js";

export function registerCatalogMetrics(registry: MetricsRegistry, library: ScenarioLibrary): void {
  const scenarios = registry.gauge<"service">(
    "paddock_catalog_scenarios",
    "Scenario files in the library, by service folder.",
    ["service"],
  );
  const loadErrors = registry.gauge<"service">(
    "paddock_catalog_scenario_load_errors",
    "Scenario files that cannot be loaded (template, YAML or structure problems), by service folder.",
    ["service"],
  );
  registry.onCollect(() => {
    scenarios.reset();
    loadErrors.reset();
    for (const group of library.list().services) {
      scenarios.set({ service: group.service }, group.scenarios.length);
      loadErrors.set(
        { service: group.service },
        group.scenarios.filter((scenario) => scenario.error !== undefined).length,
      );
    }
  });
}
