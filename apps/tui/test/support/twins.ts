/**
 * In-memory twins of the TUI's own adapters (the service clients and the NATS link), holding
 * fixture data and recording what was asked. Integration tests use the real adapters against
 * real servers instead.
 */
import { writeFile } from "node:fs/promises";
import type { Following } from "@paddock/bus";
import type {
  EnvironmentCheck,
  EnvironmentList,
  RenderScenarioRequest,
  ScenarioDetail,
  ScenarioList,
  StartTaskRequest,
  TaskDetail,
  TaskSummary,
} from "@paddock/shared/api";
import { describeError, EnvironmentNotFound, ScenarioNotFound, TaskNotFound } from "@paddock/shared/errors";
import type { AnyPaddockEvent } from "@paddock/shared/events";
import type { TaskSpec } from "@paddock/shared/task-model";
import { applyOverrides, checkTaskSpec, loadRenderedTask, renderTemplate } from "@paddock/tasks";
import type { Readiness, ServiceName } from "../../src/api/clients.js";
import type { ReportExportType } from "../../src/api/reports-client.js";
import { ServiceError } from "../../src/errors.js";
import type { LiveBus } from "../../src/live/live-bus.js";
import type { TuiClients } from "../../src/tui/deps.js";
import { scenarioDetail, scenarioList } from "../fixtures/index.js";
import { compareDetails, iterationPage } from "../fixtures/reports.js";

export interface TwinClients extends TuiClients {
  readonly started: StartTaskRequest[];
  readonly deleted: string[];
  readonly exported: { taskId: string; type: ReportExportType; file: string }[];
  readonly compared: string[][];
  /** Every `renderScenario` request, in order. */
  readonly rendered: { id: string; request: RenderScenarioRequest }[];
  /** Every scenario `createScenario` saved, in order. */
  readonly created: { id: string; raw: string }[];
  readonly aborted: { taskId: string; soft: boolean }[];
  /** Every environment `checkEnvironment` was asked about, in order. */
  readonly checked: string[];
  readonly details: Map<string, TaskDetail>;
  tasks: TaskSummary[];
  health: Record<ServiceName, Readiness>;
}

