import { describe, expect, it } from "vitest";
import { runWith, sleepFor } from "../../test/support/load-harness.js";
import { constant } from "./constant.js";

describe("constant runner", () => {
  it("runs exactly `times` iterations, numbered 0..times-1 in start order", async () => {
    const { records, startOrder } = await runWith("constant", { times: 30, concurrency: 4 }, () =>
      sleepFor(2),
    );
    expect(records).toHaveLength(30);
    expect(records.map((r) => r.seq).sort((a, b) => a - b)).toEqual([...Array(30).keys()]);
    expect(startOrder).toEqual([...Array(30).keys()].map((i) => i + 1));
  });

  it("keeps `concurrency` iterations in flight and never more", async () => {
    const { maxConcurrent, records } = await runWith("constant", { times: 24, concurrency: 6 }, () =>
      sleepFor(10),
    );
    expect(maxConcurrent).toBe(6);
    expect(records).toHaveLength(24);
  });

  it("defaults to one iteration at a time, once", async () => {
    const { records, maxConcurrent } = await runWith("constant", {}, () => undefined);
    expect(records).toHaveLength(1);
    expect(maxConcurrent).toBe(1);
  });

  it("interrupts an iteration over `timeout` with Rally's TimeoutException and duration = timeout", async () => {
    let aborted = 0;
    const { records, elapsedMs } = await runWith(
      "constant",
      { times: 3, concurrency: 3, timeout: 0.2 },
      async (ctx) => {
        ctx.signal.addEventListener("abort", () => {
          aborted += 1;
        });
        await ctx.atomic("slow", () => ctx.wait(30));
      },
    );
    expect(records).toHaveLength(3);
    for (const record of records) {
      expect(record.error[0]).toBe("TimeoutException");
      expect(record.error[1]).toBe("Iteration interrupted due to timeout.");
      expect(record.duration).toBe(0.2);
      expect(record.atomic_actions[0]?.failed).toBe(true);
    }
    expect(aborted).toBe(3);
    expect(elapsedMs).toBeLessThan(10_000);
  });

  it("records a failed iteration with the error's type, message and stack, and goes on", async () => {
    class QuotaExceeded extends Error {}
    const { records } = await runWith("constant", { times: 4, concurrency: 2 }, (ctx) => {
      if (ctx.iteration % 2 === 0) throw new QuotaExceeded("no more quota");
    });
    const failed = records.filter((r) => r.error.length > 0);
    expect(failed).toHaveLength(2);
    expect(failed[0]?.error[0]).toBe("QuotaExceeded");
    expect(failed[0]?.error[1]).toBe("no more quota");
    expect(failed[0]?.error[2]).toContain("QuotaExceeded: no more quota");
  });

  it("stops starting iterations on a soft stop and lets running ones end", async () => {
    const { records } = await runWith("constant", { times: 1000, concurrency: 2 }, () => sleepFor(5), {
      during: (load) => setTimeout(() => load.stop(), 60),
    });
    expect(records.length).toBeGreaterThan(0);
    expect(records.length).toBeLessThan(1000);
    expect(records.every((r) => r.error.length === 0)).toBe(true);
  });

  it("interrupts running iterations on a hard stop", async () => {
    const { records, elapsedMs } = await runWith(
      "constant",
      { times: 10, concurrency: 2 },
      (ctx) => ctx.wait(30),
      {
        during: (load) => setTimeout(() => load.interrupt(), 50),
      },
    );
    expect(records).toHaveLength(2);
    expect(records.every((r) => r.error[0] === "AbortError")).toBe(true);
    expect(elapsedMs).toBeLessThan(10_000);
  });

  it("refuses more concurrency than times, in Rally's words", () => {
    expect(constant.check({ times: 2, concurrency: 5 })[0]).toMatch(
      /^Parameter 'concurrency' means a number of parallel executions of iterations\. .* bigger then total number of iterations\.$/,
    );
    expect(constant.check({ times: 5, concurrency: 5 })).toEqual([]);
  });
});
