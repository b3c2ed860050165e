/**
 * What Keystone scenarios share: the admin's identity calls for an iteration, and the calls
 * Rally's `keystone_v3` service wraps in atomic actions (same names, same requests).
 */

import type { IdentityEntity } from "../../openstack/keystone-identity.js";
import { KeystoneIdentity } from "../../openstack/keystone-identity.js";
import { adminSessionOf, randomNameOf, randomPassword } from "../../openstack/openstack-environment.js";
import type { ScenarioContext } from "../../plugin.js";

/** The admin's identity calls, over the iteration's HTTP client (token reused across iterations). */
export function adminIdentity(ctx: ScenarioContext): KeystoneIdentity {
  return new KeystoneIdentity(adminSessionOf(ctx.environment), ctx.http);
}

export interface CreateUserArgs {
  readonly domain_name?: string | undefined;
  readonly enabled?: boolean | undefined;
  readonly project_id?: string | undefined;
}

/**
 * `keystone_v3.create_user`: domain lookup, `POST /users`; then `GET /users/{id}` (Rally reads the
 * user back when it converts it, outside the atomic action).
 */
export async function createUser(
  ctx: ScenarioContext,
  identity: KeystoneIdentity,
  args: CreateUserArgs,
): Promise<IdentityEntity> {
  const created = await ctx.atomic("keystone_v3.create_user", async () => {
    const domainId = await identity.domainId(args.domain_name ?? "Default");
    return identity.createUser({
      name: randomNameOf(ctx.environment),
      password: randomPassword(),
      domainId,
      projectId: args.project_id,
      enabled: args.enabled ?? true,
    });
  });
  return identity.getUser(created.id);
}

/** `keystone_v3.create_project`: domain lookup, `POST /projects`. */
export function createProject(
  ctx: ScenarioContext,
  identity: KeystoneIdentity,
  domainName: string | undefined,
): Promise<IdentityEntity> {
  return ctx.atomic("keystone_v3.create_project", async () =>
    identity.createProject(randomNameOf(ctx.environment), await identity.domainId(domainName ?? "Default")),
  );
}
