/**
 * HTTP contracts between the services, the TUI and the CLI. Request bodies are validated where
 * they enter (Fastify, with these schemas); responses are typed from them.
 */
import Type, { type Static } from "typebox";
import { ContextResult, HookResult, IterationRecord, SlaResult, TaskSource } from "./events.js";
import { HookSpec, TaskSpec, TaskStatus, WorkloadSpec } from "./task-model.js";

export const ErrorResponse = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    problems: Type.Optional(
      Type.Array(
        Type.Object({
          path: Type.Optional(Type.String()),
          line: Type.Optional(Type.Integer()),
          message: Type.String(),
        }),
      ),
    ),
  }),
});
export type ErrorResponse = Static<typeof ErrorResponse>;

export const Health = Type.Object({
  status: Type.Union([Type.Literal("ok"), Type.Literal("unavailable")]),
  service: Type.String(),
  /** Each dependency and whether it answers. */
  checks: Type.Optional(Type.Record(Type.String(), Type.Boolean())),
});
export type Health = Static<typeof Health>;

// ---- catalog -------------------------------------------------------------------------------

/** A template argument a scenario declares, with its default when the file gives one. */
export const ScenarioArg = Type.Object({
  name: Type.String(),
  default: Type.Optional(Type.Unknown()),
  required: Type.Boolean(),
});
export type ScenarioArg = Static<typeof ScenarioArg>;

export const ScenarioProblem = Type.Object({
  file: Type.String(),
  line: Type.Optional(Type.Integer()),
  message: Type.String(),
});
export type ScenarioProblem = Static<typeof ScenarioProblem>;

export const ScenarioSummary = Type.Object({
  /** Stable id: the path below the library root, e.g. `dummy/dummy.yaml`. */
  id: Type.String(),
  /** The service folder it belongs to, e.g. `dummy`. */
  service: Type.String(),
  title: Type.String(),
  description: Type.String(),
  tags: Type.Array(Type.String()),
  /** Scenario plugins the task uses, e.g. `["Dummy.dummy"]`. */
  plugins: Type.Array(Type.String()),
  args: Type.Array(ScenarioArg),
  /** sha256 of the file's text. */
  hash: Type.String(),
  /** Set when the file cannot be loaded; the scenario is listed anyway. */
  error: Type.Optional(ScenarioProblem),
});
export type ScenarioSummary = Static<typeof ScenarioSummary>;

export const ServiceGroup = Type.Object({
  service: Type.String(),
  scenarios: Type.Array(ScenarioSummary),
});
export const ScenarioList = Type.Object({ services: Type.Array(ServiceGroup) });
export type ScenarioList = Static<typeof ScenarioList>;

export const ScenarioDetail = Type.Object({
  ...ScenarioSummary.properties,
  /** The file's text. */
  raw: Type.String(),
  /**
   * Only for a file with `{% include %}` statements: its text with each replaced by the included
   * file. Render this (`expanded ?? raw`) where the scenario's folder is not at hand.
   */
  expanded: Type.Optional(Type.String()),
  /** The task rendered with the declared defaults, when that works. */
  parsed: Type.Optional(TaskSpec),
});
export type ScenarioDetail = Static<typeof ScenarioDetail>;

/** Filters of `GET /scenarios`; every one given must match. */
export const ScenarioQuery = Type.Object({
  /** Only this service folder. */
  service: Type.Optional(Type.String()),
  /** Case-insensitive text found in the id, title, description, tags or plugins. */
  q: Type.Optional(Type.String()),
  /** Only scenarios with this tag. */
  tag: Type.Optional(Type.String()),
});
export type ScenarioQuery = Static<typeof ScenarioQuery>;

/** A service folder of the library and how many scenarios it holds. */
export const ServiceSummary = Type.Object({
  service: Type.String(),
  scenarios: Type.Integer({ minimum: 0 }),
});
export const ServiceList = Type.Object({ services: Type.Array(ServiceSummary) });
export type ServiceList = Static<typeof ServiceList>;

