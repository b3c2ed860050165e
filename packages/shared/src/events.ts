/**
 * Paddock's events: the public contract for every subscriber. Each event is a fact (past tense)
 * in one envelope `{ id, type, taskId, occurredAt, data }`. `id` is unique and is also the
 * JetStream message id, so a retried publish is stored once.
 *
 * Units: durations and times inside `data` are seconds (floats) as in Rally; `occurredAt` is an
 * ISO-8601 UTC string. JSON Schema files generated from these live in `docs/events/`.
 */
import Type, { type Static, type TSchema } from "typebox";
import {
  AtomicAction,
  ErrorTriple,
  IterationError,
  IterationOutput,
  TaskSpec,
  WorkloadSpec,
} from "./task-model.js";

/** Where a task came from: a catalog scenario (with the content hash it had), a file, or inline text. */
export const TaskSource = Type.Object({
  kind: Type.Union([Type.Literal("scenario"), Type.Literal("file"), Type.Literal("inline")]),
  /** Catalog scenario id (its path below the library root), when `kind` is `scenario`. */
  scenarioId: Type.Optional(Type.String()),
  /** File name given by the client, when `kind` is `file`. */
  path: Type.Optional(Type.String()),
  /** sha256 of the task file text before rendering. */
  hash: Type.String(),
});
export type TaskSource = Static<typeof TaskSource>;

export const TaskQueuedData = Type.Object({
  title: Type.String(),
  description: Type.String(),
  tags: Type.Array(Type.String()),
  /** Name of the environment the task runs against. */
  environment: Type.String(),
  source: TaskSource,
  /** Template arguments the task was rendered with. */
  args: Type.Record(Type.String(), Type.Unknown()),
  /** The task file text exactly as submitted (before rendering). */
  input: Type.String(),
  /** The task that runs: rendered, parsed, converted to v2. Never contains resolved secrets. */
  task: TaskSpec,
});

export const TaskStartedData = Type.Object({
  /** The runner executing the task. */
  runnerId: Type.String(),
});

export const WorkloadRef = {
  /** Unique id of the workload (uuid). */
  workloadId: Type.String(),
  /** Index of the subtask in the task (0-based). */
  subtaskIndex: Type.Integer({ minimum: 0 }),
  /** Index of the workload in its subtask (0-based); Rally's `position`. */
  position: Type.Integer({ minimum: 0 }),
};

export const WorkloadStartedData = Type.Object({
  ...WorkloadRef,
  subtaskTitle: Type.String(),
  spec: WorkloadSpec,
  /** Iterations the runner will start, or null when bounded by time (`constant_for_duration`). */
  expectedIterations: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
});

/** Context set-up or clean-up outcome, as Rally records it in `contexts_results`. */
export const ContextResult = Type.Object({
  name: Type.String(),
  /** `setup` or `cleanup`. */
  stage: Type.Union([Type.Literal("setup"), Type.Literal("cleanup")]),
  startedAt: Type.Number(),
  finishedAt: Type.Number(),
  /** Empty when it worked; else `[type, message, traceback]`. */
  error: IterationError,
});
export type ContextResult = Static<typeof ContextResult>;

export const ContextSetUpData = Type.Object({ workloadId: Type.String(), result: ContextResult });
export const ContextCleanedUpData = Type.Object({ workloadId: Type.String(), result: ContextResult });

/** One hook execution, Rally's shape. */
export const HookResult = Type.Object({
  status: Type.Union([Type.Literal("success"), Type.Literal("failed"), Type.Literal("validation_failed")]),
  started_at: Type.Number(),
  finished_at: Type.Number(),
  triggered_by: Type.Object({ event_type: Type.String(), value: Type.Number() }),
  output: Type.Optional(IterationOutput),
  error: Type.Optional(Type.Unknown()),
});
export type HookResult = Static<typeof HookResult>;

export const HookExecutedData = Type.Object({
  workloadId: Type.String(),
  /** Index of the hook in the workload's `hooks`. */
  hookIndex: Type.Integer({ minimum: 0 }),
  result: HookResult,
});

/**
 * One iteration: Rally's record plus Paddock's fields. `seq` numbers the iterations of a workload
 * from 0 in the order they started; with `workloadId` it identifies the iteration (idempotent writes).
 */
export const IterationRecord = Type.Object({
  seq: Type.Integer({ minimum: 0 }),
  /** Start, epoch seconds. */
  timestamp: Type.Number(),
  /** Seconds spent working, idle time excluded. */
  duration: Type.Number(),
  /** Seconds spent in `ctx.sleep`. */
  idle_duration: Type.Number(),
  error: IterationError,
  output: IterationOutput,
  atomic_actions: Type.Array(AtomicAction),
  /** Rate-driven runners only: when the iteration should have started, epoch seconds. */
  intended_start: Type.Optional(Type.Number()),
  /** Rate-driven runners only: actual start − intended start, seconds (coordinated omission shown). */
  schedule_lag: Type.Optional(Type.Number()),
  /**
   * Distributed workloads only (their iterations come from several runners): the runner that ran
   * the iteration. Otherwise the `runnerId` of the `IterationsRecorded` batch says it.
   */
  runner_id: Type.Optional(Type.String()),
});
export type IterationRecord = Static<typeof IterationRecord>;

