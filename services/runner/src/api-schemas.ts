/**
 * HTTP contracts only the runner serves (its shared ones — `StartTaskRequest`,
 * `StartTaskResponse`, `ErrorResponse` — live in `@paddock/shared/api`).
 */
import Type, { type Static } from "typebox";

export const AbortTaskRequest = Type.Object({
  /** Soft: start no new iteration and let running ones end. Default false (hard: interrupt them). */
  soft: Type.Optional(Type.Boolean()),
});
export type AbortTaskRequest = Static<typeof AbortTaskRequest>;

export const TaskIdParams = Type.Object({ id: Type.String({ minLength: 1 }) });

export const ValidateTaskResponse = Type.Object({ valid: Type.Literal(true) });

export const ActiveWorkload = Type.Object({
  workloadId: Type.String(),
  subtaskIndex: Type.Integer(),
  position: Type.Integer(),
  scenario: Type.String(),
  status: Type.Union([Type.Literal("running"), Type.Literal("finished")]),
  /** Iterations the runner will start, null when bounded by time. */
  expected: Type.Union([Type.Integer(), Type.Null()]),
  /** Iterations ended (failed included), as of the last progress report (≈1 s). */
  completed: Type.Integer(),
  failed: Type.Integer(),
  inFlight: Type.Integer(),
});

export const ActiveTask = Type.Object({
  taskId: Type.String(),
  title: Type.String(),
  /** Epoch seconds the run started. */
  startedAt: Type.Number(),
  status: Type.Union([Type.Literal("running"), Type.Literal("soft_aborting"), Type.Literal("aborting")]),
  workloads: Type.Array(ActiveWorkload),
});

/** A share of another runner's distributed workload running here. */
export const ActiveShare = Type.Object({
  taskId: Type.String(),
  workloadId: Type.String(),
  /** 0-based index of the share; the workload is split into `shares`. */
  shareIndex: Type.Integer(),
  shares: Type.Integer(),
  /** The runner running the task and coordinating its shares. */
  coordinatorId: Type.String(),
  completed: Type.Integer(),
  failed: Type.Integer(),
  inFlight: Type.Integer(),
});

export const ActiveTaskList = Type.Object({
  runnerId: Type.String(),
  tasks: Type.Array(ActiveTask),
  /** Shares of distributed workloads this runner holds for other runners' tasks. */
  shares: Type.Optional(Type.Array(ActiveShare)),
});
export type ActiveTaskList = Static<typeof ActiveTaskList>;

export const EnvironmentNameParams = Type.Object({ name: Type.String({ minLength: 1 }) });
