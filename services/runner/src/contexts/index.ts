/** Every context plugin by name. */
import type { ContextName, ContextPlugin } from "./context.js";
import { dummyContext } from "./dummy-context.js";
import { apiVersionsContext } from "./openstack/api-versions-context.js";
import { adminCleanupContext, userCleanupContext } from "./openstack/cleanup-context.js";
import { imagesContext } from "./openstack/images-context.js";
import { perIterationAuthContext } from "./openstack/per-iteration-auth-context.js";
import { rolesContext } from "./openstack/roles-context.js";
import { usersContext } from "./openstack/users-context.js";

export type { ContextName, ContextPlugin } from "./context.js";

export const contextPlugins = {
  dummy_context: dummyContext,
  users: usersContext,
  roles: rolesContext,
  images: imagesContext,
  api_versions: apiVersionsContext,
  per_iteration_auth: perIterationAuthContext,
  admin_cleanup: adminCleanupContext,
  cleanup: userCleanupContext,
} satisfies Record<ContextName, ContextPlugin>;

export function isContextName(name: string): name is ContextName {
  return Object.hasOwn(contextPlugins, name);
}
