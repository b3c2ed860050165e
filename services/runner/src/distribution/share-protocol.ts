/**
 * The runner-to-runner protocol of distributed workloads (not part of the public event contract;
 * docs/distribution.md). Messages are JSON, validated where they arrive:
 *
 * - `ShareAssignment` on `paddock.share.assign.<runnerId>` (stream `PADDOCK_SHARES`): the
 *   coordinator hands share k of n of a workload to a runner.
 * - `ShareDecision` on the same subject: once the runner accepted, the coordinator says `go` (run
 *   it) or `revoked` (the coordinator took it over first). A runner starts a share only on `go`,
 *   so a share is never run twice.
 * - `ShareReport` on `paddock.share.report.<taskId>` (same stream): the runner holding a share
 *   says it `accepted` or `refused` it, how it `progress`es about once a second, and that it
 *   `finished` (after its iterations were stored).
 * - `ShareControl` on `paddock.control.share.<taskId>` (core NATS): the coordinator stops the
 *   shares of a task, softly or hard.
 */
import { LatencyHistogram, ScheduleLagProgress } from "@paddock/shared/events";
import { WorkloadSpec } from "@paddock/shared/task-model";
import Type, { type Static, type TSchema } from "typebox";
import Compile from "typebox/compile";
import type { ProgressFigures } from "../progress-window.js";

const ShareRef = {
  /** `<workloadId>.<shareIndex>`. */
  shareId: Type.String({ minLength: 1 }),
  taskId: Type.String({ minLength: 1 }),
  workloadId: Type.String({ minLength: 1 }),
  /** The runner holding the share. */
  runnerId: Type.String({ minLength: 1 }),
  shareIndex: Type.Integer({ minimum: 0 }),
};

export const ShareAssignment = Type.Object({
  ...ShareRef,
  /** How many shares the workload is split into. */
  shareCount: Type.Integer({ minimum: 2 }),
  coordinatorId: Type.String({ minLength: 1 }),
  /** The task's title, for logs and `GET /tasks/active`. */
  title: Type.String(),
  /** The whole workload: the runner validates it with its own plugins and splits it the same way. */
  workload: WorkloadSpec,
  subtaskIndex: Type.Integer({ minimum: 0 }),
  position: Type.Integer({ minimum: 0 }),
  /** The environment's name; the runner resolves its secrets itself. */
  environment: Type.String({ minLength: 1 }),
  /** Epoch milliseconds at which every share starts (schedules count from it). */
  startAt: Type.Number(),
  /** Epoch milliseconds after which the runner must refuse it (the coordinator runs it itself then). */
  acceptBy: Type.Number(),
});
export type ShareAssignment = Static<typeof ShareAssignment>;

/** The coordinator's answer to a runner that accepted a share. */
export const ShareDecision = Type.Object({
  ...ShareRef,
  decision: Type.Union([Type.Literal("go"), Type.Literal("revoked")]),
  /** Why it was revoked. */
  reason: Type.Optional(Type.String()),
});
export type ShareDecision = Static<typeof ShareDecision>;

/** What travels on a runner's assignment subject. */
export const AssignmentMessage = Type.Union([ShareAssignment, ShareDecision]);
export type AssignmentMessage = Static<typeof AssignmentMessage>;

/** One share's figures over its last window (the shape of `ProgressReported`'s, plus the lag histogram). */
export const ShareFigures = Type.Object({
  completed: Type.Integer({ minimum: 0 }),
  failed: Type.Integer({ minimum: 0 }),
  inFlight: Type.Integer({ minimum: 0 }),
  /** Iterations per second over the window. */
  rate: Type.Number(),
  /** Largest duration of the window, seconds. */
  max: Type.Number(),
  errorsByType: Type.Record(Type.String(), Type.Integer()),
  histogram: LatencyHistogram,
  atomics: Type.Array(
    Type.Object({
      name: Type.String(),
      count: Type.Integer({ minimum: 0 }),
      failed: Type.Integer({ minimum: 0 }),
      histogram: LatencyHistogram,
    }),
  ),
  scheduleLag: Type.Optional(ScheduleLagProgress),
  lagHistogram: Type.Optional(LatencyHistogram),
});
export type ShareFigures = Static<typeof ShareFigures>;

