/**
 * The catalog's HTTP API over the scenario library, the context presets and the environments.
 * Builds the app and never listens (`main.ts` does).
 *
 * - `GET /scenarios?service=&q=&tag=`: scenarios grouped by service folder.
 * - `GET /services`: service folders with their scenario counts.
 * - `GET /scenarios/<id>`: one scenario with its text (`raw`), args and parsed task.
 * - `POST /scenarios`: creates a scenario (`{id, raw}`); `PUT /scenarios/<id>`: saves one;
 *   `DELETE /scenarios/<id>[?baseHash=]`: removes one. Saves are checked first (422 with every
 *   problem), size-limited (413), atomic and confined to the library (400).
 * - `POST /scenarios/<id>/render`: the task `{args, overrides}` would start, checked, starting nothing.
 * - `GET /contexts`, `GET /contexts/<name>`: context presets.
 * - `GET /environments`, `GET /environments/<name>`: secrets as `${VAR}` references only.
 */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { createService, type Logger, type ServiceApp } from "@paddock/http";
import {
  ContextPreset,
  ContextPresetList,
  CreateScenarioRequest,
  EnvironmentDefinition,
  EnvironmentList,
  ErrorResponse,
  RenderScenarioRequest,
  RenderScenarioResponse,
  SaveScenarioRequest,
  ScenarioDetail,
  ScenarioList,
  ScenarioQuery,
  ServiceList,
} from "@paddock/shared/api";
import type { FastifyError } from "fastify";
import Type from "typebox";
import { ScenarioTooLarge } from "./catalog-errors.js";
import type { ContextPresetStore } from "./context-presets.js";
import type { EnvironmentStore } from "./environment-store.js";
import type { ScenarioLibrary } from "./scenario-library.js";

export interface CatalogDeps {
  readonly library: ScenarioLibrary;
  readonly environments: EnvironmentStore;
  readonly contexts: ContextPresetStore;
  readonly logger: Logger;
  /** When set, every route but health needs `Authorization: Bearer <token>`. */
  readonly apiToken?: string | undefined;
}

/** Version reported in the OpenAPI document. */
export const CATALOG_VERSION = "0.2.0";

/**
 * The scenario id: the rest of the path (`/scenarios/dummy/dummy.yaml` → `dummy/dummy.yaml`).
 * Not declared as a params schema: TypeBox reads the property name `*` as a pattern.
 */
const scenarioId = (params: unknown): string => (params as { "*"?: string })["*"] ?? "";
const RENDER_SUFFIX = "/render";
const NameParams = Type.Object({ name: Type.String() });
const DeleteQuery = Type.Object({
  /** sha256 of the version the client saw; a file changed since is not deleted (409). */
  baseHash: Type.Optional(Type.String()),
});
const errors = { 400: ErrorResponse, 404: ErrorResponse };
const saveErrors = { ...errors, 409: ErrorResponse, 413: ErrorResponse, 422: ErrorResponse };

/**
 * Headroom over the scenario size limit for the JSON around the text (and its escaping); a
 * text over the limit itself is refused by the library with the same 413.
 */
const bodyLimitFor = (maxBytes: number): number => maxBytes * 2 + 64 * 1024;

export async function buildApp(deps: CatalogDeps): Promise<ServiceApp> {
  const { library, environments, contexts } = deps;
  const app = await createService({
    name: "catalog",
    version: CATALOG_VERSION,
    description:
      "The scenario library (Rally task files by service), context presets and the environments tasks run against.",
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

  await app.register(async (plugin) => {
    const writes = plugin.withTypeProvider<TypeBoxTypeProvider>();
    // A body over the route's limit never reaches a handler; say what the limit is.
    writes.setErrorHandler((error: FastifyError) => {
      if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") throw new ScenarioTooLarge(library.maxBytes);
      throw error;
    });
    const bodyLimit = bodyLimitFor(library.maxBytes);

    writes.post(
      "/scenarios",
      {
        bodyLimit,
        schema: {
          summary: "Create a scenario file (`id` is `<service>/…/<name>.yaml`)",
          body: CreateScenarioRequest,
          response: { 201: ScenarioDetail, ...saveErrors },
        },
      },
      async (request, reply) => reply.code(201).send(await library.create(request.body.id, request.body.raw)),
    );

    writes.put(
      "/scenarios/*",
      {
        bodyLimit,
        schema: {
          summary: "Save a scenario's text (creating the file if needed)",
          body: SaveScenarioRequest,
          response: { 200: ScenarioDetail, ...saveErrors },
        },
      },
      async (request) => library.save(scenarioId(request.params), request.body.raw, request.body.baseHash),
    );

    writes.delete(
      "/scenarios/*",
      {
        schema: {
          summary: "Delete a scenario file",
          querystring: DeleteQuery,
          response: { 204: Type.Null(), ...errors, 409: ErrorResponse },
        },
      },
      async (request, reply) => {
        await library.delete(scenarioId(request.params), request.query.baseHash);
        return reply.code(204).send(null);
      },
    );

    writes.post(
      "/scenarios/*",
      {
        bodyLimit,
        schema: {
          summary:
            "POST /scenarios/<id>/render: the task these args and overrides give, checked; nothing starts",
          body: RenderScenarioRequest,
          response: { 200: RenderScenarioResponse, ...errors },
        },
      },
      async (request, reply) => {
        const path = scenarioId(request.params);
        if (!path.endsWith(RENDER_SUFFIX)) {
          return reply
            .code(404)
            .send({ error: { code: "ROUTE_NOT_FOUND", message: `No route POST /scenarios/${path}` } });
        }
        const { args = {}, overrides = [] } = request.body ?? {};
        return library.render(path.slice(0, -RENDER_SUFFIX.length), args, overrides);
      },
    );
  });

  app.get(
    "/contexts",
    { schema: { summary: "Context presets to attach to a workload", response: { 200: ContextPresetList } } },
    async () => contexts.list(),
  );

  app.get(
    "/contexts/:name",
    {
      schema: {
        summary: "One context preset; send its `contexts` in a workload override to apply it",
        params: NameParams,
        response: { 200: ContextPreset, 404: ErrorResponse },
      },
    },
    async (request) => contexts.get(request.params.name),
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
        params: NameParams,
        response: { 200: EnvironmentDefinition, 404: ErrorResponse },
      },
    },
    async (request) => environments.get(request.params.name),
  );

  return app;
}
