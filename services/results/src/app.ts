/**
 * The results service's HTTP API: task history (list, search, detail with Rally's statistics),
 * a workload's iterations, and deletion. `buildApp` never listens; `main.ts` does.
 */
import { createService, type ServiceApp } from "@paddock/http";
import { ErrorResponse, IterationPage, TaskDetail, TaskList } from "@paddock/shared/api";
import { Conflict, RequestInvalid, TaskNotFound } from "@paddock/shared/errors";
import { FINAL_STATUSES, TaskStatus } from "@paddock/shared/task-model";
import type { Logger } from "pino";
import Type from "typebox";
import { WorkloadNotFound } from "./errors.js";
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

// Defaults are applied in the handlers: the TypeBox validator does not fill them in.
const TaskListQuery = Type.Object({
  /** One of the task statuses. */
  status: Type.Optional(Type.String({ description: `One of: ${STATUSES.join(", ")}` })),
  tag: Type.Optional(Type.String({ minLength: 1 })),
  scenario: Type.Optional(Type.String({ minLength: 1 })),
  environment: Type.Optional(Type.String({ minLength: 1 })),
  /** Words that must all appear in the id, title, description, tags, environment or scenarios. */
  q: Type.Optional(Type.String()),
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

  return app;
}
