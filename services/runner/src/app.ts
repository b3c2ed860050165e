/**
 * The runner's HTTP API. `buildApp(deps)` wires routes to injected dependencies and never
 * listens (`main.ts` does). Routes:
 *
 * - `POST /tasks` — load (catalog scenario or inline text), validate fully, publish `TaskQueued`,
 *   hand the task to the dispatcher (the shared queue, or this process), answer 202
 *   `{taskId, status: "queued"}`.
 * - `POST /tasks/validate` — the same checks; 200 `{valid: true}` or 422 with every problem.
 * - `GET /tasks/active` — the tasks running on this runner, with per-workload counts, and the
 *   shares of other runners' distributed workloads it holds.
 * - `POST /tasks/:id/abort` — `{soft?: boolean}`; 202 when a runner or the queue holds the task,
 *   then `TaskAborted` is published; 404 otherwise.
 * - `POST /environments/:name/check` — each platform of the environment: available or why not.
 *
 * `POST /tasks` refuses an environment the catalog does not have (404 `ENVIRONMENT_NOT_FOUND`)
 * before anything is published; the queue and `TaskQueued` carry its name only, and the runner
 * that runs the task resolves its `${VAR}` secrets as the run starts.
 *
 * While the app is up it sends a `RunnerHeartbeat` every 2 s; closing it stops the heartbeat,
 * soft-aborts running tasks and waits for their last events.
 *
 * With `shares` (the other replicas, over NATS) a workload can be split across replicas
 * (`distribute`): this runner coordinates the workloads of the tasks it runs and holds shares of
 * other runners' workloads while it has a free slot (docs/distribution.md).
 */
import { randomUUID } from "node:crypto";
import type { EventPublisher } from "@paddock/bus";
import { createService, type ServiceApp } from "@paddock/http";
import {
  EnvironmentCheck,
  EnvironmentSweep,
  EnvironmentSweepRequest,
  ErrorResponse,
  StartTaskRequest,
  StartTaskResponse,
} from "@paddock/shared/api";
import {
  Conflict,
  DependencyUnavailable,
  describeError,
  type ProblemDetail,
  RequestInvalid,
  TaskFileInvalid,
  TaskNotFound,
} from "@paddock/shared/errors";
import { createEvent } from "@paddock/shared/event-codec";
import type { TaskSource } from "@paddock/shared/events";
import type { TaskSpec } from "@paddock/shared/task-model";
import { applyOverrides, checkTaskSpec, hashText, loadTask } from "@paddock/tasks";
import type { Logger } from "pino";
import {
  AbortTaskRequest,
  ActiveTaskList,
  EnvironmentNameParams,
  TaskIdParams,
  ValidateTaskResponse,
} from "./api-schemas.js";
import type { FetchScenario } from "./catalog-client.js";
import type { Clock } from "./clock.js";
import type { DistributionTiming } from "./distribution/share-coordinator.js";
import type { ShareNetwork } from "./distribution/share-network.js";
import { ShareWorker } from "./distribution/share-worker.js";
import { type CheckOptions, checkEnvironment } from "./environments/environment-check.js";
import type { FetchEnvironment } from "./environments/environment-client.js";
import {
  createEnvironmentResolver,
  type EnvironmentVariables,
  resolveEnvironment as resolveDefinition,
} from "./environments/environment-resolver.js";
import { type Heartbeat, startHeartbeat } from "./heartbeat.js";
import { sweepLeftovers } from "./openstack/resource-sweeper.js";
import type { PluginRegistry } from "./plugins/index.js";
import { createLocalDispatcher, type DispatcherFactory } from "./task-dispatcher.js";
import type { ExecutorDeps } from "./task-executor.js";
import { TaskSupervisor } from "./task-supervisor.js";
import { type PreparedTask, prepareTask } from "./task-validator.js";

