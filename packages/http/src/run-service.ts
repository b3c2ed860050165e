/**
 * Starting and stopping a service process: refuse an unsafe bind, listen, and on SIGTERM/SIGINT
 * stop accepting requests, then close the dependencies (drain NATS, finish writes), then exit.
 */
import { isLoopback } from "@paddock/shared/config";
import { describeError } from "@paddock/shared/errors";
import type { Logger } from "pino";
import type { ServiceApp } from "./service.js";

export interface RunningService {
  readonly app: ServiceApp;
  /** Closes what the service opened besides HTTP (NATS, stores), after HTTP has stopped. */
  readonly close: () => Promise<void>;
}

export interface RunOptions {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly apiToken?: string | undefined;
  readonly logger: Logger;
  readonly start: () => Promise<RunningService>;
}

export async function runService(options: RunOptions): Promise<void> {
  const { logger } = options;
  if (!isLoopback(options.host) && !options.apiToken) {
    logger.fatal(`refusing to bind ${options.host}: a non-loopback address needs PADDOCK_API_TOKEN`);
    process.exitCode = 2;
    return;
  }
  let running: RunningService;
  try {
    running = await options.start();
    await running.app.listen({ host: options.host, port: options.port });
  } catch (error) {
    logger.fatal({ err: error }, `${options.name} could not start: ${describeError(error)}`);
    // Leave time for the log line to be written.
    setTimeout(() => process.exit(1), 50);
    return;
  }
  const address = running.app.server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  logger.info(
    { url: `http://${options.host}:${port}` },
    `${options.name} listening on http://${options.host}:${port}`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, `${options.name} stopping`);
    const force = setTimeout(() => {
      logger.error(`${options.name} did not stop within 15 s; exiting`);
      process.exit(1);
    }, 15_000);
    force.unref();
    try {
      await running.app.close();
      await running.close();
      logger.info(`${options.name} stopped`);
    } catch (error) {
      logger.error({ err: error }, `error while stopping: ${describeError(error)}`);
      process.exitCode = 1;
    }
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
}
