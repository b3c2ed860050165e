/**
 * `api_versions` (Rally's `api_versions@openstack`): the API version and catalog service of each
 * client. Paddock's OpenStack scenarios speak Keystone v3 and Glance v2, so those are the versions
 * accepted for `keystone` and `glance`; `service_type` (or `service_name`, looked up as the admin)
 * makes the run's sessions use that catalog entry instead of `identity` / `image`. Settings of
 * other clients are accepted and have no effect (no Paddock scenario uses them).
 */
import Type from "typebox";
import { KeystoneIdentity } from "../../openstack/keystone-identity.js";
import { adminSessionOf, runOf } from "../../openstack/openstack-environment.js";
import { ContextError, defineContext } from "../context.js";

/** The catalog type each client uses unless told otherwise, and the versions Paddock speaks. */
const CLIENTS: Readonly<Record<string, { readonly type: string; readonly versions: readonly string[] }>> = {
  keystone: { type: "identity", versions: ["3"] },
  glance: { type: "image", versions: ["2"] },
};

const clientSettings = Type.Object(
  {
    version: Type.Optional(Type.Union([Type.String(), Type.Number()], { description: "API version" })),
    service_type: Type.Optional(Type.String({ description: "Catalog service type to use" })),
    service_name: Type.Optional(
      Type.String({ description: "Catalog service name to use (needs the admin)" }),
    ),
  },
  { additionalProperties: false },
);

export const apiVersionsContext = defineContext({
  name: "api_versions",
  description: "API versions and catalog service types of the clients (Keystone v3 and Glance v2 here).",
  order: 150,
  schema: Type.Record(Type.String(), clientSettings),
  async setup(config, environment) {
    const run = runOf(environment);
    for (const [client, settings] of Object.entries(config)) {
      const known = CLIENTS[client];
      if (known === undefined) continue;
      if (settings.version !== undefined) {
        const version = String(settings.version).replace(/\.0$/, "");
        if (!known.versions.includes(version)) {
          throw new ContextError(
            `api_versions: Invalid settings for '${client}': Paddock speaks version ${known.versions.join(", ")} of its API, not ${settings.version}`,
          );
        }
      }
      if (settings.service_type !== undefined) run.serviceTypes[known.type] = settings.service_type;
      else if (settings.service_name !== undefined) {
        const found = await new KeystoneIdentity(adminSessionOf(environment)).listServices(
          settings.service_name,
        );
        const service = found[0];
        if (service === undefined) {
          throw new ContextError(
            `api_versions: Invalid settings for '${client}': Keystone has no service named '${settings.service_name}'`,
          );
        }
        run.serviceTypes[known.type] = service.type;
      }
    }
  },
  cleanup() {},
});