export const IterationsRecordedData = Type.Object({
  workloadId: Type.String(),
  /** The runner that ran every iteration of this batch. */
  runnerId: Type.String(),
  iterations: Type.Array(IterationRecord, { minItems: 1 }),
});

/** One SLA criterion's verdict, Rally's shape. */
export const SlaResult = Type.Object({
  criterion: Type.String(),
  success: Type.Boolean(),
  detail: Type.String(),
});
export type SlaResult = Static<typeof SlaResult>;

/**
 * A mergeable latency histogram (sum the counts of equal indexes to merge two). Scheme
 * `log2x16-us`: a value v in whole microseconds falls in bucket v when v < 32, otherwise in
 * bucket 16·(e + 1) + ((v >> e) − 16) with e = floor(log2 v) − 4; a bucket therefore spans at
 * most 1/16 (6.25 %) of its lower bound. Implemented by `@paddock/shared/histogram`.
 */
export const LatencyHistogram = Type.Object({
  scheme: Type.Literal("log2x16-us"),
  /** `[bucket index, count]` pairs, ascending by index, counts ≥ 1 (empty buckets omitted). */
  buckets: Type.Array(Type.Tuple([Type.Integer({ minimum: 0 }), Type.Integer({ minimum: 1 })])),
});
export type LatencyHistogram = Static<typeof LatencyHistogram>;

/** One atomic action's live figures over the window of a `ProgressReported`. */
export const AtomicProgress = Type.Object({
  /** Rally's atomic name, nested names joined as Rally's report does. */
  name: Type.String(),
  count: Type.Integer({ minimum: 0 }),
  failed: Type.Integer({ minimum: 0 }),
  /** Durations of the window, mergeable. */
  histogram: LatencyHistogram,
});

/** Schedule lag of a rate-driven runner (`rps`) over the window, seconds. */
export const ScheduleLagProgress = Type.Object({
  p50: Type.Number(),
  p99: Type.Number(),
  max: Type.Number(),
  /** Iterations so far that started more than 1 ms after their intended time. */
  late: Type.Integer({ minimum: 0 }),
});

/** A share of a distributed workload: one runner's figures within the merged report. */
export const RunnerShareProgress = Type.Object({
  runnerId: Type.String(),
  completed: Type.Integer({ minimum: 0 }),
  failed: Type.Integer({ minimum: 0 }),
  inFlight: Type.Integer({ minimum: 0 }),
  /** Iterations per second over the window. */
  rate: Type.Number(),
  /** `running`, `finished`, or `lost` when the runner stopped heart-beating mid-share. */
  state: Type.Union([Type.Literal("running"), Type.Literal("finished"), Type.Literal("lost")]),
});

/** Live figures, about once a second per workload. Latencies in seconds over the last window. */
export const ProgressReportedData = Type.Object({
  workloadId: Type.String(),
  runnerId: Type.String(),
  /** Iterations finished so far (all, failed included). */
  completed: Type.Integer({ minimum: 0 }),
  failed: Type.Integer({ minimum: 0 }),
  expected: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  inFlight: Type.Integer({ minimum: 0 }),
  /** Seconds since the load started. */
  elapsed: Type.Number(),
  /** Iterations per second over the last window. */
  rate: Type.Number(),
  latency: Type.Object({
    p50: Type.Number(),
    p90: Type.Number(),
    p95: Type.Number(),
    p99: Type.Number(),
    max: Type.Number(),
  }),
  /** Errors so far by type (first element of the Rally error). */
  errorsByType: Type.Record(Type.String(), Type.Integer()),
  /** Iteration durations over the window, mergeable across runners. */
  histogram: Type.Optional(LatencyHistogram),
  /** Per atomic action over the window. */
  atomics: Type.Optional(Type.Array(AtomicProgress)),
  /** Each SLA criterion's verdict so far (what `WorkloadFinished` would say now). */
  sla: Type.Optional(Type.Array(SlaResult)),
  /** Rate-driven runners only. */
  scheduleLag: Type.Optional(ScheduleLagProgress),
  /** Distributed workloads only: each runner's share (the report's figures are their sum). */
  shares: Type.Optional(Type.Array(RunnerShareProgress)),
});

export const WorkloadFinishedData = Type.Object({
  workloadId: Type.String(),
  /** Epoch seconds of the first iteration's start (null when none ran). */
  startTime: Type.Union([Type.Number(), Type.Null()]),
  /** Last iteration end − first iteration start, seconds. */
  loadDuration: Type.Number(),
  /** Contexts + load, seconds. */
  fullDuration: Type.Number(),
  totalIterationCount: Type.Integer({ minimum: 0 }),
  failedIterationCount: Type.Integer({ minimum: 0 }),
  passSla: Type.Boolean(),
  slaResults: Type.Array(SlaResult),
});

