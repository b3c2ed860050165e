/**
 * The frame of every Paddock HTTP service: health and readiness routes, the OpenAPI document,
 * `/metrics` (Prometheus text format: HTTP requests, the process, and the service's own metrics),
 * bearer-token auth, and one error handler that maps `PaddockError`s to their status and never
 * leaks a 5xx's internals.
 */
import swagger from "@fastify/swagger";
import { type TypeBoxTypeProvider, TypeBoxValidatorCompiler } from "@fastify/type-provider-typebox";
import { type ErrorBody, isPaddockError, type ProblemDetail } from "@paddock/shared/errors";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  LogController,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from "fastify";
import type { Logger } from "pino";
import { createHttpMetrics, registerProcessMetrics } from "./http-metrics.js";
import { EXPOSITION_CONTENT_TYPE, type MetricsRegistry, processRegistry } from "./metrics.js";

export type ServiceApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface ServiceOptions {
  /** Service name: `catalog`, `runner`, `results`. */
  readonly name: string;
  readonly version: string;
  readonly description: string;
  readonly logger: Logger;
  /** When set, every route but `/healthz` and `/readyz` needs `Authorization: Bearer <token>`. */
  readonly apiToken?: string | undefined;
  /** Dependency checks for `/readyz`: name → whether it answers now. */
  readonly readiness: () => Promise<Record<string, boolean>> | Record<string, boolean>;
  /** Largest accepted request body in bytes. Default 1 MiB. */
  readonly bodyLimit?: number;
  /** The registry `GET /metrics` serves. Default `processRegistry`. */
  readonly metrics?: MetricsRegistry;
}

const OPEN_ROUTES = new Set(["/healthz", "/readyz"]);

export function errorBody(code: string, message: string, problems?: readonly ProblemDetail[]): ErrorBody {
  return { error: problems && problems.length > 0 ? { code, message, problems } : { code, message } };
}

export async function createService(options: ServiceOptions): Promise<ServiceApp> {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    // Requests are not logged one by one (a load test would drown the log); errors are.
    logController: new LogController({ disableRequestLogging: true }),
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(TypeBoxValidatorCompiler);

  const metrics = options.metrics ?? processRegistry;
  registerProcessMetrics(metrics);
  const http = createHttpMetrics(metrics);
  app.addHook("onResponse", async (request, reply) => {
    http.record(request.method, request.routeOptions.url, reply.statusCode, reply.elapsedTime / 1000);
  });

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: { title: `Paddock ${options.name}`, version: options.version, description: options.description },
      components: options.apiToken ? { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } } : {},
    },
  });

  if (options.apiToken) {
    const expected = `Bearer ${options.apiToken}`;
    app.addHook("onRequest", async (request, reply) => {
      if (OPEN_ROUTES.has(request.url.split("?")[0] ?? "")) return;
      if (request.headers.authorization !== expected) {
        await reply
          .code(401)
          .send(
            errorBody(
              "UNAUTHORIZED",
              "A valid 'Authorization: Bearer <PADDOCK_API_TOKEN>' header is required",
            ),
          );
      }
    });
  }

  app.setNotFoundHandler((request, reply) => {
    void reply
      .code(404)
      .send(errorBody("ROUTE_NOT_FOUND", `No route ${request.method} ${request.url.split("?")[0]}`));
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isPaddockError(error)) {
      if (error.status >= 500) request.log.error({ err: error }, error.message);
      return reply.code(error.status).send(errorBody(error.code, error.message, error.problems));
    }
    if (error.validation) {
      const problems = error.validation.map((issue) => ({
        path: `${error.validationContext ?? "body"}${issue.instancePath || ""}`,
        message: issue.message ?? "is invalid",
      }));
      return reply
        .code(400)
        .send(
          errorBody(
            "REQUEST_INVALID",
            `Invalid request: ${problems.map((p) => `${p.path} ${p.message}`).join("; ")}`,
            problems,
          ),
        );
    }
    const status = typeof error.statusCode === "number" ? error.statusCode : 500;
    if (status < 500) {
      return reply.code(status).send(errorBody(error.code ?? "REQUEST_INVALID", error.message));
    }
    request.log.error({ err: error }, "request failed");
    return reply
      .code(500)
      .send(errorBody("INTERNAL", `Internal error in ${options.name} (request ${request.id}); see its log`));
  });

  app.get("/healthz", { schema: { hide: true } }, async () => ({ status: "ok", service: options.name }));
  app.get("/readyz", { schema: { hide: true } }, async (_request, reply) => {
    const checks = await options.readiness();
    const ready = Object.values(checks).every(Boolean);
    return reply
      .code(ready ? 200 : 503)
      .send({ status: ready ? "ok" : "unavailable", service: options.name, checks });
  });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  app.get("/metrics", { schema: { hide: true } }, async (_request, reply) =>
    reply.type(EXPOSITION_CONTENT_TYPE).send(await metrics.expose()),
  );

  return app;
}
