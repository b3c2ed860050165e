/** The OpenStack scenarios: Rally's names, arguments, atomic actions and requests. */
import type { ScenarioPlugin } from "../../plugin.js";
import { authenticateKeystone, authenticateValidateGlance } from "./authenticate-scenarios.js";
import {
  glanceCreateAndDeactivateImage,
  glanceCreateAndDeleteImage,
  glanceCreateAndDownloadImage,
  glanceCreateAndGetImage,
  glanceCreateAndListImage,
  glanceCreateAndUpdateImage,
  glanceListImages,
} from "./glance-images-scenarios.js";
import {
  keystoneCreateAndDeleteEc2Credential,
  keystoneCreateAndListEc2Credentials,
} from "./keystone-basic-ec2.js";
import {
  keystoneAddAndRemoveUserRole,
  keystoneCreateAddAndListUserRoles,
  keystoneCreateAndDeleteRole,
  keystoneCreateAndGetRole,
  keystoneCreateAndListRoles,
} from "./keystone-basic-roles.js";
import {
  keystoneCreateAndDeleteService,
  keystoneCreateAndListServices,
  keystoneGetEntities,
} from "./keystone-basic-services.js";
import {
  keystoneCreateAndListTenants,
  keystoneCreateTenant,
  keystoneCreateTenantWithUsers,
  keystoneCreateUpdateAndDeleteTenant,
} from "./keystone-basic-tenants.js";
import {
  keystoneAuthenticateAndValidate,
  keystoneCreateAndListUsers,
  keystoneCreateAndUpdateUser,
  keystoneCreateDeleteUser,
  keystoneCreateUser,
  keystoneCreateUserSetEnabledAndDelete,
  keystoneCreateUserUpdatePassword,
} from "./keystone-basic-users.js";

/** Rally's 21 `KeystoneBasic.*`, in the order of its source. */
export const keystoneBasicScenarios: readonly ScenarioPlugin[] = [
  keystoneCreateUser,
  keystoneCreateDeleteUser,
  keystoneCreateUserSetEnabledAndDelete,
  keystoneCreateTenant,
  keystoneAuthenticateAndValidate,
  keystoneCreateTenantWithUsers,
  keystoneCreateAndListUsers,
  keystoneCreateAndListTenants,
  keystoneAddAndRemoveUserRole,
  keystoneCreateAndDeleteRole,
  keystoneCreateAddAndListUserRoles,
  keystoneGetEntities,
  keystoneCreateAndDeleteService,
  keystoneCreateUpdateAndDeleteTenant,
  keystoneCreateUserUpdatePassword,
  keystoneCreateAndListServices,
  keystoneCreateAndListEc2Credentials,
  keystoneCreateAndDeleteEc2Credential,
  keystoneCreateAndGetRole,
  keystoneCreateAndListRoles,
  keystoneCreateAndUpdateUser,
];

/** The `GlanceImages.*` that need no Nova. */
export const glanceImagesScenarios: readonly ScenarioPlugin[] = [
  glanceCreateAndListImage,
  glanceCreateAndGetImage,
  glanceListImages,
  glanceCreateAndDeleteImage,
  glanceCreateAndUpdateImage,
  glanceCreateAndDeactivateImage,
  glanceCreateAndDownloadImage,
];

export const openstackScenarios: readonly ScenarioPlugin[] = [
  authenticateKeystone,
  authenticateValidateGlance,
  ...keystoneBasicScenarios,
  ...glanceImagesScenarios,
];