/** Body of `PUT /scenarios/<id>`: the new text of the scenario file. */
export const SaveScenarioRequest = Type.Object({
  raw: Type.String(),
  /** sha256 of the text the edit started from; a file changed since is a 409 conflict. */
  baseHash: Type.Optional(Type.String()),
});
export type SaveScenarioRequest = Static<typeof SaveScenarioRequest>;

/** One problem of an environment file: the file, the field (`spec.admin.password`) and what. */
export const EnvironmentProblem = Type.Object({
  file: Type.String(),
  field: Type.String(),
  line: Type.Optional(Type.Integer()),
  message: Type.String(),
});
export type EnvironmentProblem = Static<typeof EnvironmentProblem>;

/**
 * An environment (`environments/<name>.yaml`): what tasks run against. `${VAR}` references in
 * `spec` are returned as written; only the runner resolves them, and never publishes the values.
 */
export const EnvironmentDefinition = Type.Object({
  /** The file's base name, e.g. `local`. */
  name: Type.String(),
  description: Type.String(),
  /** The kind of target: `generic` (nothing to log in to), `openstack`, `http`, ... */
  platform: Type.String(),
  /** The platform's settings (OpenStack `auth_url` and users, an HTTP `base_url`, ...). */
  spec: Type.Record(Type.String(), Type.Unknown()),
  /** Names of the environment variables the `${VAR}` references in `spec` need, sorted. */
  secrets: Type.Array(Type.String()),
  /** The file, relative to the environments folder. */
  file: Type.String(),
  /** Set when the file cannot be read as an environment; it is listed anyway. */
  error: Type.Optional(ScenarioProblem),
  /** Each problem with the field it is about, when there are any (`error` sums them up). */
  problems: Type.Optional(Type.Array(EnvironmentProblem)),
});
export type EnvironmentDefinition = Static<typeof EnvironmentDefinition>;

export const EnvironmentList = Type.Object({ environments: Type.Array(EnvironmentDefinition) });
export type EnvironmentList = Static<typeof EnvironmentList>;

/** Body of `POST /scenarios`: a new scenario file at `id` (`<service>/…/<name>.yaml`). */
export const CreateScenarioRequest = Type.Object({
  id: Type.String({ minLength: 1 }),
  raw: Type.String(),
});
export type CreateScenarioRequest = Static<typeof CreateScenarioRequest>;

const JsonObject = Type.Record(Type.String(), Type.Unknown());

/**
 * Which workload an override edits: `"*"` for every workload, or one by its subtask's index and
 * its position in that subtask (both 0-based, as in `WorkloadView`).
 */
export const WorkloadAddress = Type.Union([
  Type.Literal("*"),
  Type.Object({
    subtaskIndex: Type.Integer({ minimum: 0 }),
    position: Type.Integer({ minimum: 0 }),
  }),
]);
export type WorkloadAddress = Static<typeof WorkloadAddress>;

/**
 * One edit of a workload made before a start (the edit-before-start form). Fields left out keep
 * the scenario's value.
 *
 * - `runner`: replaces the runner (type and options) as a whole.
 * - `contexts`: by default merged by context name: a named context replaces that context's whole
 *   configuration, `null` removes it, others stay. `contextsMode: "replace"` replaces the whole
 *   block instead (`{}` removes every context). A context preset (`GET /contexts/<name>`) is
 *   applied by sending its `contexts` here.
 * - `sla`: merged by criterion name like `contexts` (a criterion set to `null` is removed).
 * - `hooks`: replaces the list of hooks.
 * - `args`: the scenario plugin's arguments, merged key by key (top level only).
 */
export const WorkloadOverride = Type.Object({
  workload: WorkloadAddress,
  runner: Type.Optional(Type.Object({ type: Type.String({ minLength: 1 }), config: JsonObject })),
  contexts: Type.Optional(JsonObject),
  contextsMode: Type.Optional(Type.Union([Type.Literal("merge"), Type.Literal("replace")])),
  sla: Type.Optional(JsonObject),
  hooks: Type.Optional(Type.Array(HookSpec)),
  args: Type.Optional(JsonObject),
});
export type WorkloadOverride = Static<typeof WorkloadOverride>;

