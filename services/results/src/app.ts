/**
 * The results service's HTTP API: task history (list, search, detail with Rally's statistics),
 * a workload's iterations, deletion, exports (streamed), import, SLA check, compare and trends.
 * `buildApp` never listens; `main.ts` does.
 */
import { Readable } from "node:stream";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { createService, type ServiceApp } from "@paddock/http";
import {
  ErrorResponse,
  ExportType,
  ImportResponse,
  IterationPage,
  SlaCheck,
  TaskComparison,
  TaskDetail,
  TaskList,
  Trend,
} from "@paddock/shared/api";
import { Conflict, RequestInvalid, TaskNotFound } from "@paddock/shared/errors";
import { FINAL_STATUSES, TaskStatus } from "@paddock/shared/task-model";
import type { FastifyReply } from "fastify";
import type { Logger } from "pino";
import Type from "typebox";
import { compareTasks } from "./analysis/compare-tasks.js";
import { scenarioTrend } from "./analysis/scenario-trend.js";
import { WorkloadNotFound } from "./errors.js";
import { EXPORT_TYPES, EXPORTERS, openExportSource } from "./exports/index.js";
import { importTasks } from "./imports/import-tasks.js";
import type { ResultStore } from "./store/result-store.js";
import { decodeCursor, encodeCursor, toTaskDetail, toTaskSummary } from "./views/task-views.js";

export const RESULTS_VERSION = "0.1.0";

export interface AppDeps {
  readonly store: ResultStore;
  readonly logger: Logger;
  /** Bearer token every route but health needs, when set. */
  readonly apiToken?: string | undefined;
  /** Whether the bus connection is up, for `/readyz`. */
  readonly natsConnected?: () => boolean;
  readonly now?: () => Date;
}

/** Every task status, from the shared schema. */
const STATUSES = (TaskStatus as unknown as { anyOf: { const: TaskStatus }[] }).anyOf.map(
  (member) => member.const,
);

const DEFAULT_PAGE = 50;
const DEFAULT_ITERATION_PAGE = 100;
const DEFAULT_TREND_TASKS = 50;

// Defaults are applied in the handlers: the TypeBox validator does not fill them in.
const TaskListQuery = Type.Object({
  /** One of the task statuses. */
  status: Type.Optional(Type.String({ description: `One of: ${STATUSES.join(", ")}` })),
  tag: Type.Optional(Type.String({ minLength: 1 })),
  scenario: Type.Optional(Type.String({ minLength: 1 })),
  environment: Type.Optional(Type.String({ minLength: 1 })),
  /** Words that must all appear in the id, title, description, tags, environment or scenarios. */
  q: Type.Optional(Type.String()),
  /** Tasks created at or after this time (ISO-8601). */
  from: Type.Optional(Type.String({ format: "date-time" })),
  /** Tasks created before this time (ISO-8601). */
  to: Type.Optional(Type.String({ format: "date-time" })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: DEFAULT_PAGE })),
  cursor: Type.Optional(Type.String({ minLength: 1 })),
});

const TaskParams = Type.Object({ id: Type.String({ minLength: 1 }) });
const WorkloadParams = Type.Object({
  id: Type.String({ minLength: 1 }),
  workloadId: Type.String({ minLength: 1 }),
});
const IterationQuery = Type.Object({
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: DEFAULT_ITERATION_PAGE })),
});
const DeleteQuery = Type.Object({ force: Type.Optional(Type.Boolean({ default: false })) });

const ExportQuery = Type.Object({
  type: Type.Optional(ExportType),
});
const MultiExportQuery = Type.Object({
  /** Comma-separated task ids. */
  tasks: Type.String({ minLength: 1 }),
  type: Type.Optional(ExportType),
});
const ImportQuery = Type.Object({
  /** Tag(s) added to every imported task. */
  tag: Type.Optional(Type.Union([Type.String({ minLength: 1 }), Type.Array(Type.String({ minLength: 1 }))])),
  /** The file name, for the task's source and error messages. */
  name: Type.Optional(Type.String({ minLength: 1 })),
});
const CompareQuery = Type.Object({
  /** Comma-separated task ids, at least two; the first is the baseline. */
  tasks: Type.String({ minLength: 1 }),
});
const TrendQuery = Type.Object({
  scenario: Type.String({ minLength: 1 }),
  environment: Type.Optional(Type.String({ minLength: 1 })),
  tag: Type.Optional(Type.String({ minLength: 1 })),
  /** Most recent tasks to include (default 50). */
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: DEFAULT_TREND_TASKS })),
});

/** Largest import body: a Rally report with about a million iterations. */
export const IMPORT_BODY_LIMIT = 512 * 1024 * 1024;

