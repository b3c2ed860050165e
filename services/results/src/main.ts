/**
 * The results service process: read the configuration, open the store, connect to NATS, consume
 * events, watch heartbeats, serve HTTP. On SIGTERM/SIGINT: stop HTTP, stop consuming (the batch
 * in flight is written and acked), drain NATS, close the store.
 */
import type { NatsConnection } from "@nats-io/transport-node";
import { connectBus } from "@paddock/bus";
import { createLogger, processRegistry, runService } from "@paddock/http";
import { describeError } from "@paddock/shared/errors";
import { buildApp } from "./app.js";
import { loadResultsConfig, type ResultsConfig } from "./config.js";
import { watchConnection } from "./ingestion/connection-state.js";
import { startEventConsumer } from "./ingestion/event-consumer.js";
import { createHeartbeatMonitor, subscribeHeartbeats } from "./ingestion/heartbeat-monitor.js";
import { ingestionCounter, sampleConsumerLag, timeStoreWrites } from "./results-metrics.js";
import { openMongoStore } from "./store/mongo-store.js";
import type { ResultStore } from "./store/result-store.js";
import { openSqliteStore } from "./store/sqlite-store.js";

function readConfig(): ResultsConfig | undefined {
  try {
    return loadResultsConfig(process.env);
  } catch (error) {
    process.stderr.write(`results: ${describeError(error)}\n`);
    process.exitCode = 2;
    return undefined;
  }
}

/** MongoDB when `MONGO_URL` is set, else the embedded SQLite file. */
async function openStore(
  config: ResultsConfig,
  logger: ReturnType<typeof createLogger>,
): Promise<ResultStore> {
  if (config.mongoUrl !== undefined) {
    const store = await openMongoStore(config.mongoUrl);
    logger.info(`results store: MongoDB at ${redactUrl(config.mongoUrl)}`);
    return store;
  }
  const store = openSqliteStore(config.sqlitePath);
  logger.info({ file: config.sqlitePath }, `results store: SQLite at ${config.sqlitePath}`);
  return store;
}

/** The connection string without its password, for logs. */
function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}

const config = readConfig();
if (config) {
  const logger = createLogger("results", config.logLevel);
  await runService({
    name: "results",
    host: config.host,
    port: config.port,
    apiToken: config.apiToken,
    logger,
    async start() {
      const store = await openStore(config, logger);
      let nc: NatsConnection | undefined;
      try {
        nc = await connectBus({
          url: config.nats.url,
          name: "paddock-results",
          user: config.nats.user,
          password: config.nats.password,
          token: config.nats.token,
          credsFile: config.nats.credsFile,
        });
        const bus = nc;
        const connection = watchConnection(bus);
        const consumer = await startEventConsumer({
          nc: bus,
          store: timeStoreWrites(store, processRegistry),
          logger,
          onOutcome: ingestionCounter(processRegistry),
        });
        sampleConsumerLag(bus, processRegistry);
        const monitor = createHeartbeatMonitor({
          store,
          logger,
          timeoutSeconds: config.heartbeatTimeoutSeconds,
        });
        const heartbeats = subscribeHeartbeats(bus, monitor, logger);
        monitor.start(Math.min(2000, Math.max(250, (config.heartbeatTimeoutSeconds * 1000) / 4)));
        const app = await buildApp({
          store,
          logger,
          apiToken: config.apiToken,
          natsConnected: connection.connected,
        });
        return {
          app,
          async close() {
            await monitor.stop();
            heartbeats.unsubscribe();
            await consumer.stop();
            await bus.drain();
            await store.close();
          },
        };
      } catch (error) {
        await nc?.close();
        await store.close();
        throw error;
      }
    },
  });
}