/** Edits applied in order to a rendered task; a later edit of the same field wins. */
export const WorkloadOverrides = Type.Array(WorkloadOverride);
export type WorkloadOverrides = Static<typeof WorkloadOverrides>;

/** Body of `POST /scenarios/<id>/render`. */
export const RenderScenarioRequest = Type.Object({
  /** Template arguments; the scenario's declared defaults fill the rest. */
  args: Type.Optional(JsonObject),
  overrides: Type.Optional(WorkloadOverrides),
});
export type RenderScenarioRequest = Static<typeof RenderScenarioRequest>;

/** A problem found while rendering or checking a task: where (`path`, `line`) and what. */
export const TaskProblem = Type.Object({
  path: Type.Optional(Type.String()),
  line: Type.Optional(Type.Integer()),
  message: Type.String(),
});
export type TaskProblem = Static<typeof TaskProblem>;

/** Answer of `POST /scenarios/<id>/render`: what would be started, without starting anything. */
export const RenderScenarioResponse = Type.Object({
  id: Type.String(),
  /** sha256 of the scenario file the preview was made from. */
  hash: Type.String(),
  /** The template output (before overrides), when rendering worked. */
  rendered: Type.Optional(Type.String()),
  /** The task with the overrides applied, when it could be read. */
  task: Type.Optional(TaskSpec),
  /** Whether the task is structurally valid (plugin arguments are checked by the runner). */
  valid: Type.Boolean(),
  problems: Type.Array(TaskProblem),
});
export type RenderScenarioResponse = Static<typeof RenderScenarioResponse>;

/**
 * A context preset (`<contexts folder>/<name>.yaml`): a reusable block of contexts a user attaches
 * to a scenario at start time through a `WorkloadOverride`'s `contexts`.
 */
export const ContextPreset = Type.Object({
  /** The file's base name, e.g. `dummy-context-ok`. */
  name: Type.String(),
  description: Type.String(),
  /** Context name → its configuration, as in a workload's `contexts`. */
  contexts: JsonObject,
  /** The file, relative to the contexts folder. */
  file: Type.String(),
  /** Set when the file cannot be read as a preset; it is listed anyway. */
  error: Type.Optional(ScenarioProblem),
});
export type ContextPreset = Static<typeof ContextPreset>;

export const ContextPresetList = Type.Object({ presets: Type.Array(ContextPreset) });
export type ContextPresetList = Static<typeof ContextPresetList>;

/**
 * A secret reference, `${VAR}`: the name of an environment variable only the runner reads.
 * Environment files write every password, token and key this way.
 */
export const SecretReference = Type.String({ pattern: "^\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}$" });

