/**
 * The stack's health for the header: NATS (does it answer us) and each service's `/readyz`,
 * probed every few seconds.
 */
import { useEffect, useState } from "react";
import type { Readiness, ServiceName } from "../../api/clients.js";
import type { TuiDeps } from "../deps.js";

/** `undefined` until the first probe has answered. */
export type Health = { readonly nats: boolean | undefined } & {
  readonly [S in ServiceName]: Readiness | undefined;
};

export const UNKNOWN_HEALTH: Health = {
  nats: undefined,
  catalog: undefined,
  runner: undefined,
  results: undefined,
};

export function useHealth(deps: Pick<TuiDeps, "clients" | "bus" | "healthIntervalMs">): Health {
  const [health, setHealth] = useState<Health>(UNKNOWN_HEALTH);
  const { clients, bus } = deps;
  const intervalMs = deps.healthIntervalMs ?? 3000;
  useEffect(() => {
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const probe = async () => {
      const [services, nats] = await Promise.all([clients.readiness(), bus.probe()]);
      if (stopped) return;
      setHealth((previous) => {
        const next = { nats, ...services };
        const same = (Object.keys(next) as (keyof Health)[]).every((name) => next[name] === previous[name]);
        return same ? previous : next;
      });
      timer = setTimeout(() => void probe(), intervalMs);
    };
    void probe();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [clients, bus, intervalMs]);
  return health;
}
