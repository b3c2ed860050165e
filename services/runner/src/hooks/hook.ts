/**
 * Hooks: an action (e.g. `sys_call`) fired by a trigger (`event`, `periodic`) on a workload's
 * iteration starts or on seconds elapsed since its first iteration, as in Rally.
 */
import type { HookResult } from "@paddock/shared/events";
import type { Static, TSchema } from "typebox";

export type HookActionName = "sys_call";
export type HookTriggerName = "event" | "periodic";
/** What a trigger listens to: iteration numbers (1-based) or whole seconds since the first iteration. */
export type HookUnit = "iteration" | "time";

/** What running an action produced, before timing is added. */
export interface HookOutcome {
  readonly status: "success" | "failed";
  readonly output?: HookResult["output"];
  /** Rally's `{etype, msg, details}` when the action failed. */
  readonly error?: { readonly etype: string; readonly msg: string; readonly details: string };
}

export interface HookAction {
  readonly name: HookActionName;
  readonly description: string;
  readonly schema: TSchema;
  /** Checks the schema cannot express; one message per problem. */
  check(config: unknown): string[];
  /** Runs the action; `signal` aborts it (hard abort). Never throws. */
  run(config: unknown, signal: AbortSignal): Promise<HookOutcome>;
}

export interface HookTrigger {
  readonly name: HookTriggerName;
  readonly description: string;
  readonly schema: TSchema;
  unit(config: unknown): HookUnit;
  /** True when the action fires at `value` (an iteration number or a second). */
  fires(config: unknown, value: number): boolean;
}

export interface HookActionDefinition<S extends TSchema> {
  readonly name: HookActionName;
  readonly description: string;
  readonly schema: S;
  check?(config: Static<S>): string[];
  run(config: Static<S>, signal: AbortSignal): Promise<HookOutcome>;
}

export function defineHookAction<S extends TSchema>(definition: HookActionDefinition<S>): HookAction {
  return {
    name: definition.name,
    description: definition.description,
    schema: definition.schema,
    check: (config) => definition.check?.(config as Static<S>) ?? [],
    run: (config, signal) => definition.run(config as Static<S>, signal),
  };
}

export interface HookTriggerDefinition<S extends TSchema> {
  readonly name: HookTriggerName;
  readonly description: string;
  readonly schema: S;
  unit(config: Static<S>): HookUnit;
  fires(config: Static<S>, value: number): boolean;
}

export function defineHookTrigger<S extends TSchema>(definition: HookTriggerDefinition<S>): HookTrigger {
  return {
    name: definition.name,
    description: definition.description,
    schema: definition.schema,
    unit: (config) => definition.unit(config as Static<S>),
    fires: (config, value) => definition.fires(config as Static<S>, value),
  };
}
