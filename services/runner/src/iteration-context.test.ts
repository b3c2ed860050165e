import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { AtomicAction } from "@paddock/shared/task-model";
import { eventually } from "@paddock/testkit";
import { describe, expect, it } from "vitest";
import { systemClock } from "./clock.js";
import { EMPTY_OUTPUT, IterationContext, ScenarioOutputInvalid } from "./iteration-context.js";

function names(actions: AtomicAction[]): unknown[] {
  return actions.map((action) =>
    action.children.length > 0 ? { [action.name]: names(action.children) } : action.name,
  );
}

function expectWellTimed(action: AtomicAction): void {
  expect(action.finished_at).not.toBeNull();
  expect(action.finished_at as number).toBeGreaterThanOrEqual(action.started_at);
  for (const child of action.children) {
    expect(child.started_at).toBeGreaterThanOrEqual(action.started_at);
    expect(child.finished_at as number).toBeLessThanOrEqual(action.finished_at as number);
    expectWellTimed(child);
  }
}

describe("IterationContext atomic actions", () => {
  it("nests an atomic started inside another, as Rally's foo → bar", async () => {
    const ctx = new IterationContext(1, systemClock);
    await ctx.atomic("foo", () => ctx.atomic("bar", () => ctx.wait(0.01)));
    expect(names(ctx.atomics)).toEqual([{ foo: ["bar"] }]);
    const foo = ctx.atomics[0] as AtomicAction;
    expectWellTimed(foo);
    expect(foo).not.toHaveProperty("failed");
    expect(Object.keys(foo)).toEqual(["name", "children", "started_at", "finished_at"]);
    expect(foo.started_at).toBeGreaterThan(1.7e9);
  });

  it("follows await chains, keeps sequential atomics siblings and parallel ones apart", async () => {
    const ctx = new IterationContext(1, systemClock);
    await ctx.atomic("outer", async () => {
      await ctx.wait(0.005);
      await ctx.atomic("first", () => ctx.wait(0.005));
      await Promise.all([
        ctx.atomic("left", async () => {
          await ctx.wait(0.01);
          await ctx.atomic("left.inner", () => undefined);
        }),
        ctx.atomic("right", () => ctx.wait(0.005)),
      ]);
    });
    await ctx.atomic("after", () => 42);
    expect(names(ctx.atomics)).toEqual([{ outer: ["first", { left: ["left.inner"] }, "right"] }, "after"]);
    for (const action of ctx.atomics) expectWellTimed(action);
  });

  it("marks the atomic that threw, and every atomic the error passed through, as failed", async () => {
    const ctx = new IterationContext(1, systemClock);
    await ctx.atomic("ok", () => undefined);
    const error = new Error("boom");
    await expect(
      ctx.atomic("outer", async () => {
        await ctx.atomic("inner-ok", () => undefined);
        await ctx.atomic("inner", () => {
          throw error;
        });
      }),
    ).rejects.toBe(error);
    const [ok, outer] = ctx.atomics as [AtomicAction, AtomicAction];
    expect(ok).not.toHaveProperty("failed");
    expect(outer.failed).toBe(true);
    expect(outer.children[0]).not.toHaveProperty("failed");
    expect(outer.children[1]?.failed).toBe(true);
    expectWellTimed(outer);
  });

  it("returns the value of the timed function", async () => {
    const ctx = new IterationContext(1, systemClock);
    await expect(ctx.atomic("sync", () => 7)).resolves.toBe(7);
    await expect(ctx.atomic("async", async () => "x")).resolves.toBe("x");
  });
});

describe("IterationContext time and output", () => {
  it("counts sleep as idle time and wait as work", async () => {
    const ctx = new IterationContext(3, systemClock);
    expect(ctx.iteration).toBe(3);
    await ctx.sleep(0.1);
    await ctx.wait(0.02);
    expect(ctx.idle).toBeGreaterThanOrEqual(0.095);
    expect(ctx.idle).toBeLessThan(1);
  });

  it("rejects a negative or non-numeric sleep with a precise message", () => {
    const ctx = new IterationContext(1, systemClock);
    expect(() => ctx.sleep(-1)).toThrow("ctx.sleep takes a number of seconds >= 0 (got -1)");
    expect(() => ctx.wait(Number.NaN)).toThrow("ctx.wait takes a number of seconds >= 0 (got NaN)");
  });

  it("collects additive and complete charts, and shares one empty output otherwise", () => {
    const ctx = new IterationContext(1, systemClock);
    expect(ctx.output()).toBe(EMPTY_OUTPUT);
    ctx.addOutput({ additive: { title: "A", chart_plugin: "Lines", data: [["x", 1]] } });
    ctx.addOutput({ complete: { title: "C", chart_plugin: "TextArea", data: ["t"] } });
    expect(ctx.output()).toEqual({
      additive: [{ title: "A", chart_plugin: "Lines", data: [["x", 1]] }],
      complete: [{ title: "C", chart_plugin: "TextArea", data: ["t"] }],
    });
    expect(() => ctx.addOutput({ additive: { title: "no plugin" } as never })).toThrow(ScenarioOutputInvalid);
  });

  it("on interrupt closes open atomics as failed, aborts the signal and ignores later changes", async () => {
    const ctx = new IterationContext(1, systemClock);
    const running = ctx.atomic("slow", () => ctx.sleep(5));
    const reason = new Error("timeout");
    ctx.interrupt(reason);
    await expect(running).rejects.toBe(reason);
    expect(ctx.signal.aborted).toBe(true);
    const slow = ctx.atomics[0] as AtomicAction;
    expect(slow.failed).toBe(true);
    const finishedAt = slow.finished_at;
    expect(finishedAt).not.toBeNull();
    await ctx.atomic("late", () => undefined);
    ctx.addOutput({ complete: { title: "late", chart_plugin: "TextArea", data: [] } });
    expect(ctx.atomics).toHaveLength(1);
    expect(slow.finished_at).toBe(finishedAt);
    expect(ctx.output()).toBe(EMPTY_OUTPUT);
  });

  it("on interrupt rejects its requests in flight and closes their sockets", async () => {
    const held: ServerResponse[] = [];
    let open = 0;
    const server = createServer((_request, response) => held.push(response));
    server.on("connection", (socket) => {
      open += 1;
      socket.on("close", () => {
        open -= 1;
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const ctx = new IterationContext(1, systemClock);
      const both = [ctx.http.get(url), ctx.http.get(url)];
      await eventually(() => expect(held).toHaveLength(2));
      const reason = new Error("Iteration interrupted due to timeout.");
      ctx.interrupt(reason);
      for (const pending of both) await expect(pending).rejects.toBe(reason);
      await eventually(() => expect(open).toBe(0));
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("hands out an aborted signal when it is first read after the interrupt", () => {
    const ctx = new IterationContext(1, systemClock);
    const reason = new Error("Iteration interrupted: the task was aborted.");
    ctx.interrupt(reason);
    expect(ctx.signal.aborted).toBe(true);
    expect(ctx.signal.reason).toBe(reason);
  });
});
