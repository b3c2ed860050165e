/**
 * The task model every part of Paddock shares: a Rally v2 task after rendering, parsing and
 * conversion from v1, with each single-key Rally object (`scenario: {Name: args}`,
 * `runner: {type: cfg}`) spelled out as `{name/type, args/config}`. `@paddock/tasks` produces it;
 * the runner executes it; results stores it; exporters turn it back into Rally's shapes.
 */
import Type, { type Static } from "typebox";

const Json = Type.Record(Type.String(), Type.Unknown());

/** A hook: an action (e.g. `sys_call`) fired by a trigger (`event` or `periodic`). */
export const HookSpec = Type.Object({
  description: Type.String(),
  action: Type.Object({ name: Type.String(), args: Type.Unknown() }),
  trigger: Type.Object({ name: Type.String(), args: Json }),
});
export type HookSpec = Static<typeof HookSpec>;

/** One workload: a scenario plugin run by a runner inside contexts, judged by SLA criteria. */
export const WorkloadSpec = Type.Object({
  /** Scenario plugin name, e.g. `Dummy.dummy`. */
  scenario: Type.String(),
  /** Arguments passed to the scenario on every iteration. */
  args: Json,
  /** Runner type (`constant`, `constant_for_duration`, `rps`, `serial`) and its options. */
  runner: Type.Object({ type: Type.String(), config: Json }),
  /** Context name → its configuration, set up in order before the load. */
  contexts: Json,
  /** SLA criterion name → its configuration. */
  sla: Json,
  hooks: Type.Array(HookSpec),
  description: Type.String(),
});
export type WorkloadSpec = Static<typeof WorkloadSpec>;

export const SubtaskSpec = Type.Object({
  title: Type.String(),
  description: Type.String(),
  group: Type.Optional(Type.String()),
  tags: Type.Array(Type.String()),
  runInParallel: Type.Boolean(),
  workloads: Type.Array(WorkloadSpec, { minItems: 1 }),
});
export type SubtaskSpec = Static<typeof SubtaskSpec>;

export const TaskSpec = Type.Object({
  title: Type.String({ maxLength: 255 }),
  description: Type.String(),
  tags: Type.Array(Type.String()),
  subtasks: Type.Array(SubtaskSpec),
});
export type TaskSpec = Static<typeof TaskSpec>;

/**
 * Task statuses, Rally's set plus `queued` (waiting for a free runner).
 * `crashed`: the runner stopped heart-beating while the task ran.
 */
export const TaskStatus = Type.Union([
  Type.Literal("init"),
  Type.Literal("queued"),
  Type.Literal("validating"),
  Type.Literal("validated"),
  Type.Literal("validation_failed"),
  Type.Literal("running"),
  Type.Literal("finished"),
  Type.Literal("crashed"),
  Type.Literal("aborting"),
  Type.Literal("soft_aborting"),
  Type.Literal("aborted"),
  Type.Literal("sla_failed"),
  Type.Literal("paused"),
]);
export type TaskStatus = Static<typeof TaskStatus>;

/** Statuses after which nothing about the task changes any more. */
export const FINAL_STATUSES: readonly TaskStatus[] = [
  "finished",
  "crashed",
  "aborted",
  "validation_failed",
  "sla_failed",
];

/** A Rally atomic action as recorded in an iteration; `children` nest. Times are epoch seconds. */
export interface AtomicAction {
  name: string;
  started_at: number;
  finished_at: number | null;
  children: AtomicAction[];
  failed?: boolean;
}
export const AtomicAction = Type.Cyclic(
  {
    AtomicAction: Type.Object({
      name: Type.String(),
      started_at: Type.Number(),
      finished_at: Type.Union([Type.Number(), Type.Null()]),
      children: Type.Array(Type.Ref("AtomicAction")),
      failed: Type.Optional(Type.Boolean()),
    }),
  },
  "AtomicAction",
);

/** `[type, message, traceback]` of an error, as Rally records it. */
export type ErrorTriple = [string, string, string];
/**
 * Written as plain arrays (not draft-07 tuples) so the published JSON Schemas are valid 2020-12.
 */
export const ErrorTriple = Type.Unsafe<ErrorTriple>(Type.Array(Type.String(), { minItems: 3, maxItems: 3 }));

/** Rally's iteration `error`: `[]` on success, else `[type, message, traceback]`. */
export type IterationError = [] | ErrorTriple;
export const IterationError = Type.Unsafe<IterationError>(
  Type.Union([
    Type.Array(Type.String(), { maxItems: 0 }),
    Type.Array(Type.String(), { minItems: 3, maxItems: 3 }),
  ]),
);

/** Rally's scenario `output`: charts added by the scenario (`additive` merge across iterations). */
export const IterationOutput = Type.Object({
  additive: Type.Array(Type.Unknown()),
  complete: Type.Array(Type.Unknown()),
});
export type IterationOutput = Static<typeof IterationOutput>;
