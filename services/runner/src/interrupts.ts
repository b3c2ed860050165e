/**
 * What interrupts an iteration's requests in flight (its timeout, a hard abort). An `AbortSignal`
 * would do, but each iteration would then build an `AbortController` and every request add and
 * remove an event listener, which under the http bench cost the runner about 1.6 µs of its ~18 µs
 * per iteration. `Interrupts` watches requests in a field (the one request an iteration usually
 * has in flight) and an array for any more, and makes an
 * `AbortSignal` only for code that asks for one (`ctx.signal`, undici's `https:` requests, a
 * request timeout).
 */

/** Something in flight that can be interrupted (a request on a socket). */
export interface Interruptible {
  interrupt(reason: unknown): void;
}

export class Interrupts {
  #interrupted = false;
  #reason: unknown;
  /** The first target watched; more go to `#others` (an iteration usually has one request in flight). */
  #watched: Interruptible | undefined;
  #others: Interruptible[] | undefined;
  #controller: AbortController | undefined;

  /** Interrupts that follow `signal`: interrupted when it aborts, with its reason. */
  static of(signal: AbortSignal): Interrupts {
    const interrupts = new Interrupts();
    if (signal.aborted) interrupts.interrupt(signal.reason);
    else signal.addEventListener("abort", () => interrupts.interrupt(signal.reason), { once: true });
    return interrupts;
  }

  get interrupted(): boolean {
    return this.#interrupted;
  }

  /** Why it was interrupted (undefined before). */
  get reason(): unknown {
    return this.#reason;
  }

  /** An `AbortSignal` that aborts with the same reason (made on first use; already aborted if interrupted). */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#interrupted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** Calls `target.interrupt(reason)` if this is interrupted while `target` is watched. */
  watch(target: Interruptible): void {
    if (this.#watched === undefined) this.#watched = target;
    else (this.#others ??= []).push(target);
  }

  unwatch(target: Interruptible): void {
    if (this.#watched === target) {
      this.#watched = this.#others?.pop();
      return;
    }
    const others = this.#others;
    if (others === undefined) return;
    const at = others.lastIndexOf(target);
    if (at === -1) return;
    const last = others.pop() as Interruptible;
    if (at < others.length) others[at] = last;
  }

  /** Interrupts every watched target, then aborts `signal`; later calls do nothing. */
  interrupt(reason: unknown): void {
    if (this.#interrupted) return;
    this.#interrupted = true;
    this.#reason = reason;
    const watched = this.#watched;
    const others = this.#others;
    this.#watched = undefined;
    this.#others = undefined;
    watched?.interrupt(reason);
    if (others !== undefined) for (const target of others) target.interrupt(reason);
    this.#controller?.abort(reason);
  }
}
