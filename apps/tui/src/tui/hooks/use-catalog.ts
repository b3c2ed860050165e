/**
 * The catalog's scenario list, the detail (raw text included) of the selected scenario, and
 * the environments.
 */
import type { EnvironmentList, ScenarioDetail, ScenarioList } from "@paddock/shared/api";
import type { CatalogApi } from "../../api/catalog-client.js";
import { type AsyncState, useAsync } from "./use-async.js";

export function useScenarioList(catalog: CatalogApi): AsyncState<ScenarioList> {
  return useAsync(() => catalog.listScenarios(), [catalog]);
}

export function useScenarioDetail(catalog: CatalogApi, id: string | undefined): AsyncState<ScenarioDetail> {
  return useAsync(() => catalog.getScenario(id as string), [catalog, id], id !== undefined);
}

export function useEnvironments(catalog: CatalogApi): AsyncState<EnvironmentList> {
  return useAsync(() => catalog.listEnvironments(), [catalog]);
}
