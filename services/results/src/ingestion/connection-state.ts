/**
 * Whether the NATS connection is up right now, for readiness: follows the client's status events.
 */
import type { NatsConnection } from "@nats-io/transport-node";

export interface ConnectionState {
  /** True while connected (false between a disconnect and the reconnect, and once closed). */
  connected(): boolean;
}

export function watchConnection(nc: NatsConnection): ConnectionState {
  let up = true;
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === "disconnect") up = false;
      else if (status.type === "reconnect") up = true;
    }
  })().catch(() => {
    up = false;
  });
  return { connected: () => up && !nc.isClosed() };
}
