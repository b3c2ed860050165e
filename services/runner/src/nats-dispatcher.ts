/**
 * The durable task queue every runner replica shares, and aborts that find a task wherever it is.
 *
 * - `enqueue` publishes the submission on `paddock.submit.task` (stream `PADDOCK_TASKS`, a work
 *   queue) with the task id as message id.
 * - Each runner pulls from the shared durable consumer `paddock-runners` only while it runs fewer
 *   than `maxTasks` tasks, so a task waits in the stream (status `queued`) until a runner is free.
 * - A pulled task is *claimed* by publishing its `TaskStarted` with JetStream's
 *   expected-last-subject-sequence set to its `TaskQueued`: the claim and an abort of the queued
 *   task are compare-and-set on the task's lifecycle subject, so exactly one of them wins. The
 *   message is acked right after the claim (or after finding the task already aborted/started).
 * - Abort: the runner holding the task answers a request on `paddock.control.task.<id>.abort`;
 *   with no answer in `abortTimeoutMs`, a task whose last lifecycle event is `TaskQueued` is
 *   aborted in the queue by publishing `TaskAborted` (same compare-and-set); anything else is
 *   not held by anyone (404).
 */
import {
  AckPolicy,
  type ConsumerMessages,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  jetstream,
  jetstreamManager,
} from "@nats-io/jetstream";
import type { NatsConnection, Subscription } from "@nats-io/transport-node";
import { describeError } from "@paddock/shared/errors";
import { createEvent, decodeEvent, encodeEvent } from "@paddock/shared/event-codec";
import type { PaddockEvent } from "@paddock/shared/events";
import {
  ALL_TASK_ABORTS,
  EVENTS_STREAM,
  RUNNERS_CONSUMER,
  SUBMITTED_TASKS,
  subjects,
  TASKS_STREAM,
} from "@paddock/shared/subjects";
import Compile from "typebox/compile";
import {
  type AbortAnswer,
  abortAnswerOf,
  type DispatcherFactory,
  type DispatchRuntime,
  runOptionsOf,
  type TaskDispatcher,
  TaskSubmission,
} from "./task-dispatcher.js";
import type { AbortMode } from "./task-executor.js";

export interface NatsDispatcherOptions {
  /** Tasks this runner runs at once (`PADDOCK_RUNNER_MAX_TASKS`). Default 1. */
  readonly maxTasks?: number;
  /** Milliseconds an abort waits for the runner holding the task to answer. Default 1000. */
  readonly abortTimeoutMs?: number;
  /** Milliseconds one pull request waits for a task before it is renewed. Default 2000. */
  readonly pullExpiresMs?: number;
  /**
   * Milliseconds before a pulled but unacknowledged submission is delivered to another runner
   * (the runner died between pull and claim). Default 30000.
   */
  readonly ackWaitMs?: number;
}

const NS_PER_MS = 1_000_000;
const checkSubmission = Compile(TaskSubmission);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

interface AbortRequest {
  readonly soft?: boolean;
}

/** A task this runner pulled and is claiming or running; an abort before the run starts waits here. */
interface Held {
  abortMode: AbortMode | undefined;
}

/** The durable consumer the runners share; created by whichever runner comes first. */
async function ensureRunnersConsumer(jsm: JetStreamManager, ackWaitMs: number): Promise<void> {
  try {
    await jsm.consumers.info(TASKS_STREAM, RUNNERS_CONSUMER);
    return;
  } catch {
    // Not there yet: create it below.
  }
  try {
    await jsm.consumers.add(TASKS_STREAM, {
      durable_name: RUNNERS_CONSUMER,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: ackWaitMs * NS_PER_MS,
      filter_subject: SUBMITTED_TASKS,
    });
  } catch (error) {
    // Another runner may have created it at the same moment.
    await jsm.consumers.info(TASKS_STREAM, RUNNERS_CONSUMER).catch(() => {
      throw error;
    });
  }
}

function isWrongLastSequence(error: unknown): boolean {
  return (
    error instanceof JetStreamApiError &&
    (error.code === JetStreamApiCodes.StreamWrongLastSequence ||
      error.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown)
  );
}

/** `createNatsDispatcher(nc, options)` is the factory `buildApp` takes as `dispatch`. */
export function createNatsDispatcher(
  nc: NatsConnection,
  options: NatsDispatcherOptions = {},
): DispatcherFactory {
  return async (runtime) => {
    const dispatcher = new NatsDispatcher(nc, jetstream(nc), await jetstreamManager(nc), runtime, options);
    await dispatcher.start();
    return dispatcher;
  };
}

