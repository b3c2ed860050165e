/**
 * Ingestion: the durable pull consumer `paddock-results` on `PADDOCK_EVENTS`. Messages are taken
 * in batches (as many as are waiting, up to `batchSize`), validated, and applied in one store
 * transaction; each message is acked only after that transaction committed. Redelivery is
 * harmless: the projection is idempotent.
 *
 * A message that is not a valid event (not JSON, unknown type, bad field, or a task subject that
 * disagrees with its task id) is logged with its stream sequence and parked — stored in the
 * `parked_events` table with the reason and its raw text — then acked: never dropped silently,
 * never blocking what follows. When a batch cannot be written, its messages are retried one by
 * one; one that still fails is redelivered later (nak with back-off) and parked after
 * `maxAttempts` deliveries.
 */
import { AckPolicy, DeliverPolicy, type JsMsg, jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { ensureStreams } from "@paddock/bus";
import { describeError } from "@paddock/shared/errors";
import { decodeEvent, EventInvalid } from "@paddock/shared/event-codec";
import type { AnyPaddockEvent } from "@paddock/shared/events";
import { ALL_TASK_EVENTS, EVENTS_STREAM, RESULTS_CONSUMER, taskIdOf } from "@paddock/shared/subjects";
import type { Logger } from "pino";
import type { ResultStore, StoreTransaction } from "../store/result-store.js";
import { type ApplyOutcome, applyEvent } from "./apply-event.js";

export interface EventConsumerOptions {
  readonly nc: NatsConnection;
  readonly store: ResultStore;
  readonly logger: Logger;
  /** Clock for applied/parked timestamps. */
  readonly now?: () => Date;
  /** Most messages written in one transaction. Default 500. */
  readonly batchSize?: number;
  /** Deliveries of a message that cannot be written before it is parked. Default 5. */
  readonly maxAttempts?: number;
  /**
   * Told about each message once its outcome is committed and acked: its event type (`unknown`
   * when it is not a readable event) and what became of it. Feeds `/metrics`.
   */
  readonly onOutcome?: (type: string, outcome: Outcome) => void;
}

/** Counts since the consumer started. */
export interface ConsumerStats {
  readonly applied: number;
  readonly duplicates: number;
  readonly ignored: number;
  readonly parked: number;
  /** Transactions committed. */
  readonly batches: number;
}

export interface EventConsumer {
  /** Stops taking messages and waits for the batch in flight to be written and acked. */
  stop(): Promise<void>;
  stats(): ConsumerStats;
}

export type Outcome = ApplyOutcome | "parked";

const MS = 1_000_000;
/** JetStream redelivers a message not acked within this; a long write reports progress before. */
const ACK_WAIT_MS = 60_000;
const WORKING_INTERVAL_MS = 15_000;
/** Milliseconds a partial batch waits for more messages before it is written anyway. */
const FLUSH_IDLE_MS = 5;
const decoder = new TextDecoder();

/** A message that passed decoding but cannot be a stored task event. */
function misplaced(message: JsMsg, event: AnyPaddockEvent): string | undefined {
  if (event.type === "RunnerHeartbeat") return "a RunnerHeartbeat does not belong on a task subject";
  const subjectTask = taskIdOf(message.subject);
  if (subjectTask !== event.taskId) {
    return `subject ${message.subject} names task '${subjectTask}' but the event is about task '${event.taskId}'`;
  }
  return undefined;
}

function eventIdOf(message: JsMsg): string | null {
  const header = message.headers?.get("Nats-Msg-Id");
  if (header) return header;
  try {
    const id = (JSON.parse(decoder.decode(message.data)) as { id?: unknown }).id;
    return typeof id === "string" ? id : null;
  } catch {
    return null;
  }
}

/** Makes sure the durable consumer exists with our settings (create, or update what may change). */
async function ensureConsumer(nc: NatsConnection): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const tunable = { ack_wait: ACK_WAIT_MS * MS, max_ack_pending: 20_000 };
  try {
    await jsm.consumers.info(EVENTS_STREAM, RESULTS_CONSUMER);
    await jsm.consumers.update(EVENTS_STREAM, RESULTS_CONSUMER, tunable);
  } catch {
    await jsm.consumers.add(EVENTS_STREAM, {
      durable_name: RESULTS_CONSUMER,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: ALL_TASK_EVENTS,
      ...tunable,
    });
  }
}

/** Most bytes one pull asks the server for. */
const PULL_MAX_BYTES = 16 * 1024 * 1024;

