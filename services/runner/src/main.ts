/**
 * The runner process: read the configuration, connect to NATS, make sure the streams exist,
 * load plugins, take tasks from the shared queue, serve HTTP; on SIGTERM/SIGINT stop heartbeats, soft-abort running tasks, flush
 * their events and drain NATS.
 */
import { connectBus, createEventPublisher, ensureStreams } from "@paddock/bus";
import { bearerFetch, createLogger, processRegistry, runService } from "@paddock/http";
import { buildApp } from "./app.js";
import { createCatalogClient } from "./catalog-client.js";
import { systemClock } from "./clock.js";
import { loadRunnerConfig } from "./config.js";
import { createNatsShareNetwork } from "./distribution/nats-share-network.js";
import { createEnvironmentClient } from "./environments/environment-client.js";
import { createNatsDispatcher } from "./nats-dispatcher.js";
import { loadPlugins } from "./plugin-loader.js";
import { createPluginRegistry } from "./plugins/index.js";
import { instrumentPublisher } from "./runner-metrics.js";

const config = loadRunnerConfig(process.env);
const logger = createLogger("runner", config.logLevel);

await runService({
  name: "runner",
  host: config.host,
  port: config.port,
  apiToken: config.apiToken,
  logger,
  async start() {
    const nc = await connectBus({
      url: config.natsUrl,
      name: `paddock-runner-${config.runnerId}`,
      user: config.natsUser,
      password: config.natsPassword,
      token: config.natsToken,
      credsFile: config.natsCreds,
    });
    let connected = true;
    void (async () => {
      for await (const status of nc.status()) {
        if (status.type === "disconnect") connected = false;
        if (status.type === "reconnect") connected = true;
      }
    })();
    await ensureStreams(nc);
    const plugins = createPluginRegistry(await loadPlugins(config.pluginPaths));
    logger.info(
      { runnerId: config.runnerId, scenarios: plugins.scenarios.size },
      `runner ${config.runnerId}: ${plugins.scenarios.size} scenario plugins`,
    );
    const app = await buildApp({
      // Counted and timed for GET /metrics.
      publisher: instrumentPublisher(createEventPublisher(nc), processRegistry),
      // The catalog requires the API token too when one is set.
      fetchScenario: createCatalogClient(config.catalogUrl, { fetch: bearerFetch(config.apiToken) }),
      fetchEnvironment: createEnvironmentClient(config.catalogUrl, { fetch: bearerFetch(config.apiToken) }),
      // `${VAR}` references of environments are read from this process's environment, and only here.
      variables: process.env,
      checkOptions: { timeoutMs: config.envCheckTimeoutMs },
      plugins,
      runnerId: config.runnerId,
      clock: systemClock,
      logger,
      apiToken: config.apiToken,
      readiness: () => ({ nats: connected && !nc.isClosed() }),
      dispatch: createNatsDispatcher(nc, { maxTasks: config.maxTasks }),
      shares: await createNatsShareNetwork(nc, { logger }),
      capacity: config.maxTasks,
      heartbeatTtl: config.heartbeatTtl,
    });
    return {
      app,
      close: async () => {
        if (!nc.isClosed()) await nc.drain();
      },
    };
  },
});
