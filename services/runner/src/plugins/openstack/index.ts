/** The OpenStack scenarios (Keystone), Rally's names, arguments and atomic actions. */
import type { ScenarioPlugin } from "../../plugin.js";
import { authenticateKeystone, keystoneAuthenticateAndValidate } from "./keystone-authentication.js";
import {
  keystoneCreateAndDeleteRole,
  keystoneCreateAndGetRole,
  keystoneCreateAndListRoles,
} from "./keystone-basic-roles.js";
import {
  keystoneCreateAndListTenants,
  keystoneCreateTenant,
  keystoneCreateUpdateAndDeleteTenant,
} from "./keystone-basic-tenants.js";
import {
  keystoneCreateAndListUsers,
  keystoneCreateDeleteUser,
  keystoneCreateUser,
} from "./keystone-basic-users.js";

export const openstackScenarios: readonly ScenarioPlugin[] = [
  authenticateKeystone,
  keystoneAuthenticateAndValidate,
  keystoneCreateUser,
  keystoneCreateDeleteUser,
  keystoneCreateAndListUsers,
  keystoneCreateTenant,
  keystoneCreateAndListTenants,
  keystoneCreateUpdateAndDeleteTenant,
  keystoneCreateAndDeleteRole,
  keystoneCreateAndGetRole,
  keystoneCreateAndListRoles,
];