function taskIdsOf(text: string, path: string, minimum: number): string[] {
  const ids = [
    ...new Set(
      text
        .split(",")
        .map((id) => id.trim())
        .filter((id) => id.length > 0),
    ),
  ];
  if (ids.length < minimum) {
    throw new RequestInvalid(
      `Invalid request: ${path} must name at least ${minimum} different task ids, comma-separated`,
      {
        problems: [{ path, message: `needs at least ${minimum} task ids` }],
      },
    );
  }
  return ids;
}

function statusFilter(status: string | undefined): TaskStatus | undefined {
  if (status === undefined) return undefined;
  if ((STATUSES as string[]).includes(status)) return status as TaskStatus;
  throw new RequestInvalid(
    `Invalid request: querystring/status '${status}' is not a task status (one of ${STATUSES.join(", ")})`,
    { problems: [{ path: "querystring/status", message: `must be one of ${STATUSES.join(", ")}` }] },
  );
}

export async function buildApp(deps: AppDeps): Promise<ServiceApp> {
  const { store } = deps;
  const now = deps.now ?? (() => new Date());
  const app = await createService({
    name: "results",
    version: RESULTS_VERSION,
    description: "Paddock's system of record: task history, Rally statistics, iterations.",
    logger: deps.logger,
    apiToken: deps.apiToken,
    readiness: () => ({ store: store.isOpen(), nats: deps.natsConnected?.() ?? false }),
  });
  // Responses are plain data built to the shared schemas. fast-json-stringify cannot compile their
  // recursive parts (statistics rows, atomic actions), so they are serialized as they are; the
  // response schemas still document the API in OpenAPI.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  app.get(
    "/tasks",
    {
      schema: {
        summary: "List and search tasks, newest first",
        tags: ["tasks"],
        querystring: TaskListQuery,
        response: { 200: TaskList, 400: ErrorResponse },
      },
    },
    async (request) => {
      const query = request.query;
      const page = await store.listTasks({
        status: statusFilter(query.status),
        tag: query.tag,
        scenario: query.scenario,
        environment: query.environment,
        text: query.q,
        createdFrom: query.from === undefined ? undefined : new Date(query.from).toISOString(),
        createdTo: query.to === undefined ? undefined : new Date(query.to).toISOString(),
        limit: query.limit ?? DEFAULT_PAGE,
        after: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
      });
      return {
        tasks: page.tasks.map(toTaskSummary),
        ...(page.next ? { nextCursor: encodeCursor(page.next) } : {}),
      };
    },
  );

  app.get(
    "/tasks/:id",
    {
      schema: {
        summary: "A task with its workloads and their Rally statistics",
        tags: ["tasks"],
        params: TaskParams,
        response: { 200: TaskDetail, 404: ErrorResponse },
      },
    },
    async (request) => {
      const task = await store.getTask(request.params.id);
      if (!task) throw new TaskNotFound(request.params.id);
      return toTaskDetail(task, await store.listWorkloads(task.id));
    },
  );

  app.get(
    "/tasks/:id/workloads/:workloadId/iterations",
    {
      schema: {
        summary: "A workload's iterations in seq order, one page at a time",
        tags: ["tasks"],
        params: WorkloadParams,
        querystring: IterationQuery,
        response: { 200: IterationPage, 404: ErrorResponse },
      },
    },
    async (request) => {
      const { id, workloadId } = request.params;
      const task = await store.getTask(id);
      if (!task) throw new TaskNotFound(id);
      const workload = await store.getWorkload(workloadId);
      if (!workload || workload.taskId !== id) throw new WorkloadNotFound(id, workloadId);
      const offset = request.query.offset ?? 0;
      const limit = request.query.limit ?? DEFAULT_ITERATION_PAGE;
      return {
        workloadId,
        offset,
        limit,
        total: workload.storedIterationCount,
        iterations: [...(await store.readIterations(workloadId, offset, limit))],
      };
    },
  );

  app.delete(
    "/tasks/:id",
    {
      schema: {
        summary: "Delete a task and everything stored about it",
        tags: ["tasks"],
        params: TaskParams,
        querystring: DeleteQuery,
        response: { 204: Type.Null(), 404: ErrorResponse, 409: ErrorResponse },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const task = await store.getTask(id);
      if (!task) throw new TaskNotFound(id);
      if (!FINAL_STATUSES.includes(task.status) && !request.query.force) {
        throw new Conflict(
          `Task '${id}' is ${task.status}; abort it first, or delete it anyway with ?force=true (its later events are then ignored)`,
        );
      }
      if (!(await store.deleteTask(id, now().toISOString()))) throw new TaskNotFound(id);
      request.log.info({ taskId: id, status: task.status }, `deleted task ${id}`);
      return reply.code(204).send(null);
    },
  );

  const producer = `Paddock ${RESULTS_VERSION}`;

  /** Streams the export of `taskIds` as `type`; unknown tasks fail before anything is sent. */
  async function sendExport(
    reply: FastifyReply,
    taskIds: readonly string[],
    type: ExportType,
  ): Promise<void> {
    const exporter = EXPORTERS[type];
    const source = await openExportSource(store, taskIds, { generatedAt: now(), producer });
    const name = taskIds.length === 1 ? `task-${taskIds[0]}` : `tasks-${taskIds.length}`;
    reply
      .type(exporter.contentType)
      .header("content-disposition", `attachment; filename="${name}.${exporter.extension}"`)
      .send(Readable.from(exporter.render(source)));
  }

  app.get(
    "/tasks/:id/export",
    {
      schema: {
        summary: `Export a task, streamed: ${EXPORT_TYPES.join(", ")} (json is Rally's report format 1.2)`,
        tags: ["exports"],
        params: TaskParams,
        querystring: ExportQuery,
        response: { 404: ErrorResponse },
      },
    },
    async (request, reply) => {
      await sendExport(reply, [request.params.id], request.query.type ?? "json");
      return reply;
    },
  );

  app.get(
    "/export",
    {
      schema: {
        summary: "Export several tasks into one file, streamed",
        tags: ["exports"],
        querystring: MultiExportQuery,
        response: { 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request, reply) => {
      await sendExport(
        reply,
        taskIdsOf(request.query.tasks, "querystring/tasks", 1),
        request.query.type ?? "json",
      );
      return reply;
    },
  );

  await app.register(async (plain) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    // The body is Python-written JSON (it may hold Infinity), read as text and parsed by the importer.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      "*",
      { parseAs: "string", bodyLimit: IMPORT_BODY_LIMIT },
      (_request, body, done) => done(null, body),
    );
    scope.post(
      "/tasks/import",
      {
        bodyLimit: IMPORT_BODY_LIMIT,
        schema: {
          summary: "Import a Rally report (format 1.2) or old Rally results JSON as Paddock tasks",
          tags: ["tasks"],
          querystring: ImportQuery,
          response: { 201: ImportResponse, 400: ErrorResponse, 409: ErrorResponse },
        },
      },
      async (request, reply) => {
        const body = request.body;
        if (typeof body !== "string" || body.trim() === "") {
          throw new RequestInvalid("Invalid request: the body must be the file to import (JSON)", {
            problems: [{ path: "body", message: "is empty" }],
          });
        }
        const { tag, name } = request.query;
        const result = await importTasks(store, {
          text: body,
          fileName: name ?? "request body",
          tags: tag === undefined ? [] : Array.isArray(tag) ? tag : [tag],
        });
        request.log.info(
          { tasks: result.tasks.map((task) => task.id), format: result.format },
          "imported tasks",
        );
        return reply.code(201).send(result);
      },
    );
  });

  app.get(
    "/tasks/:id/sla",
    {
      schema: {
        summary: "Every SLA verdict of a task, as `rally task sla-check --json` lists them",
        tags: ["tasks"],
        params: TaskParams,
        response: { 200: SlaCheck, 404: ErrorResponse },
      },
    },
    async (request) => {
      const task = await store.getTask(request.params.id);
      if (!task) throw new TaskNotFound(request.params.id);
      const results = (await store.listWorkloads(task.id)).flatMap((workload) =>
        [...workload.slaResults]
          .sort((a, b) => (a.criterion < b.criterion ? -1 : a.criterion > b.criterion ? 1 : 0))
          .map((result) => ({
            criterion: result.criterion,
            detail: result.detail,
            status: result.success ? ("PASS" as const) : ("FAIL" as const),
            benchmark: workload.spec.scenario,
            pos: workload.position,
          })),
      );
      return { taskId: task.id, passed: results.every((result) => result.status === "PASS"), results };
    },
  );

  app.get(
    "/compare",
    {
      schema: {
        summary: "Tasks side by side: statistics with deltas from the first, and configuration differences",
        tags: ["analysis"],
        querystring: CompareQuery,
        response: { 200: TaskComparison, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request) => {
      const inputs = [];
      for (const id of taskIdsOf(request.query.tasks, "querystring/tasks", 2)) {
        const task = await store.getTask(id);
        if (!task) throw new TaskNotFound(id);
        inputs.push({ task, workloads: await store.listWorkloads(id) });
      }
      return compareTasks(inputs);
    },
  );

  app.get(
    "/trends",
    {
      schema: {
        summary: "One scenario's statistics across tasks over time, oldest first",
        tags: ["analysis"],
        querystring: TrendQuery,
        response: { 200: Trend, 400: ErrorResponse },
      },
    },
    async (request) =>
      scenarioTrend(store, {
        scenario: request.query.scenario,
        environment: request.query.environment,
        tag: request.query.tag,
        limit: request.query.limit ?? DEFAULT_TREND_TASKS,
      }),
  );

  return app;
}
