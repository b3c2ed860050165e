/** Every hook action and trigger by name. */
import { eventTrigger } from "./event-trigger.js";
import type { HookAction, HookActionName, HookTrigger, HookTriggerName } from "./hook.js";
import { periodicTrigger } from "./periodic-trigger.js";
import { sysCall } from "./sys-call.js";

export type {
  HookAction,
  HookActionName,
  HookOutcome,
  HookTrigger,
  HookTriggerName,
  HookUnit,
} from "./hook.js";

export const hookActions = { sys_call: sysCall } satisfies Record<HookActionName, HookAction>;

export const hookTriggers = {
  event: eventTrigger,
  periodic: periodicTrigger,
} satisfies Record<HookTriggerName, HookTrigger>;

export function isHookActionName(name: string): name is HookActionName {
  return Object.hasOwn(hookActions, name);
}

export function isHookTriggerName(name: string): name is HookTriggerName {
  return Object.hasOwn(hookTriggers, name);
}
