/**
 * Groups a workload's iteration records into `IterationsRecorded` batches: a batch leaves when it
 * holds `maxRecords` records, when its estimated size reaches `maxBytes` (under NATS's max
 * payload), or `maxDelayMs` after its first record — whichever comes first. Every record is
 * delivered exactly once, in the order it ended.
 */

import type { IterationRecord } from "@paddock/shared/events";
import type { AtomicAction } from "@paddock/shared/task-model";

export interface BatchLimits {
  /** Records per batch at most. Default 1000. */
  readonly maxRecords?: number;
  /**
   * Milliseconds a record waits at most. Default 20: at a steady rate the batches stay small
   * and evenly spread, so encoding and publishing one never holds the event loop long enough to
   * delay a rate runner's next start (rps 5000/s: p99 start lag 2.8–4.2 ms with 100, 1.7–1.9 ms
   * with 20, same machine back to back).
   */
  readonly maxDelayMs?: number;
  /** Estimated JSON bytes per batch at most. Default 512 KiB. */
  readonly maxBytes?: number;
}

const RECORD_BYTES = 220;
const ATOMIC_BYTES = 110;

function atomicsBytes(actions: readonly AtomicAction[]): number {
  let bytes = 0;
  for (const action of actions) {
    bytes += ATOMIC_BYTES + action.name.length;
    if (action.children.length > 0) bytes += atomicsBytes(action.children);
  }
  return bytes;
}

/** A cheap upper estimate of a record's JSON size; exact only where it may be large. */
export function estimateBytes(record: IterationRecord): number {
  let bytes = RECORD_BYTES + atomicsBytes(record.atomic_actions);
  if (record.error.length > 0) bytes += JSON.stringify(record.error).length;
  if (record.output.additive.length > 0 || record.output.complete.length > 0) {
    bytes += JSON.stringify(record.output).length;
  }
  return bytes;
}

export class IterationBatcher {
  private buffer: IterationRecord[] = [];
  private bytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly maxRecords: number;
  private readonly maxDelayMs: number;
  private readonly maxBytes: number;

  constructor(
    private readonly emit: (records: IterationRecord[]) => void,
    limits: BatchLimits = {},
  ) {
    this.maxRecords = limits.maxRecords ?? 1000;
    this.maxDelayMs = limits.maxDelayMs ?? 20;
    this.maxBytes = limits.maxBytes ?? 512 * 1024;
  }

  push(record: IterationRecord): void {
    this.buffer.push(record);
    this.bytes += estimateBytes(record);
    if (this.buffer.length >= this.maxRecords || this.bytes >= this.maxBytes) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.maxDelayMs);
  }

  /** Emits what is buffered now. */
  flush(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    this.bytes = 0;
    this.emit(batch);
  }
}
