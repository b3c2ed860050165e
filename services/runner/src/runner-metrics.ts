/**
 * The runner's own metrics, measured where its events leave the process: every event published
 * (by type) and how long JetStream took to store it, iterations recorded, publish failures, and
 * the tasks running now (from this runner's heartbeat).
 */
import type { EventPublisher } from "@paddock/bus";
import type { MetricsRegistry } from "@paddock/http";
import type { PaddockEvent } from "@paddock/shared/events";

/** Publish latency buckets, in seconds: 0.5 ms to 10 s (the publish timeout). */
const PUBLISH_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Wraps `publisher` so that each event it publishes is counted and timed in `registry`.
 * `now` is a monotonic clock in milliseconds.
 */
export function instrumentPublisher(
  publisher: EventPublisher,
  registry: MetricsRegistry,
  now: () => number = () => performance.now(),
): EventPublisher {
  const published = registry.counter<"type">(
    "paddock_runner_events_published_total",
    "Events this runner published and JetStream stored, by event type.",
    ["type"],
  );
  const failures = registry.counter<"type">(
    "paddock_runner_publish_failures_total",
    "Event publishes that failed (after the publisher's own retries), by event type.",
    ["type"],
  );
  const latency = registry.histogram(
    "paddock_runner_publish_duration_seconds",
    "Time from publishing an event to JetStream's acknowledgement, in seconds.",
    { buckets: PUBLISH_BUCKETS },
  );
  const iterations = registry.counter(
    "paddock_runner_iterations_total",
    "Iterations this runner recorded and published (rate() of it is iterations per second).",
  );
  const failedIterations = registry.counter(
    "paddock_runner_iterations_failed_total",
    "Recorded iterations that ended with an error.",
  );
  const running = registry.gauge(
    "paddock_runner_tasks_running",
    "Tasks (or task shares) this runner executes now.",
  );
  const heartbeats = registry.counter("paddock_runner_heartbeats_total", "Heartbeats this runner sent.");

  return {
    async publish(event) {
      const started = now();
      try {
        await publisher.publish(event);
      } catch (error) {
        failures.inc({ type: event.type });
        throw error;
      }
      latency.observe(undefined, (now() - started) / 1000);
      published.inc({ type: event.type });
      if (event.type === "IterationsRecorded") {
        const recorded = (event as PaddockEvent<"IterationsRecorded">).data.iterations;
        iterations.inc(undefined, recorded.length);
        failedIterations.inc(
          undefined,
          recorded.reduce((count, iteration) => count + (iteration.error.length > 0 ? 1 : 0), 0),
        );
      }
    },
    heartbeat(event) {
      publisher.heartbeat(event);
      heartbeats.inc();
      running.set(undefined, event.data.tasks.length);
    },
  };
}
