/**
 * The scenario plugins a runner knows: the built-in ones plus user plugins loaded from
 * `PADDOCK_PLUGIN_PATHS`. A name is unique across both.
 */
import { PaddockError } from "@paddock/shared/errors";
import type { ScenarioPlugin } from "../plugin.js";
import { dummy } from "./dummy/dummy.js";
import { dummyException } from "./dummy/dummy-exception.js";
import { dummyExceptionProbability } from "./dummy/dummy-exception-probability.js";
import { dummyOutput } from "./dummy/dummy-output.js";
import { dummyRandomAction } from "./dummy/dummy-random-action.js";
import { dummyRandomFailInAtomic } from "./dummy/dummy-random-fail-in-atomic.js";
import { dummyTimedAtomicActions } from "./dummy/dummy-timed-atomic-actions.js";
import { failure } from "./dummy/failure.js";
import { httpRequestsCheckRandomRequest } from "./http/http-requests-check-random-request.js";
import { httpRequestsCheckRequest } from "./http/http-requests-check-request.js";
import { openstackScenarios } from "./openstack/index.js";

/** Rally's generic scenarios (`Dummy.*`, `HttpRequests.*`), built in. */
export const builtInScenarios: readonly ScenarioPlugin[] = [
  dummy,
  failure,
  dummyException,
  dummyExceptionProbability,
  dummyOutput,
  dummyRandomFailInAtomic,
  dummyRandomAction,
  dummyTimedAtomicActions,
  httpRequestsCheckRequest,
  httpRequestsCheckRandomRequest,
  ...openstackScenarios,
];

/** Scenario plugins by name. */
export interface PluginRegistry {
  readonly scenarios: ReadonlyMap<string, ScenarioPlugin>;
}

export class DuplicatePlugin extends PaddockError {
  readonly code = "PLUGIN_DUPLICATE";
  readonly status = 500;
}

/** The built-in scenarios plus `extra`; throws `DuplicatePlugin` when a name is taken twice. */
export function createPluginRegistry(extra: readonly ScenarioPlugin[] = []): PluginRegistry {
  const scenarios = new Map<string, ScenarioPlugin>();
  for (const plugin of [...builtInScenarios, ...extra]) {
    if (scenarios.has(plugin.name)) {
      throw new DuplicatePlugin(`Scenario plugin '${plugin.name}' is defined twice`);
    }
    scenarios.set(plugin.name, plugin);
  }
  return { scenarios };
}
