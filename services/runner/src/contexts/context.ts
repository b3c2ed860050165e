/**
 * A context prepares what a workload's iterations need (users, networks, data) before the load
 * and removes it afterwards. Contexts set up in ascending `order` and clean up in reverse.
 */
import type { Static, TSchema } from "typebox";
import type { ScenarioEnvironment } from "../plugin.js";

export type ContextName =
  | "dummy_context"
  | "users"
  | "roles"
  | "images"
  | "api_versions"
  | "per_iteration_auth"
  | "admin_cleanup"
  | "cleanup";

export interface ContextPlugin {
  readonly name: ContextName;
  readonly description: string;
  /** Rally's set-up order: lower first. */
  readonly order: number;
  readonly schema: TSchema;
  /**
   * True when the iterations do not need anything the set-up keeps in this process, so the
   * iterations of a distributed workload may run on other runner replicas while the context is
   * set up and cleaned up by the coordinating runner only. Default false.
   */
  readonly distributable?: boolean;
  /** `environment`: the one the task runs against, secrets resolved (never log it). */
  setup(config: unknown, environment: ScenarioEnvironment): Promise<void> | void;
  cleanup(config: unknown, environment: ScenarioEnvironment): Promise<void> | void;
}

export interface ContextDefinition<S extends TSchema> {
  readonly name: ContextName;
  readonly description: string;
  readonly order: number;
  readonly schema: S;
  readonly distributable?: boolean;
  setup(config: Static<S>, environment: ScenarioEnvironment): Promise<void> | void;
  cleanup(config: Static<S>, environment: ScenarioEnvironment): Promise<void> | void;
}

export function defineContext<S extends TSchema>(definition: ContextDefinition<S>): ContextPlugin {
  return {
    name: definition.name,
    description: definition.description,
    order: definition.order,
    schema: definition.schema,
    distributable: definition.distributable === true,
    setup: (config, environment) => definition.setup(config as Static<S>, environment),
    cleanup: (config, environment) => definition.cleanup(config as Static<S>, environment),
  };
}

/** What a context throws when its set-up or clean-up fails. */
export class ContextError extends Error {
  override name = "ContextError";
}
