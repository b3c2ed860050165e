// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is how environments reference secrets.
import type { EnvironmentDefinition } from "@paddock/shared/api";

/** An OpenStack environment `target` as the catalog serves it: admin credentials, the password a `${OS_PASSWORD}` reference. */
export function openstackDefinition(
  authUrl: string,
  extra: Record<string, unknown> = {},
): EnvironmentDefinition {
  return {
    name: "target",
    description: "",
    platform: "openstack",
    spec: {
      auth_url: authUrl,
      region_name: "RegionOne",
      interface: "public",
      admin: {
        username: "admin",
        password: "${OS_PASSWORD}",
        user_domain_name: "Default",
        project_name: "admin",
        project_domain_name: "Default",
      },
      ...extra,
    },
    secrets: ["OS_PASSWORD"],
    file: "target.yaml",
  };
}
