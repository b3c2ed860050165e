/**
 * Starts the catalog: reads its configuration, opens (and watches) the scenario library,
 * listens, and on SIGTERM/SIGINT stops listening, then stops watching.
 */
import { createLogger, processRegistry, runService } from "@paddock/http";
import { describeError } from "@paddock/shared/errors";
import { buildApp } from "./app.js";
import { registerCatalogMetrics } from "./catalog-metrics.js";
import { type CatalogConfig, loadCatalogConfig } from "./config.js";
import { createContextPresetStore } from "./context-presets.js";
import { createEnvironmentStore } from "./environment-store.js";
import { openScenarioLibrary } from "./scenario-library.js";

let config: CatalogConfig;
try {
  config = loadCatalogConfig();
} catch (error) {
  process.stderr.write(`catalog: ${describeError(error)}\n`);
  process.exit(2);
}
const logger = createLogger("catalog", config.logLevel);

await runService({
  name: "catalog",
  host: config.host,
  port: config.port,
  apiToken: config.apiToken,
  logger,
  async start() {
    const library = await openScenarioLibrary({
      root: config.scenarios,
      logger,
      maxScenarioBytes: config.scenarioMaxBytes,
    });
    registerCatalogMetrics(processRegistry, library);
    const environments = createEnvironmentStore({ root: config.environments });
    const contexts = createContextPresetStore({ root: config.contexts });
    const count = library.services().services.reduce((sum, service) => sum + service.scenarios, 0);
    logger.info(
      { scenarios: config.scenarios, environments: config.environments, contexts: config.contexts },
      `serving ${count} scenarios from ${config.scenarios}`,
    );
    const app = await buildApp({ library, environments, contexts, logger, apiToken: config.apiToken });
    return { app, close: () => library.close() };
  },
});
