/** Every context plugin by name. */
import type { ContextName, ContextPlugin } from "./context.js";
import { dummyContext } from "./dummy-context.js";
import { usersContext } from "./openstack/users-context.js";

export type { ContextName, ContextPlugin } from "./context.js";

export const contextPlugins = {
  dummy_context: dummyContext,
  users: usersContext,
} satisfies Record<ContextName, ContextPlugin>;

export function isContextName(name: string): name is ContextName {
  return Object.hasOwn(contextPlugins, name);
}
