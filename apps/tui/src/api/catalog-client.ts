/**
 * The catalog's HTTP API: the scenario library and the environments.
 */
import { ScenarioDetail, ScenarioList } from "@paddock/shared/api";
import type { HttpClient } from "./http-client.js";

/** One environment as the CLI shows it: its name and what it points at. */
export interface EnvironmentView {
  readonly name: string;
  readonly description: string;
  /** What kind of target it is (e.g. `openstack`, `http`), when the catalog says. */
  readonly kind?: string;
}

export interface CatalogApi {
  listScenarios(): Promise<ScenarioList>;
  getScenario(id: string): Promise<ScenarioDetail>;
  listEnvironments(): Promise<EnvironmentView[]>;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** Reads `{environments: [...]}` or a bare list; each item is a name or an object with `name`. */
export function toEnvironmentViews(body: unknown): EnvironmentView[] {
  const list = Array.isArray(body) ? body : (body as { environments?: unknown } | null)?.environments;
  if (!Array.isArray(list)) return [];
  return list.flatMap((item): EnvironmentView[] => {
    if (typeof item === "string") return [{ name: item, description: "" }];
    if (typeof item !== "object" || item === null) return [];
    const record = item as Record<string, unknown>;
    const name = text(record.name);
    if (name === undefined) return [];
    const kind = text(record.kind) ?? text(record.type);
    const description = text(record.description) ?? text(record.title) ?? "";
    return [kind === undefined ? { name, description } : { name, description, kind }];
  });
}

export function createCatalogClient(http: HttpClient): CatalogApi {
  return {
    listScenarios: () => http.request("GET", "/scenarios", ScenarioList),
    getScenario: (id) =>
      http.request("GET", `/scenarios/${id.split("/").map(encodeURIComponent).join("/")}`, ScenarioDetail),
    async listEnvironments() {
      return toEnvironmentViews(await http.requestJson("GET", "/environments"));
    },
  };
}