export interface RunnerAppDeps {
  readonly publisher: EventPublisher;
  readonly fetchScenario: FetchScenario;
  readonly plugins: PluginRegistry;
  /** This runner's id (a NATS subject token). */
  readonly runnerId: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly apiToken?: string | undefined;
  /** Dependency checks for `/readyz`. Default: always ready. */
  readonly readiness?: () => Record<string, boolean> | Promise<Record<string, boolean>>;
  /** Milliseconds between heartbeats. Default 2000. */
  readonly heartbeatIntervalMs?: number;
  /** Milliseconds running tasks get to finish on shutdown before they are hard-aborted. Default 8000. */
  readonly shutdownGraceMs?: number;
  /** Executor tuning (progress interval, batch limits, publish queue), mostly for tests. */
  readonly executor?: Partial<Pick<ExecutorDeps, "progressIntervalMs" | "batch" | "queue" | "now">>;
  /**
   * Where accepted tasks go: `createNatsDispatcher(nc)` (the durable queue runners share) in
   * deployments. Default: this process runs each one at once.
   */
  readonly dispatch?: DispatcherFactory;
  /**
   * The catalog's environments (`GET /environments/<name>`): `POST /tasks` refuses an unknown
   * one before anything is published, and `POST /environments/:name/check` checks one. Default:
   * every environment is an empty `generic` one (nothing to resolve or check).
   */
  readonly fetchEnvironment?: FetchEnvironment;
  /**
   * Where `${VAR}` references are read, only when a task runs or an environment is checked:
   * this process's environment (`main.ts` passes `process.env`). Default: none set.
   */
  readonly variables?: EnvironmentVariables;
  /** Probes behind `POST /environments/:name/check` (timeouts, `fetch`), mostly for tests. */
  readonly checkOptions?: CheckOptions;
  /**
   * The other runner replicas (`createNatsShareNetwork(nc)` in deployments): with it, workloads
   * can be distributed and this runner holds shares of others'. Default: none.
   */
  readonly shares?: ShareNetwork;
  /** Tasks and shares this runner runs at once (`PADDOCK_RUNNER_MAX_TASKS`). Default 1. */
  readonly capacity?: number;
  /** Timings of handing shares out, mostly for tests. */
  readonly distribution?: DistributionTiming;
  /** Seconds after its last heartbeat this runner counts as dead. Default 10. */
  readonly heartbeatTtl?: number;
}

const VERSION = "0.1.0";
const DEFAULT_ENVIRONMENT = "local";

interface LoadedRequest {
  readonly text: string;
  readonly source: TaskSource;
  readonly prepared: PreparedTask;
}

function listProblems(problems: readonly ProblemDetail[]): string {
  return problems
    .map((problem) => `  - ${problem.path ? `${problem.path}: ` : ""}${problem.message}`)
    .join("\n");
}

/** A human title for a task without one (Rally v1 tasks have none): its subtasks' titles. */
function titleOf(task: TaskSpec): string {
  if (task.title) return task.title;
  const titles = [...new Set(task.subtasks.map((subtask) => subtask.title))].join(", ");
  return titles.length > 255 ? `${titles.slice(0, 254)}…` : titles;
}

