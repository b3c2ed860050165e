/**
 * The runner's heartbeat: a `RunnerHeartbeat` on core NATS every `intervalMs`, naming the tasks
 * it runs (shares of distributed workloads included) and how many it may run at once, so a task
 * whose runner died is marked `crashed` instead of staying `running`, and coordinators know which
 * replicas are alive and idle.
 */
import type { EventPublisher } from "@paddock/bus";
import { createEvent } from "@paddock/shared/event-codec";

export interface HeartbeatOptions {
  readonly publisher: EventPublisher;
  readonly runnerId: string;
  /** The ids of the tasks running now. */
  readonly tasks: () => string[];
  /** Tasks and shares the runner runs at once at most. */
  readonly capacity?: number;
  /** Milliseconds between beats. Default 2000. */
  readonly intervalMs?: number;
  /** Seconds after the last beat a subscriber may consider the runner dead. Default 10. */
  readonly ttl?: number;
  readonly now?: () => Date;
  /** Called when a beat cannot be sent (the connection is closed). */
  readonly onError?: (error: unknown) => void;
}

export interface Heartbeat {
  /** Beats now (the tasks changed), besides the regular beats. */
  beat(): void;
  stop(): void;
}

/** Beats once now, then every interval, until stopped. */
export function startHeartbeat(options: HeartbeatOptions): Heartbeat {
  let stopped = false;
  const beat = () => {
    if (stopped) return;
    try {
      options.publisher.heartbeat(
        createEvent(
          "RunnerHeartbeat",
          "",
          {
            runnerId: options.runnerId,
            tasks: options.tasks(),
            ttl: options.ttl ?? 10,
            ...(options.capacity === undefined ? {} : { capacity: options.capacity }),
          },
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
  return {
    beat,
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