export const TaskFinishedData = Type.Object({
  /** `finished`, or `sla_failed`... Rally keeps `finished` and sets pass_sla false; so does Paddock. */
  status: Type.Literal("finished"),
  passSla: Type.Boolean(),
});

export const TaskAbortedData = Type.Object({
  /** `soft` lets running iterations end; `hard` interrupts them; `sla` follows abort_on_sla_failure. */
  mode: Type.Union([Type.Literal("soft"), Type.Literal("hard"), Type.Literal("sla")]),
  reason: Type.String(),
});

export const TaskFailedData = Type.Object({
  /** `[type, message, traceback]` of what went wrong. */
  error: ErrorTriple,
  /** True when the task never ran (validation failed). */
  validation: Type.Boolean(),
});

export const RunnerHeartbeatData = Type.Object({
  runnerId: Type.String(),
  /** Tasks this runner executes right now. */
  tasks: Type.Array(Type.String()),
  /** Seconds until a runner that sent nothing more counts as dead. */
  ttl: Type.Number(),
  /**
   * Tasks and shares of distributed workloads this runner runs at once at most
   * (`PADDOCK_RUNNER_MAX_TASKS`); it is given no share while `tasks` holds this many.
   */
  capacity: Type.Optional(Type.Integer({ minimum: 1 })),
});

/**
 * A share of a distributed workload was lost: the runner running it stopped heart-beating (or
 * never started it). The rest of the workload goes on; its `WorkloadFinished` counts only the
 * iterations the lost share published and carries a failed `something_went_wrong` criterion.
 */
export const ShareLostData = Type.Object({
  workloadId: Type.String(),
  /** The runner that held the share. */
  runnerId: Type.String(),
  /** The share's index (0-based; share 0 is the coordinating runner's own). */
  shareIndex: Type.Integer({ minimum: 0 }),
  /** How many shares the workload was split into. */
  shares: Type.Integer({ minimum: 1 }),
  /** Iterations of the share published before it was lost (all, failed included). */
  completed: Type.Integer({ minimum: 0 }),
  failed: Type.Integer({ minimum: 0 }),
  /** Why it counts as lost, e.g. `runner r2 sent no heartbeat for 2.1 s (ttl 2 s)`. */
  reason: Type.String(),
});

/** Every event's data schema by type name. */
export const EventData = {
  TaskQueued: TaskQueuedData,
  TaskStarted: TaskStartedData,
  WorkloadStarted: WorkloadStartedData,
  ContextSetUp: ContextSetUpData,
  ContextCleanedUp: ContextCleanedUpData,
  HookExecuted: HookExecutedData,
  IterationsRecorded: IterationsRecordedData,
  ProgressReported: ProgressReportedData,
  WorkloadFinished: WorkloadFinishedData,
  TaskFinished: TaskFinishedData,
  TaskAborted: TaskAbortedData,
  TaskFailed: TaskFailedData,
  RunnerHeartbeat: RunnerHeartbeatData,
  ShareLost: ShareLostData,
} as const satisfies Record<string, TSchema>;

export type EventType = keyof typeof EventData;
export const EVENT_TYPES = Object.keys(EventData) as EventType[];

/** The envelope of one event of type `T`. */
export interface PaddockEvent<T extends EventType = EventType> {
  /** Unique id (uuid); also the JetStream message id. */
  readonly id: string;
  readonly type: T;
  /** The task the event is about; for `RunnerHeartbeat`, the empty string. */
  readonly taskId: string;
  /** ISO-8601 UTC time the fact happened. */
  readonly occurredAt: string;
  readonly data: Static<(typeof EventData)[T]>;
}

export type AnyPaddockEvent = { [T in EventType]: PaddockEvent<T> }[EventType];
export type EventDataOf<T extends EventType> = Static<(typeof EventData)[T]>;

/** The envelope schema of one event type (used for JSON Schema files and validation). */
export function envelopeSchema<T extends EventType>(type: T) {
  return Type.Object(
    {
      id: Type.String({ minLength: 1 }),
      type: Type.Literal(type),
      taskId: Type.String(),
      occurredAt: Type.String({ format: "date-time" }),
      data: EventData[type],
    },
    { $id: `https://paddock.dev/events/${type}.json`, title: type },
  );
}

/** Which subject channel each task event type travels on. */
export const CHANNEL_OF = {
  TaskQueued: "lifecycle",
  TaskStarted: "lifecycle",
  WorkloadStarted: "lifecycle",
  ContextSetUp: "lifecycle",
  ContextCleanedUp: "lifecycle",
  HookExecuted: "lifecycle",
  WorkloadFinished: "lifecycle",
  TaskFinished: "lifecycle",
  TaskAborted: "lifecycle",
  TaskFailed: "lifecycle",
  IterationsRecorded: "iterations",
  ProgressReported: "progress",
  ShareLost: "lifecycle",
} as const satisfies Record<Exclude<EventType, "RunnerHeartbeat">, "lifecycle" | "iterations" | "progress">;
