/**
 * Fetching an environment's definition from the catalog (`GET /environments/<name>`): its
 * platform and `spec`, with `${VAR}` references exactly as written in the file.
 */
import { EnvironmentDefinition } from "@paddock/shared/api";
import { DependencyUnavailable, EnvironmentNotFound } from "@paddock/shared/errors";
import Compile from "typebox/compile";
import { type CatalogClientOptions, getFromCatalog } from "../catalog-client.js";
import { EnvironmentInvalid } from "./environment-errors.js";

/** Returns environment `name` as the catalog serves it (secrets unresolved). */
export type FetchEnvironment = (name: string) => Promise<EnvironmentDefinition>;

export type EnvironmentClientOptions = CatalogClientOptions;

const checkDefinition = Compile(EnvironmentDefinition);

export function createEnvironmentClient(
  catalogUrl: string,
  options: EnvironmentClientOptions = {},
): FetchEnvironment {
  return async (name) => {
    const path = `/environments/${encodeURIComponent(name)}`;
    const what = `environment '${name}'`;
    const body = await getFromCatalog(catalogUrl, path, what, () => new EnvironmentNotFound(name), options);
    if (!checkDefinition.Check(body)) {
      throw new DependencyUnavailable(`The catalog at ${catalogUrl} sent ${what} in an unknown shape`);
    }
    if (body.error !== undefined) {
      throw new EnvironmentInvalid(
        `Environment '${name}' (${body.file}) is invalid: ${body.error.message}`,
        (body.problems ?? []).map((problem) => ({ path: problem.field, message: problem.message })),
      );
    }
    return body;
  };
}
