/**
 * Connecting to NATS and making sure Paddock's JetStream streams exist.
 */

import { readFileSync } from "node:fs";
import {
  type ConnectionOptions,
  connect,
  credsAuthenticator,
  type NatsConnection,
} from "@nats-io/transport-node";
import { DependencyUnavailable, describeError } from "@paddock/shared/errors";

export interface BusOptions {
  /** Comma-separated server URLs, e.g. `nats://127.0.0.1:4222`. */
  readonly url: string;
  /** Client name shown by the server's monitoring, e.g. `paddock-runner`. */
  readonly name: string;
  readonly user?: string | undefined;
  readonly password?: string | undefined;
  readonly token?: string | undefined;
  /** Path of a `.creds` file (NATS decentralized auth). */
  readonly credsFile?: string | undefined;
  /** Keep retrying after a lost connection (services) or fail fast (CLI). Default true. */
  readonly reconnect?: boolean;
  /** Milliseconds to wait for the first connection. Default 5000. */
  readonly timeout?: number;
}

export async function connectBus(options: BusOptions): Promise<NatsConnection> {
  const settings: ConnectionOptions = {
    servers: options.url.split(",").map((server) => server.trim()),
    name: options.name,
    reconnect: options.reconnect ?? true,
    maxReconnectAttempts: -1,
    timeout: options.timeout ?? 5000,
  };
  if (options.user !== undefined) settings.user = options.user;
  if (options.password !== undefined) settings.pass = options.password;
  if (options.token !== undefined) settings.token = options.token;
  if (options.credsFile !== undefined)
    settings.authenticator = credsAuthenticator(readFileSync(options.credsFile));
  try {
    return await connect(settings);
  } catch (error) {
    throw new DependencyUnavailable(
      `NATS is not reachable at ${options.url} (${describeError(error)}). Start nats-server with JetStream (-js) or set NATS_URL.`,
      { cause: error },
    );
  }
}
