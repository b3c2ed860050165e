/**
 * The TUI's and CLI's link to NATS: connects lazily (and again after a failure), follows one
 * task's lifecycle and progress events (replay first, then live), and says whether NATS answers.
 */
import { type BusOptions, connectBus, type Following, followTask, redactNatsUrl } from "@paddock/bus";
import { DependencyUnavailable, describeError } from "@paddock/shared/errors";
import type { AnyPaddockEvent } from "@paddock/shared/events";

type NatsConnection = Awaited<ReturnType<typeof connectBus>>;

export interface LiveBus {
  /** Follows a task's lifecycle and progress events; what the stream holds is replayed first. */
  follow(taskId: string, onEvent: (event: AnyPaddockEvent) => void): Promise<Following>;
  /** Whether NATS answers now; connects when not connected. */
  probe(): Promise<boolean>;
  close(): Promise<void>;
}

export interface LiveBusOptions {
  /** NATS server URL(s), comma-separated. */
  readonly url: string;
  /** Client name shown by the server, e.g. `paddock-cli`. */
  readonly name: string;
  /** Milliseconds to wait for the first connection. Default 3000. */
  readonly connectTimeoutMs?: number;
  /** NATS credentials (NATS_USER/NATS_PASSWORD, NATS_TOKEN or NATS_CREDS). */
  readonly auth?: Pick<BusOptions, "user" | "password" | "token" | "credsFile">;
}

export function createLiveBus(options: LiveBusOptions): LiveBus {
  let connection: Promise<NatsConnection> | undefined;
  let connected = false;

  function connect(): Promise<NatsConnection> {
    if (connection === undefined) {
      const attempt = connectBus({
        ...options.auth,
        url: options.url,
        name: options.name,
        reconnect: true,
        timeout: options.connectTimeoutMs ?? 3000,
      }).then((nc) => {
        connected = true;
        void (async () => {
          for await (const status of nc.status()) {
            if (status.type === "disconnect") connected = false;
            if (status.type === "reconnect") connected = true;
          }
        })();
        void nc.closed().then(() => {
          connected = false;
          if (connection === attempt) connection = undefined;
        });
        return nc;
      });
      attempt.catch(() => {
        if (connection === attempt) connection = undefined;
      });
      connection = attempt;
    }
    return connection;
  }

  return {
    async follow(taskId, onEvent) {
      const nc = await connect();
      try {
        return await followTask(nc, taskId, { channels: ["lifecycle", "progress"], onEvent });
      } catch (error) {
        throw new DependencyUnavailable(
          `cannot follow task ${taskId} on NATS at ${redactNatsUrl(options.url)} (${describeError(error)})`,
          { cause: error },
        );
      }
    },
    async probe() {
      try {
        const nc = await connect();
        return connected && !nc.isClosed();
      } catch {
        return false;
      }
    },
    async close() {
      const current = connection;
      connection = undefined;
      if (current === undefined) return;
      try {
        const nc = await current;
        await nc.close();
      } catch {
        // Never connected: nothing to close.
      }
    },
  };
}
