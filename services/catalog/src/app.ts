/**
 * The catalog's HTTP API over the scenario library and the environments. Builds the app and
 * never listens (`main.ts` does).
 *
 * - `GET /scenarios?service=&q=&tag=`: scenarios grouped by service folder.
 * - `GET /services`: service folders with their scenario counts.
 * - `GET /scenarios/<id>`: one scenario with its text (`raw`), args and parsed task.
 * - `PUT /scenarios/<id>`: saves a scenario's text (atomically, inside the library).
 * - `GET /environments`, `GET /environments/<name>`.
 */
import { createService, type Logger, type ServiceApp } from "@paddock/http";
import {
  EnvironmentDefinition,
  EnvironmentList,
  ErrorResponse,
  SaveScenarioRequest,
  ScenarioDetail,
  ScenarioList,
  ScenarioQuery,
  ServiceList,
} from "@paddock/shared/api";
import Type from "typebox";
import type { EnvironmentStore } from "./environment-store.js";
import type { ScenarioLibrary } from "./scenario-library.js";

export interface CatalogDeps {
  readonly library: ScenarioLibrary;
  readonly environments: EnvironmentStore;
  readonly logger: Logger;
  /** When set, every route but health needs `Authorization: Bearer <token>`. */
  readonly apiToken?: string | undefined;
}

/** Version reported in the OpenAPI document. */
export const CATALOG_VERSION = "0.1.0";

/**
 * The scenario id: the rest of the path (`/scenarios/dummy/dummy.yaml` → `dummy/dummy.yaml`).
 * Not declared as a params schema: TypeBox reads the property name `*` as a pattern.
 */
const scenarioId = (params: unknown): string => (params as { "*"?: string })["*"] ?? "";
const EnvironmentParams = Type.Object({ name: Type.String() });
const errors = { 400: ErrorResponse, 404: ErrorResponse };

export async function buildApp(deps: CatalogDeps): Promise<ServiceApp> {
  const { library, environments } = deps;
  const app = await createService({
    name: "catalog",
    version: CATALOG_VERSION,
    description: "The scenario library (Rally task files by service) and the environments tasks run against.",
    logger: deps.logger,
    apiToken: deps.apiToken,
    readiness: async () => ({ scenarios: await library.isReadable() }),
  });

  app.get(
    "/scenarios",
    {
      schema: {
        summary: "Scenarios grouped by service folder",
        querystring: ScenarioQuery,
        response: { 200: ScenarioList, 400: ErrorResponse },
      },
    },
    async (request) => library.list(request.query),
  );

  app.get(
    "/services",
    { schema: { summary: "Service folders and their scenario counts", response: { 200: ServiceList } } },
    async () => library.services(),
  );

  app.get(
    "/scenarios/*",
    {
      schema: {
        summary: "One scenario: its text, declared arguments and parsed task",
        response: { 200: ScenarioDetail, ...errors },
      },
    },
    async (request) => library.get(scenarioId(request.params)),
  );

  app.put(
    "/scenarios/*",
    {
      schema: {
        summary: "Save a scenario's text",
        body: SaveScenarioRequest,
        response: { 200: ScenarioDetail, ...errors, 409: ErrorResponse },
      },
    },
    async (request) => library.save(scenarioId(request.params), request.body.raw, request.body.baseHash),
  );

  app.get(
    "/environments",
    { schema: { summary: "Environments tasks can run against", response: { 200: EnvironmentList } } },
    async () => environments.list(),
  );

  app.get(
    "/environments/:name",
    {
      schema: {
        summary: "One environment, its secret references returned unresolved",
        params: EnvironmentParams,
        response: { 200: EnvironmentDefinition, 404: ErrorResponse },
      },
    },
    async (request) => environments.get(request.params.name),
  );

  return app;
}
