/**
 * The results service's own metrics: events ingested (by type and outcome), parked events, how
 * long store writes take, and the consumer's lag (messages JetStream holds for it that it has
 * not yet taken, sampled at each scrape).
 */
import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type { MetricsRegistry } from "@paddock/http";
import { EVENTS_STREAM, RESULTS_CONSUMER } from "@paddock/shared/subjects";
import type { Outcome } from "./ingestion/event-consumer.js";
import type { ResultStore } from "./store/result-store.js";

/** Store write buckets, in seconds: 1 ms to 60 s (a large workload's statistics). */
const WRITE_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Counts each ingested message; pass as `onOutcome` to `startEventConsumer`. */
export function ingestionCounter(registry: MetricsRegistry): (type: string, outcome: Outcome) => void {
  const ingested = registry.counter<"type" | "outcome">(
    "paddock_results_events_ingested_total",
    "Events taken from PADDOCK_EVENTS and acked, by event type ('unknown' when unreadable) and outcome (applied, duplicate, ignored, parked).",
    ["type", "outcome"],
  );
  const parked = registry.counter<"type">(
    "paddock_results_events_parked_total",
    "Messages parked instead of applied (malformed, misplaced, or unwritable after retries), by event type.",
    ["type"],
  );
  return (type, outcome) => {
    ingested.inc({ type, outcome });
    if (outcome === "parked") parked.inc({ type });
  };
}

/**
 * `store` with each `write` transaction timed (and its failures counted); every other method
 * is the store's own.
 */
export function timeStoreWrites(
  store: ResultStore,
  registry: MetricsRegistry,
  now: () => number = () => performance.now(),
): ResultStore {
  const duration = registry.histogram(
    "paddock_results_store_write_duration_seconds",
    "Time one store write transaction took (a batch of events), in seconds.",
    { buckets: WRITE_BUCKETS },
  );
  const failures = registry.counter(
    "paddock_results_store_write_failures_total",
    "Store write transactions that failed (rolled back).",
  );
  const write: ResultStore["write"] = async (work) => {
    const started = now();
    try {
      return await store.write(work);
    } catch (error) {
      failures.inc();
      throw error;
    } finally {
      duration.observe(undefined, (now() - started) / 1000);
    }
  };
  return new Proxy(store, {
    get(target, property) {
      if (property === "write") return write;
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** Samples the durable consumer's state from JetStream at each scrape. */
export function sampleConsumerLag(nc: NatsConnection, registry: MetricsRegistry): void {
  const pending = registry.gauge(
    "paddock_results_consumer_pending_messages",
    "Messages in PADDOCK_EVENTS the results consumer has not taken yet (its lag), sampled at scrape.",
  );
  const ackPending = registry.gauge(
    "paddock_results_consumer_ack_pending_messages",
    "Messages taken by the results consumer and not yet acked, sampled at scrape.",
  );
  const redelivered = registry.gauge(
    "paddock_results_consumer_redelivered_messages",
    "Messages delivered more than once and not yet acked, sampled at scrape.",
  );
  const sampled = registry.gauge(
    "paddock_results_consumer_sample_ok",
    "1 when the last scrape could read the consumer's state from JetStream, else 0.",
  );
  registry.onCollect(async () => {
    try {
      const jsm = await jetstreamManager(nc, { timeout: 1500 });
      const info = await jsm.consumers.info(EVENTS_STREAM, RESULTS_CONSUMER);
      pending.set(undefined, info.num_pending);
      ackPending.set(undefined, info.num_ack_pending);
      redelivered.set(undefined, info.num_redelivered);
      sampled.set(undefined, 1);
    } catch {
      sampled.set(undefined, 0);
    }
  });
}
