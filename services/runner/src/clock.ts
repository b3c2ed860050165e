/**
 * Time as the runner measures it. `now` stamps records (epoch seconds, as Rally); `monotonic`
 * measures durations and schedules rate-driven starts (milliseconds, never goes back).
 */
export interface Clock {
  /** Epoch seconds with sub-millisecond precision. */
  now(): number;
  /** Milliseconds from an arbitrary origin; only differences mean something. */
  monotonic(): number;
  /** Epoch seconds of a `monotonic()` reading, so one reading gives both a time and a timestamp. */
  epochAt(monotonic: number): number;
}

/**
 * The process clock: both readings come from `performance.now()`, so an epoch timestamp and a
 * duration taken from the same pair of readings agree exactly.
 */
export const systemClock: Clock = {
  now: () => (performance.timeOrigin + performance.now()) / 1000,
  monotonic: () => performance.now(),
  epochAt: (monotonic) => (performance.timeOrigin + monotonic) / 1000,
};

/** Resolves after `ms`, or rejects with the signal's reason as soon as `signal` aborts. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
