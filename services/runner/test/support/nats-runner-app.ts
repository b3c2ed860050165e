/**
 * The runner app as the NATS integration tests build it: events published on `nc`, the built-in
 * plugins, no catalog (a scenario id is never found), the system clock and silent logs; `options`
 * adds or overrides the rest (dispatch, heartbeats, shares, ...). Resolves once it is ready.
 */
import type { NatsConnection } from "@nats-io/transport-node";
import { createEventPublisher } from "@paddock/bus";
import type { ServiceApp } from "@paddock/http";
import { ScenarioNotFound } from "@paddock/shared/errors";
import pino from "pino";
import { buildApp, type RunnerAppDeps } from "../../src/app.js";
import { systemClock } from "../../src/clock.js";
import { createPluginRegistry } from "../../src/plugins/index.js";

export async function natsRunnerApp(
  nc: NatsConnection,
  runnerId: string,
  options: Partial<RunnerAppDeps>,
): Promise<ServiceApp> {
  const app = await buildApp({
    publisher: createEventPublisher(nc),
    fetchScenario: async (scenarioId) => {
      throw new ScenarioNotFound(scenarioId);
    },
    plugins: createPluginRegistry(),
    runnerId,
    clock: systemClock,
    logger: pino({ level: "silent" }),
    ...options,
  });
  await app.ready();
  return app;
}