export async function buildApp(deps: RunnerAppDeps): Promise<ServiceApp> {
  const resolveEnvironment =
    deps.fetchEnvironment === undefined
      ? undefined
      : createEnvironmentResolver(deps.fetchEnvironment, deps.variables ?? {});
  let heartbeat: Heartbeat | undefined;
  const supervisor = new TaskSupervisor(
    {
      publisher: deps.publisher,
      clock: deps.clock,
      runnerId: deps.runnerId,
      logger: deps.logger,
      ...deps.executor,
      ...(resolveEnvironment === undefined ? {} : { resolveEnvironment }),
      shares: deps.shares,
      distribution: deps.distribution,
    },
    () => heartbeat?.beat(),
  );
  const capacity = deps.capacity ?? 1;
  // Set right below; a share starting or ending frees or takes a slot of the task queue.
  let slotsChanged = () => {};
  const worker: ShareWorker | undefined =
    deps.shares === undefined
      ? undefined
      : new ShareWorker({
          network: deps.shares,
          publisher: deps.publisher,
          runnerId: deps.runnerId,
          clock: deps.clock,
          logger: deps.logger,
          prepare: (task) => prepareTask(task, deps.plugins),
          hasFreeSlot: () => supervisor.size + (worker?.size ?? 0) < capacity,
          onChange: () => {
            heartbeat?.beat();
            slotsChanged();
          },
          resolveEnvironment,
          progressIntervalMs: deps.executor?.progressIntervalMs,
          batch: deps.executor?.batch,
          queue: deps.executor?.queue,
          now: deps.executor?.now,
        });
  const dispatcher = await (deps.dispatch ?? createLocalDispatcher)({
    supervisor,
    prepare: (task) => prepareTask(task, deps.plugins),
    runnerId: deps.runnerId,
    logger: deps.logger,
    now: deps.executor?.now,
    sharesRunning: () => worker?.size ?? 0,
  });
  slotsChanged = () => dispatcher.slotsChanged?.();
  const app = await createService({
    name: "runner",
    version: VERSION,
    description: "Executes Rally tasks and publishes their events on NATS.",
    logger: deps.logger,
    apiToken: deps.apiToken,
    readiness: async () => ({ ...(await deps.readiness?.()), accepting: supervisor.accepting }),
  });

  async function load(body: StartTaskRequest): Promise<LoadedRequest> {
    if (body.scenarioId !== undefined && body.task !== undefined) {
      throw new RequestInvalid("Give either 'scenarioId' or 'task', not both", {
        problems: [{ path: "body", message: "'scenarioId' and 'task' are mutually exclusive" }],
      });
    }
    let text: string;
    let source: TaskSource;
    let path: string;
    if (body.scenarioId !== undefined) {
      const scenario = await deps.fetchScenario(body.scenarioId);
      text = scenario.text;
      source = { kind: "scenario", scenarioId: body.scenarioId, hash: hashText(scenario.raw) };
      path = body.scenarioId;
    } else if (body.task !== undefined) {
      text = body.task;
      path = body.path ?? "<task>";
      source =
        body.path === undefined
          ? { kind: "inline", hash: hashText(text) }
          : { kind: "file", path: body.path, hash: hashText(text) };
    } else {
      throw new RequestInvalid("Give 'scenarioId' (a catalog scenario) or 'task' (the task file text)", {
        problems: [{ path: "body", message: "one of 'scenarioId' or 'task' is required" }],
      });
    }
    const loaded = loadTask(text, { args: body.args ?? {}, path });
    let task = loaded.task;
    if (body.overrides !== undefined && body.overrides.length > 0) {
      task = applyOverrides(task, body.overrides);
      const problems = checkTaskSpec(task);
      if (problems.length > 0) {
        throw new TaskFileInvalid(
          `${path}: the task is invalid once overridden:\n${listProblems(problems)}`,
          {
            problems,
          },
        );
      }
    }
    const preparation = prepareTask(task, deps.plugins);
    if (!preparation.ok) {
      throw new TaskFileInvalid(`${path}: the task is invalid:\n${listProblems(preparation.problems)}`, {
        problems: preparation.problems,
      });
    }
    return { text, source, prepared: preparation.task };
  }

  const errors = { 400: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse, 503: ErrorResponse };

  app.post(
    "/tasks",
    {
      schema: {
        summary: "Validate a task, queue it and execute it",
        body: StartTaskRequest,
        response: { 202: StartTaskResponse, ...errors },
      },
    },
    async (request, reply) => {
      if (!supervisor.accepting) throw new DependencyUnavailable("The runner is shutting down");
      const { text, source, prepared } = await load(request.body);
      const environment = request.body.environment ?? DEFAULT_ENVIRONMENT;
      // Only its existence is checked here: the secrets are resolved by the runner that runs it.
      await deps.fetchEnvironment?.(environment);
      const taskId = randomUUID();
      const task = prepared.task;
      const title = titleOf(task);
      const tags = [...new Set([...task.tags, ...(request.body.tags ?? [])])];
      try {
        await deps.publisher.publish(
          createEvent(
            "TaskQueued",
            taskId,
            {
              title,
              description: task.description,
              tags,
              environment,
              source,
              args: request.body.args ?? {},
              input: text,
              task,
            },
            deps.executor?.now,
          ),
        );
      } catch (error) {
        throw new DependencyUnavailable(`The task could not be queued on NATS: ${describeError(error)}`, {
          cause: error,
        });
      }
      try {
        await dispatcher.enqueue({
          taskId,
          title,
          task,
          abortOnSlaFailure: request.body.abortOnSlaFailure === true,
          submittedBy: deps.runnerId,
          environment,
          ...(request.body.distribute === undefined ? {} : { distribute: request.body.distribute }),
        });
      } catch (error) {
        const reason = `The task could not be queued: ${describeError(error)}`;
        await deps.publisher
          .publish(
            createEvent(
              "TaskFailed",
              taskId,
              { error: ["DependencyUnavailable", reason, ""], validation: false },
              deps.executor?.now,
            ),
          )
          .catch(() => undefined);
        throw new DependencyUnavailable(reason, { cause: error });
      }
      request.log.info({ taskId, title, source: source.kind }, `task ${taskId} queued: ${title}`);
      return reply.code(202).send({ taskId, status: "queued" });
    },
  );

  app.post(
    "/tasks/validate",
    {
      schema: {
        summary: "Validate a task without running it",
        body: StartTaskRequest,
        response: { 200: ValidateTaskResponse, ...errors },
      },
    },
    async (request) => {
      await load(request.body);
      return { valid: true as const };
    },
  );

  app.get(
    "/tasks/active",
    {
      schema: {
        summary: "Tasks running on this runner (not those queued or on other runners)",
        response: { 200: ActiveTaskList },
      },
    },
    async () => ({
      runnerId: deps.runnerId,
      tasks: supervisor.runs().map((run) => ({
        taskId: run.taskId,
        title: run.title,
        startedAt: run.startedAt,
        status:
          run.abortMode === undefined
            ? ("running" as const)
            : run.abortMode === "soft"
              ? ("soft_aborting" as const)
              : ("aborting" as const),
        workloads: run.workloads.map((workload) => ({ ...workload })),
      })),
      ...(worker === undefined ? {} : { shares: worker.active() }),
    }),
  );

  app.post(
    "/tasks/:id/abort",
    {
      schema: {
        summary: "Abort a task, queued or running on any runner",
        params: TaskIdParams,
        body: AbortTaskRequest,
        response: { 202: StartTaskResponse, ...errors },
      },
      // The body is optional: no body means a hard abort.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request, reply) => {
      const soft = request.body.soft === true;
      const taskId = request.params.id;
      let status: Awaited<ReturnType<typeof dispatcher.abort>>;
      try {
        status = await dispatcher.abort(taskId, soft ? "soft" : "hard");
      } catch (error) {
        throw new DependencyUnavailable(`The abort could not be delivered: ${describeError(error)}`, {
          cause: error,
        });
      }
      if (status === undefined) throw new TaskNotFound(taskId);
      request.log.info({ taskId, soft, status }, `task ${taskId} ${status}`);
      return reply.code(202).send({ taskId, status });
    },
  );

  app.post(
    "/environments/:name/check",
    {
      schema: {
        summary: "Check an environment's platforms: reachability and credentials (like `rally env check`)",
        params: EnvironmentNameParams,
        response: { 200: EnvironmentCheck, ...errors },
      },
    },
    async (request) => {
      const { name } = request.params;
      const definition =
        deps.fetchEnvironment === undefined
          ? { name, platform: "generic", spec: {}, file: `${name}.yaml`, description: "", secrets: [] }
          : await deps.fetchEnvironment(name);
      const platforms = await checkEnvironment(definition, deps.variables ?? {}, deps.checkOptions);
      request.log.info(
        { environment: name, available: platforms.map((platform) => platform.available) },
        `environment ${name} checked`,
      );
      return { environment: name, available: platforms.every((platform) => platform.available), platforms };
    },
  );

  app.post(
    "/environments/:name/sweep",
    {
      schema: {
        summary:
          "Delete what Paddock runs left in an OpenStack environment (resources named paddock_…); refused while this runner runs a task",
        params: EnvironmentNameParams,
        body: EnvironmentSweepRequest,
        response: { 200: EnvironmentSweep, ...errors },
      },
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request) => {
      const { name } = request.params;
      const dryRun = request.body.dryRun === true;
      const running = [...new Set([...supervisor.taskIds(), ...(worker?.taskIds() ?? [])])];
      if (running.length > 0 && !dryRun) {
        throw new Conflict(
          `Runner ${deps.runnerId} is running ${running.join(", ")}: a sweep would delete resources in use. Sweep when it is idle (or list them with dryRun).`,
        );
      }
      const definition =
        deps.fetchEnvironment === undefined
          ? { name, platform: "generic", spec: {}, file: `${name}.yaml`, description: "", secrets: [] }
          : await deps.fetchEnvironment(name);
      if (definition.platform !== "openstack") {
        throw new RequestInvalid(
          `Environment '${name}' has platform '${definition.platform}': only openstack environments have resources to sweep`,
        );
      }
      const environment = resolveDefinition(definition, deps.variables ?? {});
      const swept = await sweepLeftovers(environment, { dryRun });
      request.log.info(
        {
          environment: name,
          dryRun,
          found: swept.resources.length,
          removed: swept.resources.filter((resource) => resource.removed).length,
          problems: swept.problems.length,
        },
        `environment ${name} swept${dryRun ? " (dry run)" : ""}`,
      );
      return {
        environment: name,
        dryRun,
        ...swept,
        resources: [...swept.resources],
        problems: [...swept.problems],
      };
    },
  );

  app.addHook("onReady", async () => {
    await worker?.start();
    heartbeat = startHeartbeat({
      publisher: deps.publisher,
      runnerId: deps.runnerId,
      tasks: () => [...new Set([...supervisor.taskIds(), ...(worker?.taskIds() ?? [])])],
      capacity,
      ttl: deps.heartbeatTtl ?? 10,
      intervalMs: deps.heartbeatIntervalMs,
      now: deps.executor?.now,
      onError: (error) => deps.logger.warn(`heartbeat not sent: ${describeError(error)}`),
    });
  });
  app.addHook("onClose", async () => {
    heartbeat?.stop();
    await dispatcher.close();
    await Promise.all([worker?.close(deps.shutdownGraceMs), supervisor.shutdown(deps.shutdownGraceMs)]);
  });

  return app;
}
