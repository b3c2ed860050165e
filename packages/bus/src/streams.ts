/**
 * Paddock's JetStream streams. Every service that publishes or consumes calls `ensureStreams`
 * at start-up; it creates what is missing and leaves existing streams' data alone.
 */
import {
  DiscardPolicy,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
} from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { ALL_TASK_EVENTS, EVENTS_STREAM, SUBMITTED_TASKS, TASKS_STREAM } from "@paddock/shared/subjects";

const SECOND_NS = 1_000_000_000;

/** Stream definitions (nats-server 2.9 compatible). */
export const STREAMS: readonly (Partial<StreamConfig> & { name: string })[] = [
  {
    name: EVENTS_STREAM,
    subjects: [ALL_TASK_EVENTS],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    // Publishes retried within this window with the same event id are stored once.
    duplicate_window: 120 * SECOND_NS,
    // Kept 30 days so a results service that was down catches up; results is the system of record.
    max_age: 30 * 24 * 3600 * SECOND_NS,
  },
  {
    name: TASKS_STREAM,
    subjects: [SUBMITTED_TASKS],
    storage: StorageType.File,
    retention: RetentionPolicy.Workqueue,
    duplicate_window: 120 * SECOND_NS,
  },
];

export async function ensureStreams(nc: NatsConnection): Promise<void> {
  const jsm = await jetstreamManager(nc);
  for (const config of STREAMS) {
    try {
      await jsm.streams.info(config.name);
    } catch {
      await jsm.streams.add(config);
    }
  }
}
