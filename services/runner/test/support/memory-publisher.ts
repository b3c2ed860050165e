/**
 * An in-memory twin of `@paddock/bus`'s `EventPublisher` for unit tests: keeps what was
 * published, in order, deduplicating by event id as JetStream does, and can be told to fail.
 */
import type { EventPublisher } from "@paddock/bus";
import type { AnyPaddockEvent, EventType, PaddockEvent } from "@paddock/shared/events";

export class MemoryPublisher implements EventPublisher {
  readonly events: AnyPaddockEvent[] = [];
  readonly heartbeats: PaddockEvent<"RunnerHeartbeat">[] = [];
  /** Every publish call, retries included. */
  attempts = 0;
  private failures: ((event: PaddockEvent) => Error | undefined)[] = [];
  private readonly ids = new Set<string>();

  constructor(private readonly latencyMs = 0) {}

  /** The next publish calls fail with what `fail` returns (undefined lets that call through). */
  failWith(...fail: ((event: PaddockEvent) => Error | undefined)[]): void {
    this.failures.push(...fail);
  }

  async publish(event: PaddockEvent): Promise<void> {
    this.attempts += 1;
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    const failure = this.failures.shift()?.(event);
    if (failure !== undefined) throw failure;
    if (this.ids.has(event.id)) return;
    this.ids.add(event.id);
    this.events.push(JSON.parse(JSON.stringify(event)) as AnyPaddockEvent);
  }

  heartbeat(event: PaddockEvent<"RunnerHeartbeat">): void {
    this.heartbeats.push(event);
  }

  ofType<T extends EventType>(type: T): PaddockEvent<T>[] {
    return this.events.filter((event) => event.type === type) as unknown as PaddockEvent<T>[];
  }

  types(): EventType[] {
    return this.events.map((event) => event.type);
  }
}