export const ShareReport = Type.Union([
  Type.Object({ ...ShareRef, kind: Type.Literal("accepted") }),
  Type.Object({ ...ShareRef, kind: Type.Literal("refused"), reason: Type.String() }),
  Type.Object({ ...ShareRef, kind: Type.Literal("progress"), figures: ShareFigures }),
  Type.Object({
    ...ShareRef,
    kind: Type.Literal("finished"),
    /** Iterations the share ran and published (failed included). */
    completed: Type.Integer({ minimum: 0 }),
    failed: Type.Integer({ minimum: 0 }),
    /** Epoch seconds of its first iteration's start, null when it ran none. */
    firstStart: Type.Union([Type.Number(), Type.Null()]),
    /** Epoch seconds of its last iteration's end. */
    lastEnd: Type.Union([Type.Number(), Type.Null()]),
    /** Set when the share broke (the runner strategy threw, events could not be published). */
    error: Type.Optional(Type.String()),
  }),
]);
export type ShareReport = Static<typeof ShareReport>;
export type ShareReportOf<K extends ShareReport["kind"]> = Extract<ShareReport, { kind: K }>;

export const ShareControl = Type.Object({
  taskId: Type.String({ minLength: 1 }),
  /** `soft`: no new iteration; `hard`: interrupt running ones too. */
  mode: Type.Union([Type.Literal("soft"), Type.Literal("hard")]),
  /** Only this share (e.g. one counted lost); every share of the task when absent. */
  shareId: Type.Optional(Type.String()),
});
export type ShareControl = Static<typeof ShareControl>;

/** A protocol message that does not fit its schema. */
export class ShareMessageInvalid extends Error {
  override name = "ShareMessageInvalid";
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function codec<T>(name: string, schema: TSchema) {
  const validator = Compile(schema);
  return {
    encode: (value: T): Uint8Array => encoder.encode(JSON.stringify(value)),
    decode(bytes: Uint8Array): T {
      let value: unknown;
      try {
        value = JSON.parse(decoder.decode(bytes));
      } catch (error) {
        throw new ShareMessageInvalid(`${name} is not JSON: ${(error as Error).message}`);
      }
      if (!validator.Check(value)) {
        const first = [...validator.Errors(value)][0];
        throw new ShareMessageInvalid(
          `${name} is invalid: ${first ? `${first.instancePath || "/"} ${first.message}` : "does not fit"}`,
        );
      }
      return value as T;
    },
  };
}

export const assignmentCodec = codec<AssignmentMessage>(
  "ShareAssignment or ShareDecision",
  AssignmentMessage,
);
export const reportCodec = codec<ShareReport>("ShareReport", ShareReport);
export const controlCodec = codec<ShareControl>("ShareControl", ShareControl);

export function shareIdOf(workloadId: string, shareIndex: number): string {
  return `${workloadId}.${shareIndex}`;
}

/** A runner's own window of a share, as it reports it (and the coordinator counts its own). */
export function shareFiguresOf(figures: ProgressFigures, inFlight: number): ShareFigures {
  return {
    completed: figures.completed,
    failed: figures.failed,
    inFlight,
    rate: figures.rate,
    max: figures.latency.max,
    errorsByType: figures.errorsByType,
    histogram: figures.histogram,
    atomics: figures.atomics,
    ...(figures.scheduleLag === undefined ? {} : { scheduleLag: figures.scheduleLag }),
    ...(figures.lagHistogram === undefined ? {} : { lagHistogram: figures.lagHistogram }),
  };
}

export function isDecision(message: AssignmentMessage): message is ShareDecision {
  return "decision" in message;
}