/** OpenStack credentials: a user and the project (tenant) it works in. */
export const OpenStackCredentials = Type.Object(
  {
    username: Type.String({ minLength: 1 }),
    /** Always a `${VAR}` reference. */
    password: SecretReference,
    user_domain_name: Type.Optional(Type.String()),
    project_name: Type.Optional(Type.String()),
    project_domain_name: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type OpenStackCredentials = Static<typeof OpenStackCredentials>;

/** `spec` of an environment with `platform: openstack` (Rally's `existing@openstack`). */
export const OpenStackPlatformSpec = Type.Object(
  {
    /** Keystone's URL, e.g. `http://10.0.0.5/identity`. */
    auth_url: Type.String({ pattern: "^https?://" }),
    region_name: Type.Optional(Type.String()),
    /** Endpoint interface to use from the catalog. */
    interface: Type.Optional(
      Type.Union([Type.Literal("public"), Type.Literal("internal"), Type.Literal("admin")]),
    ),
    /** Rally's older name for `interface`. */
    endpoint_type: Type.Optional(
      Type.Union([Type.Literal("public"), Type.Literal("internal"), Type.Literal("admin")]),
    ),
    /** The admin user (contexts such as `users` create tenants and users with it). */
    admin: Type.Optional(OpenStackCredentials),
    /** Existing users to run as, instead of users created by the `users` context. */
    users: Type.Optional(Type.Array(OpenStackCredentials)),
    /** Skip TLS certificate verification. */
    https_insecure: Type.Optional(Type.Union([Type.Boolean(), SecretReference])),
    /** Path of a CA bundle to verify TLS certificates with. */
    https_cacert: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type OpenStackPlatformSpec = Static<typeof OpenStackPlatformSpec>;

/** `spec` of an environment with `platform: http`: a web service. */
export const HttpPlatformSpec = Type.Object(
  {
    /** URL relative request paths are resolved against, e.g. `https://api.example.com/v1`. */
    base_url: Type.String({ pattern: "^https?://" }),
    /** Headers sent with every request; credentials in them are `${VAR}` references. */
    headers: Type.Optional(Type.Record(Type.String(), Type.String())),
  },
  { additionalProperties: false },
);
export type HttpPlatformSpec = Static<typeof HttpPlatformSpec>;

/** The state of one platform of an environment (`POST /environments/<name>/check`, like `rally env check`). */
export const PlatformCheck = Type.Object({
  /** `generic`, `http`, `openstack`, ... */
  platform: Type.String(),
  available: Type.Boolean(),
  /** One human sentence: what was checked and what came back. */
  message: Type.String(),
  /** Figures behind the message (status code, latency in ms, request id, service catalog...). */
  details: Type.Record(Type.String(), Type.Unknown()),
});
export type PlatformCheck = Static<typeof PlatformCheck>;

/** Answer of the runner's `POST /environments/<name>/check`. */
export const EnvironmentCheck = Type.Object({
  environment: Type.String(),
  /** True when every platform is available. */
  available: Type.Boolean(),
  platforms: Type.Array(PlatformCheck),
});
export type EnvironmentCheck = Static<typeof EnvironmentCheck>;

/** Body of the runner's `POST /environments/<name>/sweep`. */
export const EnvironmentSweepRequest = Type.Object(
  {
    /** List what would be deleted, delete nothing. */
    dryRun: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type EnvironmentSweepRequest = Static<typeof EnvironmentSweepRequest>;

/** A cloud resource a sweep found by its name (Paddock's prefix). */
export const SweptResource = Type.Object({
  /** `keystone` or `glance` (Rally's cleanup resource names). */
  service: Type.String(),
  /** `image`, `user`, `project`, `role` or `service`. */
  kind: Type.String(),
  name: Type.String(),
  id: Type.String(),
  /** True once deleted (or found already gone); false on a dry run or when the delete failed. */
  removed: Type.Boolean(),
});
export type SweptResource = Static<typeof SweptResource>;

/**
 * Answer of the runner's `POST /environments/<name>/sweep`: the resources named with Paddock's
 * prefix (`paddock_`) that runs left behind (a runner that died mid-task cannot clean up).
 */
export const EnvironmentSweep = Type.Object({
  environment: Type.String(),
  dryRun: Type.Boolean(),
  /** The name prefix swept, e.g. `paddock_`. */
  prefix: Type.String(),
  resources: Type.Array(SweptResource),
  /** What could not be listed or deleted, one readable line each. */
  problems: Type.Array(Type.String()),
});
export type EnvironmentSweep = Static<typeof EnvironmentSweep>;

// ---- runner --------------------------------------------------------------------------------

/**
 * Across how many runner replicas a workload's load is split: a number (1 = not split; fewer are
 * used when fewer are idle), or `all` for every idle replica alive by its heartbeats.
 */
export const Distribute = Type.Union([Type.Integer({ minimum: 1 }), Type.Literal("all")]);
export type Distribute = Static<typeof Distribute>;

export const StartTaskRequest = Type.Object({
  /** A catalog scenario id; the runner fetches its text from the catalog. */
  scenarioId: Type.Optional(Type.String({ minLength: 1 })),
  /** Or the task file text itself (JSON or YAML, a Jinja2 template). */
  task: Type.Optional(Type.String({ minLength: 1 })),
  /** Name of the file `task` was read from, for error messages. */
  path: Type.Optional(Type.String()),
  /** Template arguments. */
  args: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  /** Environment to run against (default `local`). */
  environment: Type.Optional(Type.String({ minLength: 1 })),
  tags: Type.Optional(Type.Array(Type.String())),
  /** Stop the task as soon as an SLA criterion fails during the load (Rally's `--abort-on-sla-failure`). Default false. */
  abortOnSlaFailure: Type.Optional(Type.Boolean()),
  /**
   * Edits applied to the rendered task before it is validated and run (edit before start): the
   * task stored and shown is the one with the overrides applied.
   */
  overrides: Type.Optional(WorkloadOverrides),
  /**
   * Split each workload's load across runner replicas: a number of replicas, or `all` (every idle
   * replica alive by its heartbeats). A workload's own `runner: {type: {distribute: ...}}` wins.
   * Default: each workload runs on one runner.
   */
  distribute: Type.Optional(Distribute),
});
export type StartTaskRequest = Static<typeof StartTaskRequest>;

export const StartTaskResponse = Type.Object({
  taskId: Type.String(),
  status: TaskStatus,
});
export type StartTaskResponse = Static<typeof StartTaskResponse>;

// ---- results -------------------------------------------------------------------------------

/** One row of Rally's statistics table: values in seconds rounded to 3 decimals, or "n/a". */
export const StatsRow = Type.Object({
  iteration_count: Type.Integer(),
  min: Type.Union([Type.Number(), Type.Literal("n/a")]),
  median: Type.Union([Type.Number(), Type.Literal("n/a")]),
  "90%ile": Type.Union([Type.Number(), Type.Literal("n/a")]),
  "95%ile": Type.Union([Type.Number(), Type.Literal("n/a")]),
  max: Type.Union([Type.Number(), Type.Literal("n/a")]),
  avg: Type.Union([Type.Number(), Type.Literal("n/a")]),
  /** e.g. "100.0%". */
  success: Type.String(),
});
export type StatsRow = Static<typeof StatsRow>;

export interface StatsNode {
  name: string;
  display_name: string;
  count_per_iteration: number;
  data: StatsRow;
  children: StatsNode[];
}
export const StatsNode = Type.Cyclic(
  {
    StatsNode: Type.Object({
      name: Type.String(),
      display_name: Type.String(),
      count_per_iteration: Type.Number(),
      data: StatsRow,
      children: Type.Array(Type.Ref("StatsNode")),
    }),
  },
  "StatsNode",
);

/** Rally's `statistics.durations`. */
export const WorkloadStatistics = Type.Object({
  durations: Type.Object({ total: StatsNode, atomics: Type.Array(StatsNode) }),
});
export type WorkloadStatistics = { durations: { total: StatsNode; atomics: StatsNode[] } };

export const WorkloadView = Type.Object({
  id: Type.String(),
  subtaskIndex: Type.Integer(),
  position: Type.Integer(),
  subtaskTitle: Type.String(),
  spec: WorkloadSpec,
  status: Type.Union([Type.Literal("running"), Type.Literal("finished")]),
  startTime: Type.Union([Type.Number(), Type.Null()]),
  loadDuration: Type.Number(),
  fullDuration: Type.Number(),
  totalIterationCount: Type.Integer(),
  failedIterationCount: Type.Integer(),
  /** Iterations stored so far. */
  storedIterationCount: Type.Integer(),
  minDuration: Type.Union([Type.Number(), Type.Null()]),
  maxDuration: Type.Union([Type.Number(), Type.Null()]),
  passSla: Type.Boolean(),
  slaResults: Type.Array(SlaResult),
  contextsResults: Type.Array(ContextResult),
  hookResults: Type.Array(Type.Object({ hookIndex: Type.Integer(), result: HookResult })),
  /** Null until the workload has finished and all its iterations are stored. */
  statistics: Type.Union([WorkloadStatistics, Type.Null()]),
});
export type WorkloadView = Static<typeof WorkloadView>;

export const TaskSummary = Type.Object({
  id: Type.String(),
  title: Type.String(),
  description: Type.String(),
  status: TaskStatus,
  tags: Type.Array(Type.String()),
  environment: Type.String(),
  /** Scenario plugins the task runs. */
  scenarios: Type.Array(Type.String()),
  source: TaskSource,
  createdAt: Type.String(),
  updatedAt: Type.String(),
  passSla: Type.Boolean(),
  /** Seconds from start to end, null while running. */
  duration: Type.Union([Type.Number(), Type.Null()]),
  iterations: Type.Integer(),
  failedIterations: Type.Integer(),
});
export type TaskSummary = Static<typeof TaskSummary>;

export const TaskList = Type.Object({
  tasks: Type.Array(TaskSummary),
  /** Pass as `cursor` to get the next page; absent on the last page. */
  nextCursor: Type.Optional(Type.String()),
});
export type TaskList = Static<typeof TaskList>;

export const TaskDetail = Type.Object({
  ...TaskSummary.properties,
  input: Type.String(),
  args: Type.Record(Type.String(), Type.Unknown()),
  task: TaskSpec,
  /** Why the task failed or was aborted, when it did. */
  reason: Type.Optional(Type.String()),
  workloads: Type.Array(WorkloadView),
});
export type TaskDetail = Static<typeof TaskDetail>;

/** One page of a workload's stored iterations, ordered by `seq`. */
export const IterationPage = Type.Object({
  workloadId: Type.String(),
  /** Position of the page's first iteration among the stored ones (0-based). */
  offset: Type.Integer({ minimum: 0 }),
  /** Page size asked for. */
  limit: Type.Integer({ minimum: 1 }),
  /** Iterations stored for the workload so far. */
  total: Type.Integer({ minimum: 0 }),
  iterations: Type.Array(IterationRecord),
});
export type IterationPage = Static<typeof IterationPage>;

// ---- results: exports, import, SLA check, compare, trends -----------------------------------

/**
 * Formats of `GET /tasks/:id/export?type=`: Rally's report 1.2, old results, JUnit XML, CSV rows,
 * and a self-contained HTML report.
 */
export const ExportType = Type.Union([
  Type.Literal("json"),
  Type.Literal("old-json-results"),
  Type.Literal("junit-xml"),
  Type.Literal("csv"),
  Type.Literal("html"),
]);
export type ExportType = Static<typeof ExportType>;

/** Answer of `POST /tasks/import`: the tasks created from the file. */
export const ImportResponse = Type.Object({
  /** `rally-report` (report format 1.2) or `old-json-results`. */
  format: Type.String(),
  tasks: Type.Array(
    Type.Object({
      id: Type.String(),
      title: Type.String(),
      workloads: Type.Integer({ minimum: 0 }),
      iterations: Type.Integer({ minimum: 0 }),
    }),
  ),
});
export type ImportResponse = Static<typeof ImportResponse>;

/** One SLA verdict as `rally task sla-check --json` prints it. */
export const SlaCheckEntry = Type.Object({
  criterion: Type.String(),
  detail: Type.String(),
  status: Type.Union([Type.Literal("PASS"), Type.Literal("FAIL")]),
  /** Scenario plugin name, e.g. `Dummy.dummy`. */
  benchmark: Type.String(),
  /** The workload's position in its subtask. */
  pos: Type.Integer({ minimum: 0 }),
});
export type SlaCheckEntry = Static<typeof SlaCheckEntry>;

/** Answer of `GET /tasks/:id/sla`. */
export const SlaCheck = Type.Object({
  taskId: Type.String(),
  passed: Type.Boolean(),
  results: Type.Array(SlaCheckEntry),
});
export type SlaCheck = Static<typeof SlaCheck>;

/** A statistic of several tasks side by side; values in seconds (or percent for `success`). */
export const ComparedMetric = Type.Object({
  /** Row of Rally's table: `total`, `duration`, `idle_duration` or an atomic's display name. */
  row: Type.String(),
  /** `min`, `median`, `90%ile`, `95%ile`, `max`, `avg` or `success`. */
  statistic: Type.String(),
  /** One per compared task, in the order asked; null where that task has no such value. */
  values: Type.Array(Type.Union([Type.Number(), Type.Null()])),
  /** One per task after the first: the change from the first task. */
  deltas: Type.Array(
    Type.Object({
      absolute: Type.Union([Type.Number(), Type.Null()]),
      /** Percent of the first task's value; null when it is 0 or missing. */
      percent: Type.Union([Type.Number(), Type.Null()]),
      /** `better`, `worse` or `same` (lower durations and a higher success rate are better). */
      verdict: Type.Union([
        Type.Literal("better"),
        Type.Literal("worse"),
        Type.Literal("same"),
        Type.Literal("unknown"),
      ]),
    }),
  ),
});
export type ComparedMetric = Static<typeof ComparedMetric>;

/** A setting that differs between compared workloads: where in the spec, and each task's value. */
export const ConfigDifference = Type.Object({
  /** e.g. `args.sleep`, `runner.config.concurrency`, `contexts.users`, `sla.failure_rate`. */
  path: Type.String(),
  /** One per compared task (undefined settings are null). */
  values: Type.Array(Type.Unknown()),
});
export type ConfigDifference = Static<typeof ConfigDifference>;

export const ComparedWorkload = Type.Object({
  subtaskIndex: Type.Integer(),
  position: Type.Integer(),
  scenario: Type.String(),
  /** The matched workload of each task, null where a task has none. */
  workloadIds: Type.Array(Type.Union([Type.String(), Type.Null()])),
  metrics: Type.Array(ComparedMetric),
  configDifferences: Type.Array(ConfigDifference),
});
export type ComparedWorkload = Static<typeof ComparedWorkload>;

/** Answer of `GET /compare?tasks=a,b[,c]`: the first task is the baseline. */
export const TaskComparison = Type.Object({
  tasks: Type.Array(
    Type.Object({ id: Type.String(), title: Type.String(), createdAt: Type.String(), status: TaskStatus }),
  ),
  workloads: Type.Array(ComparedWorkload),
  /** Human warnings, e.g. that configurations differ, so deltas may not mean what they seem. */
  warnings: Type.Array(Type.String()),
});
export type TaskComparison = Static<typeof TaskComparison>;

/** Figures of one statistics row at one point of a trend, seconds; null when "n/a". */
export const TrendFigures = Type.Object({
  median: Type.Union([Type.Number(), Type.Null()]),
  p90: Type.Union([Type.Number(), Type.Null()]),
  p95: Type.Union([Type.Number(), Type.Null()]),
  max: Type.Union([Type.Number(), Type.Null()]),
  avg: Type.Union([Type.Number(), Type.Null()]),
  /** Percent of iterations that succeeded. */
  successRate: Type.Number(),
});
export type TrendFigures = Static<typeof TrendFigures>;

export const TrendPoint = Type.Object({
  taskId: Type.String(),
  workloadId: Type.String(),
  /** When the task was created (ISO-8601). */
  createdAt: Type.String(),
  status: TaskStatus,
  iterations: Type.Integer({ minimum: 0 }),
  total: TrendFigures,
  /** Atomic action display name → its figures. */
  atomics: Type.Record(Type.String(), TrendFigures),
});
export type TrendPoint = Static<typeof TrendPoint>;

/** Answer of `GET /trends?scenario=Name`: that scenario's finished workloads, oldest first. */
export const Trend = Type.Object({
  scenario: Type.String(),
  points: Type.Array(TrendPoint),
});
export type Trend = Static<typeof Trend>;