export async function startEventConsumer(options: EventConsumerOptions): Promise<EventConsumer> {
  const { nc, store, logger } = options;
  const now = options.now ?? (() => new Date());
  const batchSize = options.batchSize ?? 500;
  const maxAttempts = options.maxAttempts ?? 5;
  const counts = { applied: 0, duplicates: 0, ignored: 0, parked: 0, batches: 0 };
  /** The event type of each decoded message, for `onOutcome`. */
  const types = new WeakMap<JsMsg, string>();

  await ensureStreams(nc);
  await ensureConsumer(nc);
  const consumer = await jetstream(nc).consumers.get(EVENTS_STREAM, RESULTS_CONSUMER);
  // Bounded by bytes, not count: an IterationsRecorded batch can be hundreds of KB, and a
  // pull asking for more than nats-server buffers for one client (64 MB by default) loses the
  // overflow until ack_wait redelivers it — a full minute's stall mid-task.
  const messages = await consumer.consume({ max_bytes: PULL_MAX_BYTES });

  const park = async (tx: StoreTransaction, message: JsMsg, reason: string): Promise<Outcome> => {
    logger.warn(
      { streamSeq: message.seq, subject: message.subject, eventId: eventIdOf(message), reason },
      `parked message ${message.seq} on ${message.subject}: ${reason}`,
    );
    await tx.park({
      streamSeq: message.seq,
      subject: message.subject,
      eventId: eventIdOf(message),
      reason,
      raw: decoder.decode(message.data),
      parkedAt: now().toISOString(),
    });
    return "parked";
  };

  const handle = async (tx: StoreTransaction, message: JsMsg): Promise<Outcome> => {
    let event: AnyPaddockEvent;
    try {
      event = decodeEvent(message.data);
    } catch (error) {
      if (error instanceof EventInvalid) return park(tx, message, error.message);
      throw error;
    }
    types.set(message, event.type);
    const wrongPlace = misplaced(message, event);
    if (wrongPlace) return park(tx, message, wrongPlace);
    return applyEvent(tx, event, now);
  };

  const count = (outcomes: readonly Outcome[], messages: readonly JsMsg[]) => {
    counts.batches += 1;
    outcomes.forEach((outcome, index) => {
      const message = messages[index];
      options.onOutcome?.((message && types.get(message)) ?? "unknown", outcome);
    });
    for (const outcome of outcomes) {
      if (outcome === "applied") counts.applied += 1;
      else if (outcome === "duplicate") counts.duplicates += 1;
      else if (outcome === "ignored") counts.ignored += 1;
      else counts.parked += 1;
    }
  };

  /** Retries one message of a batch that could not be written as a whole. */
  const processOne = async (message: JsMsg): Promise<void> => {
    try {
      const outcome = await store.write((tx) => handle(tx, message));
      count([outcome], [message]);
      message.ack();
      return;
    } catch (error) {
      const attempts = message.info.deliveryCount;
      if (attempts < maxAttempts) {
        logger.error(
          { err: error, streamSeq: message.seq, attempts },
          `could not write message ${message.seq} (attempt ${attempts} of ${maxAttempts}); it will be redelivered: ${describeError(error)}`,
        );
        message.nak(1000 * attempts);
        return;
      }
      try {
        await store.write((tx) =>
          park(tx, message, `could not be written after ${attempts} attempts: ${describeError(error)}`),
        );
        count(["parked"], [message]);
        message.ack();
      } catch (parkError) {
        logger.error({ err: parkError, streamSeq: message.seq }, `could not park message ${message.seq}`);
        message.nak(1000 * attempts);
      }
    }
  };

  const processBatch = async (batch: readonly JsMsg[]): Promise<void> => {
    // A large workload's statistics can take a while: keep JetStream from redelivering meanwhile.
    const keepAlive = setInterval(() => {
      for (const message of batch) message.working();
    }, WORKING_INTERVAL_MS);
    try {
      await writeBatch(batch);
    } finally {
      clearInterval(keepAlive);
    }
  };

  const writeBatch = async (batch: readonly JsMsg[]): Promise<void> => {
    try {
      const outcomes = await store.write(async (tx) => {
        const results: Outcome[] = [];
        for (const message of batch) results.push(await handle(tx, message));
        return results;
      });
      count(outcomes, batch);
      for (const message of batch) message.ack();
    } catch (error) {
      logger.warn(
        { err: error, size: batch.length },
        `a batch of ${batch.length} messages could not be written; retrying them one by one: ${describeError(error)}`,
      );
      for (const message of batch) await processOne(message);
    }
  };

  const statusWatch = (async () => {
    for await (const status of messages.status()) {
      if (
        status.type === "heartbeats_missed" ||
        status.type === "consumer_not_found" ||
        status.type === "consumer_deleted"
      ) {
        logger.warn({ status }, `event consumer: ${status.type}`);
      }
    }
  })();

  const loop = (async () => {
    let batch: JsMsg[] = [];
    let idle: NodeJS.Timeout | undefined;
    // Batches are written one after the other, in the order they were taken.
    let written: Promise<void> = Promise.resolve();
    const flush = (): Promise<void> => {
      if (idle !== undefined) clearTimeout(idle);
      idle = undefined;
      if (batch.length === 0) return written;
      const taken = batch;
      batch = [];
      written = written.then(() => processBatch(taken));
      return written;
    };
    for await (const message of messages) {
      batch.push(message);
      // `getPending()` says whether more messages are already here. It can count one too many
      // (an internal status entry in the same read), so a batch left waiting is also written
      // once no message has come for FLUSH_IDLE_MS — else the last events of a burst could wait
      // for the next message, however long that takes.
      if (batch.length >= batchSize || messages.getPending() === 0) await flush();
      else idle ??= setTimeout(() => void flush().catch(() => undefined), FLUSH_IDLE_MS);
    }
    await flush();
  })();
  loop.catch((error: unknown) => {
    logger.error({ err: error }, `event consumer stopped: ${describeError(error)}`);
  });

  logger.info({ stream: EVENTS_STREAM, consumer: RESULTS_CONSUMER }, "consuming Paddock events");

  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= (async () => {
        await messages.close();
        await loop.catch(() => undefined);
        await statusWatch.catch(() => undefined);
      })();
      return stopping;
    },
    stats: () => ({ ...counts }),
  };
}
