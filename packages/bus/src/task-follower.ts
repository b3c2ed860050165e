/**
 * Following one task's events: replays what the stream already holds for the chosen channels,
 * then continues live (ordered consumers, so no gap and no duplicate).
 */
import { DeliverPolicy, jetstream } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { decodeEvent } from "@paddock/shared/event-codec";
import type { AnyPaddockEvent } from "@paddock/shared/events";
import { EVENTS_STREAM, subjects, type TaskChannel } from "@paddock/shared/subjects";

export interface FollowOptions {
  readonly channels: readonly TaskChannel[];
  /** Called for each valid event, in order within a channel. */
  readonly onEvent: (event: AnyPaddockEvent) => void;
  /** Called for a message that is not a valid event (it is skipped). */
  readonly onInvalid?: (error: Error) => void;
}

export interface Following {
  stop(): Promise<void>;
}

export async function followTask(
  nc: NatsConnection,
  taskId: string,
  options: FollowOptions,
): Promise<Following> {
  const js = jetstream(nc);
  const running: { stop: () => Promise<void> }[] = [];
  for (const channel of options.channels) {
    const consumer = await js.consumers.get(EVENTS_STREAM, {
      filter_subjects: subjects.task(taskId, channel),
      deliver_policy: DeliverPolicy.All,
    });
    const messages = await consumer.consume();
    const done = (async () => {
      for await (const message of messages) {
        try {
          options.onEvent(decodeEvent(message.data));
        } catch (error) {
          options.onInvalid?.(error as Error);
        }
      }
    })();
    running.push({
      stop: async () => {
        await messages.close();
        await done;
      },
    });
  }
  return {
    async stop() {
      await Promise.all(running.map((entry) => entry.stop()));
    },
  };
}
