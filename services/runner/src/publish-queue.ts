/**
 * Publishes a task's events with a bounded number of publishes in flight, so the iteration loop
 * never awaits a publish. A failed publish is retried with the same event id (JetStream drops
 * the duplicate if an earlier attempt was stored after all); a batch too large for the server's
 * max payload is split in two. When a publish fails for good, `drain` reports it.
 */
import type { EventPublisher } from "@paddock/bus";
import { describeError, PaddockError } from "@paddock/shared/errors";
import { createEvent } from "@paddock/shared/event-codec";
import type { AnyPaddockEvent, PaddockEvent } from "@paddock/shared/events";

export class EventPublishFailed extends PaddockError {
  readonly code = "EVENT_PUBLISH_FAILED";
  readonly status = 503;
}

export interface PublishQueueOptions {
  /** Publishes awaiting the server's acknowledgement at once. Default 8. */
  readonly maxInFlight?: number;
  /**
   * Queued events at which `saturated` becomes true and producers should wait. Default 8: with
   * 1000-record batches that bounds the backlog to ~16k records while keeping the bus busy.
   */
  readonly highWater?: number;
  /** Attempts per event before giving up. Default 5. */
  readonly attempts?: number;
  /** Milliseconds before the first retry; doubles each time. Default 200. */
  readonly retryDelayMs?: number;
  /** Stamps the events made when a batch is split. */
  readonly now?: () => Date;
}

interface Entry {
  readonly event: AnyPaddockEvent;
  attempt: number;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

const ignore = () => {};

function tooLarge(error: unknown): boolean {
  return /max_payload|maximum payload|payload size/i.test(describeError(error));
}

export class PublishQueue {
  private readonly pending: Entry[] = [];
  private inFlight = 0;
  private failure: Error | undefined;
  private readyWaiters: (() => void)[] = [];
  private idleWaiters: (() => void)[] = [];
  private readonly maxInFlight: number;
  private readonly highWater: number;
  private readonly attempts: number;
  private readonly retryDelayMs: number;

  constructor(
    private readonly publisher: EventPublisher,
    private readonly options: PublishQueueOptions = {},
  ) {
    this.maxInFlight = options.maxInFlight ?? 8;
    this.highWater = options.highWater ?? 8;
    this.attempts = options.attempts ?? 5;
    this.retryDelayMs = options.retryDelayMs ?? 200;
  }

  /** Queues `event`; resolves once the stream stored it, rejects if it never could. */
  publish(event: PaddockEvent): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ event: event as AnyPaddockEvent, attempt: 0, resolve, reject });
      this.pump();
    });
  }

  /** Queues `event` without waiting; a final failure is reported by `drain`. */
  send(event: PaddockEvent): void {
    this.pending.push({ event: event as AnyPaddockEvent, attempt: 0, resolve: ignore, reject: ignore });
    this.pump();
  }

  /** True when producers should wait (`whenReady`) before making more events. */
  get saturated(): boolean {
    return this.pending.length >= this.highWater;
  }

  /** Resolves once the queue is below its high-water mark. */
  whenReady(): Promise<void> {
    if (!this.saturated) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** Resolves when every queued event is stored; throws `EventPublishFailed` if one never was. */
  async drain(): Promise<void> {
    if (this.pending.length > 0 || this.inFlight > 0) {
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
    if (this.failure !== undefined) {
      throw new EventPublishFailed(`Events could not be published: ${describeError(this.failure)}`, {
        cause: this.failure,
      });
    }
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.pending.length > 0) {
      const entry = this.pending.shift() as Entry;
      this.inFlight += 1;
      this.attempt(entry);
    }
    if (!this.saturated && this.readyWaiters.length > 0) {
      const waiters = this.readyWaiters;
      this.readyWaiters = [];
      for (const wake of waiters) wake();
    }
    if (this.pending.length === 0 && this.inFlight === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const wake of waiters) wake();
    }
  }

  private attempt(entry: Entry): void {
    entry.attempt += 1;
    this.publisher.publish(entry.event).then(
      () => {
        this.inFlight -= 1;
        entry.resolve();
        this.pump();
      },
      (error: unknown) => this.failed(entry, error),
    );
  }

  private failed(entry: Entry, error: unknown): void {
    const event = entry.event;
    if (tooLarge(error) && event.type === "IterationsRecorded" && event.data.iterations.length > 1) {
      const half = Math.ceil(event.data.iterations.length / 2);
      const parts = [event.data.iterations.slice(0, half), event.data.iterations.slice(half)].map(
        (iterations) =>
          createEvent("IterationsRecorded", event.taskId, { ...event.data, iterations }, this.options.now),
      );
      let left = parts.length;
      const done = () => {
        left -= 1;
        if (left === 0) entry.resolve();
      };
      this.pending.unshift(
        ...parts.map((part) => ({ event: part, attempt: 0, resolve: done, reject: entry.reject })),
      );
      this.inFlight -= 1;
      this.pump();
      return;
    }
    if (entry.attempt < this.attempts && !tooLarge(error)) {
      const wait = this.retryDelayMs * 2 ** (entry.attempt - 1);
      setTimeout(() => this.attempt(entry), wait);
      return;
    }
    const failure = error instanceof Error ? error : new Error(String(error));
    this.failure ??= failure;
    this.inFlight -= 1;
    entry.reject(failure);
    this.pump();
  }
}
