import { describe, expect, it } from "vitest";
import { type Interruptible, Interrupts } from "./interrupts.js";

function target(): Interruptible & { reasons: unknown[] } {
  const reasons: unknown[] = [];
  return { reasons, interrupt: (reason) => reasons.push(reason) };
}

describe("Interrupts", () => {
  it("interrupts the watched targets once, with the reason, and not the unwatched ones", () => {
    const interrupts = new Interrupts();
    const [a, b, c] = [target(), target(), target()];
    interrupts.watch(a);
    interrupts.watch(b);
    interrupts.watch(c);
    interrupts.unwatch(a);
    const reason = new Error("timeout");
    interrupts.interrupt(reason);
    interrupts.interrupt(new Error("again"));
    expect([a.reasons, b.reasons, c.reasons]).toEqual([[], [reason], [reason]]);
    expect(interrupts.interrupted).toBe(true);
    expect(interrupts.reason).toBe(reason);
  });

  it("keeps the others watched when one in the middle is unwatched", () => {
    const interrupts = new Interrupts();
    const targets = [target(), target(), target(), target()];
    for (const each of targets) interrupts.watch(each);
    interrupts.unwatch(targets[1] as Interruptible);
    interrupts.unwatch(target());
    interrupts.interrupt("stop");
    expect(targets.map((each) => each.reasons.length)).toEqual([1, 0, 1, 1]);
  });

  it("forgets targets unwatched in any order, and watches again after all were", () => {
    const interrupts = new Interrupts();
    const [a, b, c, d] = [target(), target(), target(), target()];
    interrupts.watch(a);
    interrupts.watch(b);
    interrupts.unwatch(b);
    interrupts.unwatch(a);
    interrupts.unwatch(a);
    interrupts.watch(c);
    interrupts.watch(d);
    interrupts.unwatch(c);
    interrupts.interrupt("stop");
    expect([a, b, c, d].map((each) => each.reasons)).toEqual([[], [], [], ["stop"]]);
  });

  it("makes a signal that aborts with it, even when first asked for afterwards", () => {
    const before = new Interrupts();
    const signal = before.signal;
    expect(signal.aborted).toBe(false);
    before.interrupt("hard abort");
    expect([signal.aborted, signal.reason]).toEqual([true, "hard abort"]);
    expect(before.signal).toBe(signal);

    const after = new Interrupts();
    after.interrupt("timeout");
    expect([after.signal.aborted, after.signal.reason]).toEqual([true, "timeout"]);
  });

  it("follows an AbortSignal, aborted already or later", () => {
    const aborted = Interrupts.of(AbortSignal.abort("gone"));
    expect([aborted.interrupted, aborted.reason]).toEqual([true, "gone"]);

    const controller = new AbortController();
    const following = Interrupts.of(controller.signal);
    const watched = target();
    following.watch(watched);
    expect(following.interrupted).toBe(false);
    controller.abort("now");
    expect(watched.reasons).toEqual(["now"]);
    expect(following.signal.reason).toBe("now");
  });
});
