/**
 * The runner's heartbeat: a `RunnerHeartbeat` on core NATS every `intervalMs`, naming the tasks
 * it runs, so a task whose runner died is marked `crashed` instead of staying `running`.
 */
import type { EventPublisher } from "@paddock/bus";
import { createEvent } from "@paddock/shared/event-codec";

export interface HeartbeatOptions {
  readonly publisher: EventPublisher;
  readonly runnerId: string;
  /** The ids of the tasks running now. */
  readonly tasks: () => string[];
  /** Milliseconds between beats. Default 2000. */
  readonly intervalMs?: number;
  /** Seconds after the last beat a subscriber may consider the runner dead. Default 10. */
  readonly ttl?: number;
  readonly now?: () => Date;
  /** Called when a beat cannot be sent (the connection is closed). */
  readonly onError?: (error: unknown) => void;
}

/** Beats once now, then every interval; returns the function that stops it. */
export function startHeartbeat(options: HeartbeatOptions): () => void {
  const beat = () => {
    try {
      options.publisher.heartbeat(
        createEvent(
          "RunnerHeartbeat",
          "",
          { runnerId: options.runnerId, tasks: options.tasks(), ttl: options.ttl ?? 10 },
          options.now,
        ),
      );
    } catch (error) {
      options.onError?.(error);
    }
  };
  beat();
  const timer = setInterval(beat, options.intervalMs ?? 2000);
  timer.unref();
  return () => clearInterval(timer);
}
