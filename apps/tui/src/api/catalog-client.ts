/**
 * The catalog's HTTP API: the scenario library and the environments.
 */
import { EnvironmentList, ScenarioDetail, ScenarioList } from "@paddock/shared/api";
import type { HttpClient } from "./http-client.js";

export interface CatalogApi {
  listScenarios(): Promise<ScenarioList>;
  getScenario(id: string): Promise<ScenarioDetail>;
  listEnvironments(): Promise<EnvironmentList>;
}

/** `dummy/dummy.yaml` → `/scenarios/dummy/dummy.yaml`, each segment escaped. */
export function scenarioPath(id: string): string {
  return `/scenarios/${id.split("/").map(encodeURIComponent).join("/")}`;
}

export function createCatalogClient(http: HttpClient): CatalogApi {
  return {
    listScenarios: () => http.request("GET", "/scenarios", ScenarioList),
    getScenario: (id) => http.request("GET", scenarioPath(id), ScenarioDetail),
    listEnvironments: () => http.request("GET", "/environments", EnvironmentList),
  };
}
