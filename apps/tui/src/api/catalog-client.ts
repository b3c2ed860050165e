/**
 * The catalog's HTTP API: the scenario library, the environments, and the preview of a scenario
 * rendered with arguments and overrides.
 */
import {
  EnvironmentList,
  type RenderScenarioRequest,
  RenderScenarioResponse,
  ScenarioDetail,
  ScenarioList,
} from "@paddock/shared/api";
import type { HttpClient } from "./http-client.js";

export interface CatalogApi {
  listScenarios(): Promise<ScenarioList>;
  getScenario(id: string): Promise<ScenarioDetail>;
  listEnvironments(): Promise<EnvironmentList>;
  /** `POST /scenarios/<id>/render`: the task these arguments and overrides give, checked; nothing starts. */
  renderScenario(id: string, request: RenderScenarioRequest): Promise<RenderScenarioResponse>;
  /** `POST /scenarios`: a new scenario from task text, checked first; refused if `id` exists. */
  createScenario(id: string, raw: string): Promise<ScenarioDetail>;
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
    renderScenario: (id, request) =>
      http.request("POST", `${scenarioPath(id)}/render`, RenderScenarioResponse, { body: request }),
    createScenario: (id, raw) => http.request("POST", "/scenarios", ScenarioDetail, { body: { id, raw } }),
  };
}
