/**
 * The EC2 credential scenarios of `KeystoneBasic`, as the iteration's user:
 * create_and_list_ec2credentials and create_and_delete_ec2credential. A credential that stays
 * is recorded for the run and deleted at clean-up (credentials have no name to sweep by).
 */
import { idsOf } from "../../contexts/openstack/users-context.js";
import { KeystoneIdentity } from "../../openstack/keystone-identity.js";
import { runOf } from "../../openstack/openstack-environment.js";
import { defineScenario, Type } from "../../plugin.js";
import { iterationUser } from "./openstack-scenario.js";

const USER_KEYSTONE_CLEANUP = { cleanup: ["keystone"] } as const;

export const keystoneCreateAndListEc2Credentials = defineScenario({
  name: "KeystoneBasic.create_and_list_ec2credentials",
  description:
    "Create an EC2 credential for the iteration's user in its project, then list the user's EC2 credentials.",
  args: Type.Object({}, { additionalProperties: false }),
  contexts: USER_KEYSTONE_CLEANUP,
  async run(ctx) {
    const { user, session } = await iterationUser(ctx);
    const { userId, projectId } = await idsOf(user);
    const identity = new KeystoneIdentity(session, ctx.signal);
    const credential = await ctx.atomic("keystone_v3.create_ec2creds", () =>
      identity.createEc2Credential(userId, projectId),
    );
    runOf(ctx.environment).credentials.push({ userId, access: credential.access });
    await ctx.atomic("keystone_v3.list_ec2creds", () => identity.listEc2Credentials(userId));
  },
});

export const keystoneCreateAndDeleteEc2Credential = defineScenario({
  name: "KeystoneBasic.create_and_delete_ec2credential",
  description: "Create an EC2 credential for the iteration's user in its project, then delete it.",
  args: Type.Object({}, { additionalProperties: false }),
  contexts: USER_KEYSTONE_CLEANUP,
  async run(ctx) {
    const { user, session } = await iterationUser(ctx);
    const { userId, projectId } = await idsOf(user);
    const identity = new KeystoneIdentity(session, ctx.signal);
    const credential = await ctx.atomic("keystone_v3.create_ec2creds", () =>
      identity.createEc2Credential(userId, projectId),
    );
    const recorded = runOf(ctx.environment).credentials;
    const entry = { userId, access: credential.access };
    recorded.push(entry);
    await ctx.atomic("keystone_v3.delete_ec2creds", () =>
      identity.deleteEc2Credential(userId, credential.access),
    );
    recorded.splice(recorded.indexOf(entry), 1);
  },
});