export function twinClients(
  options: {
    scenarios?: ScenarioList;
    tasks?: TaskSummary[];
    details?: TaskDetail[];
    nextTaskId?: string;
    environments?: EnvironmentList;
    /** What the runner answers to `checkEnvironment`, by environment name (others: not found). */
    environmentChecks?: Record<string, EnvironmentCheck>;
  } = {},
): TwinClients {
  const checked: string[] = [];
  const started: StartTaskRequest[] = [];
  const aborted: { taskId: string; soft: boolean }[] = [];
  const deleted: string[] = [];
  const exported: { taskId: string; type: ReportExportType; file: string }[] = [];
  const compared: string[][] = [];
  const rendered: { id: string; request: RenderScenarioRequest }[] = [];
  const created: { id: string; raw: string }[] = [];
  const details = new Map((options.details ?? []).map((detail) => [detail.id, detail]));
  const twin: TwinClients = {
    started,
    aborted,
    checked,
    deleted,
    exported,
    compared,
    rendered,
    created,
    details,
    tasks: options.tasks ?? [],
    health: { catalog: "ok", runner: "ok", results: "degraded" },
    catalog: {
      listScenarios: async () => options.scenarios ?? scenarioList,
      async getScenario(id) {
        const detail = scenarioDetail(id);
        if (detail === undefined) throw new ScenarioNotFound(id);
        return detail;
      },
      // The catalog's render, with the same task package: template, structure, overrides.
      async renderScenario(id, request) {
        rendered.push({ id, request });
        const detail = scenarioDetail(id);
        if (detail === undefined) throw new ScenarioNotFound(id);
        const base = { id, hash: detail.hash };
        let text: string;
        try {
          text = renderTemplate(detail.raw, request.args ?? {}, id);
        } catch (error) {
          return { ...base, valid: false, problems: [{ message: describeError(error) }] };
        }
        let task: TaskSpec;
        try {
          task = loadRenderedTask(text, id).task;
        } catch (error) {
          return { ...base, rendered: text, valid: false, problems: [{ message: describeError(error) }] };
        }
        const edited = applyOverrides(task, request.overrides ?? []);
        const problems = checkTaskSpec(edited).map(({ path, message }) => ({ path, message }));
        return { ...base, rendered: text, task: edited, valid: problems.length === 0, problems };
      },
      // As the catalog: an id already in the library (or saved before) is refused, never replaced.
      async createScenario(id, raw) {
        if (scenarioDetail(id) !== undefined || created.some((entry) => entry.id === id)) {
          throw new ServiceError("catalog", 409, "SCENARIO_EXISTS", `Scenario '${id}' already exists`);
        }
        const template = scenarioDetail("dummy/dummy.yaml") as ScenarioDetail;
        created.push({ id, raw });
        return { ...template, id, service: id.split("/")[0] ?? "", raw };
      },
      listEnvironments: async () =>
        options.environments ?? {
          environments: [
            {
              name: "local",
              description: "This machine",
              platform: "generic",
              spec: {},
              secrets: [],
              file: "local.yaml",
            },
          ],
        },
    },
    runner: {
      async startTask(request) {
        started.push(request);
        if (request.scenarioId !== undefined && scenarioDetail(request.scenarioId) === undefined) {
          throw new ServiceError(
            "runner",
            404,
            "SCENARIO_NOT_FOUND",
            new ScenarioNotFound(request.scenarioId).message,
          );
        }
        return { taskId: options.nextTaskId ?? "7a5c0000-1111-4222-8333-444455556666", status: "queued" };
      },
      async validateTask() {},
      async abortTask(taskId, soft) {
        aborted.push({ taskId, soft });
        return { taskId, status: soft ? "soft_aborting" : "aborting" };
      },
      async checkEnvironment(name) {
        checked.push(name);
        const check = options.environmentChecks?.[name];
        if (check === undefined) throw new EnvironmentNotFound(name);
        return check;
      },
    },
    results: {
      listTasks: async (filter = {}) => ({
        tasks: twin.tasks.filter(
          (task) =>
            (filter.status === undefined || task.status === filter.status) &&
            (filter.environment === undefined || task.environment === filter.environment),
        ),
      }),
      async getTask(taskId) {
        const detail = details.get(taskId);
        if (detail === undefined) throw new TaskNotFound(taskId);
        return detail;
      },
      async deleteTask(taskId) {
        deleted.push(taskId);
        details.delete(taskId);
        twin.tasks = twin.tasks.filter((task) => task.id !== taskId);
      },
    },
    reports: {
      async iterations(taskId, workloadId, offset, limit) {
        if (!details.has(taskId)) throw new TaskNotFound(taskId);
        return iterationPage(workloadId, offset, limit);
      },
      async compare(taskIds) {
        compared.push([...taskIds]);
        const found = taskIds.map((id) => details.get(id));
        const missing = taskIds.find((_id, index) => found[index] === undefined);
        if (missing !== undefined) throw new TaskNotFound(missing);
        return compareDetails(found as TaskDetail[]);
      },
      async exportTask(taskId, type, file) {
        const detail = details.get(taskId);
        if (detail === undefined) throw new TaskNotFound(taskId);
        exported.push({ taskId, type, file });
        const body =
          type === "json"
            ? JSON.stringify({ tasks: [{ uuid: detail.id, title: detail.title }] })
            : `${type} ${detail.id}\n`;
        await writeFile(file, body);
        return Buffer.byteLength(body);
      },
    },
    readiness: async () => twin.health,
  };
  return twin;
}

export interface TwinBus extends LiveBus {
  /** Stores the event (as the stream would) and delivers it to the task's followers. */
  emit(event: AnyPaddockEvent): void;
  readonly followed: string[];
  connected: boolean;
}

/** A NATS twin: events are stored per task and replayed to late followers, like JetStream. */
export function twinBus(): TwinBus {
  const stored = new Map<string, AnyPaddockEvent[]>();
  const followers = new Map<string, Set<(event: AnyPaddockEvent) => void>>();
  const followed: string[] = [];
  const bus: TwinBus = {
    followed,
    connected: true,
    emit(event) {
      const list = stored.get(event.taskId) ?? [];
      list.push(event);
      stored.set(event.taskId, list);
      for (const listener of followers.get(event.taskId) ?? []) listener(event);
    },
    async follow(taskId, onEvent): Promise<Following> {
      followed.push(taskId);
      for (const event of stored.get(taskId) ?? []) onEvent(event);
      const set = followers.get(taskId) ?? new Set();
      set.add(onEvent);
      followers.set(taskId, set);
      return {
        async stop() {
          set.delete(onEvent);
        },
      };
    },
    probe: async () => bus.connected,
    async close() {},
  };
  return bus;
}