class NatsDispatcher implements TaskDispatcher {
  private readonly held = new Map<string, Held>();
  private readonly maxTasks: number;
  private closing = false;
  private control: Subscription | undefined;
  private pulling: Promise<void> | undefined;
  private batch: ConsumerMessages | undefined;
  private freed: (() => void) | undefined;
  private readonly claims = new Set<Promise<void>>();

  constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly runtime: DispatchRuntime,
    private readonly options: NatsDispatcherOptions,
  ) {
    this.maxTasks = options.maxTasks ?? 1;
  }

  async start(): Promise<void> {
    await ensureRunnersConsumer(this.jsm, this.options.ackWaitMs ?? 30_000);
    this.control = this.nc.subscribe(ALL_TASK_ABORTS, {
      callback: (error, msg) => {
        if (error) return;
        const taskId = msg.subject.split(".")[3] ?? "";
        let request: AbortRequest = {};
        try {
          request = msg.data.length > 0 ? (JSON.parse(decoder.decode(msg.data)) as AbortRequest) : {};
        } catch {
          request = {};
        }
        const answer = this.abortHere(taskId, request.soft === true ? "soft" : "hard");
        if (answer !== undefined) msg.respond(encoder.encode(JSON.stringify({ status: answer })));
      },
    });
    this.pulling = this.pull();
  }

  async enqueue(submission: TaskSubmission): Promise<void> {
    await this.js.publish(SUBMITTED_TASKS, encoder.encode(JSON.stringify(submission)), {
      msgID: submission.taskId,
      timeout: 10_000,
    });
  }

  async abort(taskId: string, mode: AbortMode): Promise<AbortAnswer | undefined> {
    const here = this.abortHere(taskId, mode);
    if (here !== undefined) return here;
    // A claim racing with the abort makes the compare-and-set fail: then the claimer answers.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const elsewhere = await this.askHolder(taskId, mode);
      if (elsewhere !== undefined) return elsewhere;
      const last = await this.lastLifecycle(taskId);
      if (last?.event.type !== "TaskQueued") return undefined;
      const aborted = createEvent(
        "TaskAborted",
        taskId,
        { mode, reason: "Aborted on request while queued: it never started." },
        this.runtime.now,
      );
      try {
        await this.publishAfter(aborted, last.seq);
        this.runtime.logger.info({ taskId }, `task ${taskId} aborted while queued`);
        return "aborted";
      } catch (error) {
        if (!isWrongLastSequence(error)) throw error;
      }
    }
    return undefined;
  }

  async close(): Promise<void> {
    this.closing = true;
    this.freed?.();
    await this.batch?.close();
    await this.pulling;
    await Promise.allSettled([...this.claims]);
    this.control?.unsubscribe();
  }

  private abortHere(taskId: string, mode: AbortMode): AbortAnswer | undefined {
    if (this.runtime.supervisor.has(taskId)) {
      this.runtime.supervisor.abort(taskId, mode);
      return abortAnswerOf(mode);
    }
    const held = this.held.get(taskId);
    if (held === undefined) return undefined;
    if (held.abortMode !== "hard") held.abortMode = mode;
    return abortAnswerOf(mode);
  }

  private async askHolder(taskId: string, mode: AbortMode): Promise<AbortAnswer | undefined> {
    try {
      const reply = await this.nc.request(
        subjects.taskAbort(taskId),
        encoder.encode(JSON.stringify({ soft: mode === "soft" })),
        { timeout: this.options.abortTimeoutMs ?? 1000 },
      );
      const { status } = JSON.parse(decoder.decode(reply.data)) as { status: AbortAnswer };
      return status;
    } catch {
      // No runner holds it (timeout or no responders).
      return undefined;
    }
  }

  private async lastLifecycle(taskId: string): Promise<{ event: PaddockEvent; seq: number } | undefined> {
    const stored = await this.jsm.streams.getMessage(EVENTS_STREAM, {
      last_by_subj: subjects.task(taskId, "lifecycle"),
    });
    if (stored === null) return undefined;
    return { event: decodeEvent(stored.data), seq: stored.seq };
  }

  /** Publishes `event` only if the last lifecycle event of its task is still the one at `seq`. */
  private async publishAfter(event: PaddockEvent, seq: number): Promise<void> {
    await this.js.publish(subjects.task(event.taskId, "lifecycle"), encodeEvent(event), {
      msgID: event.id,
      timeout: 10_000,
      expect: { lastSubjectSequence: seq },
    });
  }

  private async pull(): Promise<void> {
    const consumer = await this.js.consumers.get(TASKS_STREAM, RUNNERS_CONSUMER);
    while (!this.closing) {
      if (this.held.size + (this.runtime.sharesRunning?.() ?? 0) >= this.maxTasks) {
        await new Promise<void>((resolve) => {
          this.freed = resolve;
        });
        continue;
      }
      try {
        this.batch = await consumer.fetch({ max_messages: 1, expires: this.options.pullExpiresMs ?? 2000 });
        for await (const msg of this.batch) {
          const claim = this.take(msg).finally(() => this.claims.delete(claim));
          this.claims.add(claim);
        }
      } catch (error) {
        if (this.closing) break;
        this.runtime.logger.warn(`pulling tasks failed: ${describeError(error)}`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  private release(taskId: string): void {
    this.held.delete(taskId);
    this.slotsChanged();
  }

  slotsChanged(): void {
    const freed = this.freed;
    this.freed = undefined;
    freed?.();
  }

  /** Claims and starts one pulled submission, or drops it when it cannot or must not run. */
  private async take(msg: JsMsg): Promise<void> {
    const { logger } = this.runtime;
    let submission: TaskSubmission;
    try {
      const value: unknown = JSON.parse(decoder.decode(msg.data));
      if (!checkSubmission.Check(value)) throw new Error("not a task submission");
      submission = value;
    } catch (error) {
      logger.error(`dropping an unreadable task submission (seq ${msg.seq}): ${describeError(error)}`);
      msg.term();
      return;
    }
    const { taskId } = submission;
    if (this.held.has(taskId) || this.runtime.supervisor.has(taskId)) {
      msg.ack();
      return;
    }
    if (this.held.size + (this.runtime.sharesRunning?.() ?? 0) >= this.maxTasks) {
      // A share of another runner's workload took the slot while this pull was waiting.
      msg.nak(500);
      return;
    }
    const held: Held = { abortMode: undefined };
    this.held.set(taskId, held);
    try {
      const last = await this.lastLifecycle(taskId);
      if (last !== undefined && last.event.type !== "TaskQueued") {
        logger.info({ taskId }, `task ${taskId} is already ${last.event.type}; not starting it`);
        msg.ack();
        this.release(taskId);
        return;
      }
      const preparation = this.runtime.prepare(submission.task);
      if (!preparation.ok) {
        const problems = preparation.problems.map((problem) => `${problem.path}: ${problem.message}`);
        const failed = createEvent(
          "TaskFailed",
          taskId,
          {
            error: [
              "TaskFileInvalid",
              `runner ${this.runtime.runnerId} cannot run this task`,
              problems.join("\n"),
            ],
            validation: true,
          },
          this.runtime.now,
        );
        await this.publishAfter(failed, last?.seq ?? 0).catch(() => undefined);
        msg.ack();
        this.release(taskId);
        return;
      }
      const started = createEvent(
        "TaskStarted",
        taskId,
        { runnerId: this.runtime.runnerId },
        this.runtime.now,
      );
      try {
        await this.publishAfter(started, last?.seq ?? 0);
      } catch (error) {
        if (!isWrongLastSequence(error)) throw error;
        logger.info({ taskId }, `task ${taskId} was aborted before this runner could start it`);
        msg.ack();
        this.release(taskId);
        return;
      }
      msg.ack();
      const done = this.runtime.supervisor.start(taskId, submission.title, preparation.task, {
        ...runOptionsOf(submission),
        startPublished: true,
      });
      if (held.abortMode !== undefined) this.runtime.supervisor.abort(taskId, held.abortMode);
      logger.info({ taskId }, `task ${taskId} started on ${this.runtime.runnerId}`);
      void done.then((outcome) => {
        this.release(taskId);
        logger.info({ taskId, outcome }, `task ${taskId} ended: ${outcome.status}`);
      });
    } catch (error) {
      // Not claimed: offered again (to any runner) a second later.
      logger.error({ taskId }, `task ${taskId} could not be claimed: ${describeError(error)}`);
      msg.nak(1000);
      this.release(taskId);
    }
  }
}
