/**
 * Publishes Paddock events into JetStream. The event id is the message id, so a retried publish
 * is deduplicated by the stream.
 */
import { type JetStreamClient, jetstream } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { encodeEvent } from "@paddock/shared/event-codec";
import { CHANNEL_OF, type PaddockEvent } from "@paddock/shared/events";
import { subjects } from "@paddock/shared/subjects";

export interface EventPublisher {
  /** Resolves when the stream has stored the event. */
  publish(event: PaddockEvent): Promise<void>;
  /** Publishes a runner heartbeat on core NATS (not stored). */
  heartbeat(event: PaddockEvent<"RunnerHeartbeat">): void;
}

export function subjectOf(event: PaddockEvent): string {
  if (event.type === "RunnerHeartbeat")
    return subjects.heartbeat((event as PaddockEvent<"RunnerHeartbeat">).data.runnerId);
  return subjects.task(event.taskId, CHANNEL_OF[event.type as keyof typeof CHANNEL_OF]);
}

export function createEventPublisher(
  nc: NatsConnection,
  js: JetStreamClient = jetstream(nc),
): EventPublisher {
  return {
    async publish(event) {
      await js.publish(subjectOf(event), encodeEvent(event), { msgID: event.id, timeout: 10_000 });
    },
    heartbeat(event) {
      nc.publish(subjectOf(event), encodeEvent(event));
    },
  };
}
