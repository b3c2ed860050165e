/**
 * `paddock env check NAME` (Rally's `rally env check`): the runner checks each platform of the
 * environment — reachability and credentials, with the secrets it alone reads — and this prints
 * Platform | Available | Message. Exit 0 when every platform is available, 1 otherwise.
 */
import { EnvironmentCheck } from "@paddock/shared/api";
import { serviceHttpClient } from "../../api/clients.js";
import { renderBorderedTable } from "../../format/text-table.js";
import { type Command, flag } from "../command.js";
import { EXIT } from "../exit-codes.js";

/** A service of the catalog as the runner's check reports it in `details.services`. */
interface CatalogService {
  readonly type?: unknown;
  readonly interface?: unknown;
  readonly url?: unknown;
  /** The API version the service reports as current, e.g. `v3.14`. */
  readonly version?: unknown;
  readonly available?: boolean;
}

/** The table `env check` prints, then the service catalog (type, interface, version, state, URL). */
export function environmentCheckLines(check: EnvironmentCheck): string[] {
  const lines = renderBorderedTable({
    title: `Environment ${check.environment}`,
    headers: ["Platform", "Available", "Message"],
    rows: check.platforms.map((platform) => [
      platform.platform,
      platform.available ? "True" : "False",
      platform.message,
    ]),
  });
  for (const platform of check.platforms) {
    const services = platform.details.services;
    if (!Array.isArray(services) || services.length === 0) continue;
    lines.push(
      "",
      `${platform.platform} service catalog:`,
      ...renderBorderedTable({
        headers: ["Service type", "Interface", "Version", "Available", "URL"],
        rows: services.map((service: CatalogService) => [
          String(service.type ?? ""),
          String(service.interface ?? ""),
          typeof service.version === "string" ? service.version : "-",
          service.available === undefined ? "-" : service.available ? "True" : "False",
          String(service.url ?? ""),
        ]),
      }),
    );
  }
  return lines;
}

export const envCheck: Command = {
  name: "env check",
  args: "NAME",
  summary: "Ask the runner whether an environment's platforms are reachable and its credentials work",
  details: [
    "The runner resolves the environment's secret references from its own environment; they are never shown.",
    "http: GET base_url (status, latency). openstack: Keystone v3 authentication as the admin user,",
    "then the service catalog. Exit codes: 0 every platform available, 1 otherwise or on error.",
  ],
  options: { json: { type: "boolean", description: "Print the runner's EnvironmentCheck as JSON" } },
  positionals: { min: 1, max: 1 },
  async run(context, line) {
    const name = line.positionals[0] ?? "";
    const runner = serviceHttpClient(context.config(), "runner");
    const check = await runner.request(
      "POST",
      `/environments/${encodeURIComponent(name)}/check`,
      EnvironmentCheck,
    );
    if (flag(line, "json")) context.io.out(JSON.stringify(check, null, 2));
    else for (const text of environmentCheckLines(check)) context.io.out(text);
    return check.platforms.length > 0 && check.platforms.every((platform) => platform.available)
      ? EXIT.ok
      : EXIT.error;
  },
};
