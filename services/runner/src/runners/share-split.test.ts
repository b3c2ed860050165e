import { describe, expect, it } from "vitest";
import { runWith, sleepFor } from "../../test/support/load-harness.js";
import { constant } from "./constant.js";
import { constantForDuration } from "./constant-for-duration.js";
import { rps, rpsOffsets, shareOffsets } from "./rps.js";
import { serial } from "./serial.js";
import { splitEvenly } from "./share-split.js";

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

describe("splitEvenly", () => {
  it("divides a total into parts that differ by at most one, larger first", () => {
    expect(splitEvenly(10, 3)).toEqual([4, 3, 3]);
    expect(splitEvenly(9, 3)).toEqual([3, 3, 3]);
    expect(splitEvenly(2, 3)).toEqual([1, 1, 0]);
    for (const [total, parts] of [
      [1000, 7],
      [1, 1],
      [13, 13],
      [999_999, 4],
    ] as const) {
      const split = splitEvenly(total, parts);
      expect(sum(split)).toBe(total);
      expect(Math.max(...split) - Math.min(...split)).toBeLessThanOrEqual(1);
    }
  });

  it("gives share k exactly the count of seqs k, k + n, ... below the total (interleaved numbering)", () => {
    for (const [total, parts] of [
      [10, 3],
      [7, 4],
      [100, 6],
    ] as const) {
      splitEvenly(total, parts).forEach((count, k) => {
        const seqs = [...Array(total).keys()].filter((seq) => seq % parts === k);
        expect(seqs).toHaveLength(count);
      });
    }
  });
});

describe("constant split", () => {
  it("keeps the total iterations and concurrency of the definition", () => {
    const shares = constant.split({ times: 100, concurrency: 10, timeout: 5, distribute: 3 }, 3);
    expect(shares).toEqual([
      { times: 34, concurrency: 4, timeout: 5 },
      { times: 33, concurrency: 3, timeout: 5 },
      { times: 33, concurrency: 3, timeout: 5 },
    ]);
  });

  it("never makes more shares than the concurrency, and each share's concurrency ≤ its times", () => {
    expect(constant.split({ times: 100, concurrency: 2 }, 5)).toEqual([
      { times: 50, concurrency: 1 },
      { times: 50, concurrency: 1 },
    ]);
    expect(constant.split({ times: 7 }, 3)).toEqual([{ times: 7, concurrency: 1 }]);
    for (let times = 1; times <= 40; times += 1) {
      for (let concurrency = 1; concurrency <= times; concurrency += 3) {
        for (const replicas of [1, 2, 3, 5, 8]) {
          const shares = constant.split({ times, concurrency }, replicas);
          expect(shares.length).toBe(Math.min(replicas, concurrency));
          expect(sum(shares.map((s) => s.times as number))).toBe(times);
          expect(sum(shares.map((s) => s.concurrency as number))).toBe(concurrency);
          for (const share of shares) {
            expect(share.concurrency as number).toBeGreaterThanOrEqual(1);
            expect(share.concurrency as number).toBeLessThanOrEqual(share.times as number);
          }
        }
      }
    }
  });

  it("runs shares whose seqs interleave into exactly 0..times-1", async () => {
    const shares = constant.split({ times: 23, concurrency: 5 }, 3);
    const seqs: number[] = [];
    for (const [index, config] of shares.entries()) {
      const { records } = await runWith("constant", config, () => sleepFor(1), {
        share: { index, count: shares.length },
      });
      seqs.push(...records.map((record) => record.seq));
      for (const record of records) expect(record.seq % shares.length).toBe(index);
    }
    expect(seqs.sort((a, b) => a - b)).toEqual([...Array(23).keys()]);
  });
});

describe("constant_for_duration split", () => {
  it("splits the concurrency and keeps the duration", () => {
    expect(constantForDuration.split({ duration: 4, concurrency: 7, distribute: "all" }, 3)).toEqual([
      { duration: 4, concurrency: 3 },
      { duration: 4, concurrency: 2 },
      { duration: 4, concurrency: 2 },
    ]);
    expect(constantForDuration.split({ duration: 4 }, 3)).toEqual([{ duration: 4, concurrency: 1 }]);
  });

  it("counts the duration from the shares' common origin", async () => {
    const origin = performance.now() - 10_000;
    const { records } = await runWith(
      "constant_for_duration",
      { duration: 5, concurrency: 2 },
      () => undefined,
      {
        share: { index: 1, count: 2, origin },
      },
    );
    // Already past the end: every worker starts its one iteration and stops.
    expect(records.map((record) => record.seq).sort((a, b) => a - b)).toEqual([1, 3]);
  });
});

describe("rps split", () => {
  it("keeps the total iterations and splits max_concurrency", () => {
    expect(rps.split({ times: 10, rps: 100, max_concurrency: 7, distribute: 3 }, 3)).toEqual([
      { times: 4, rps: 100, max_concurrency: 3 },
      { times: 3, rps: 100, max_concurrency: 2 },
      { times: 3, rps: 100, max_concurrency: 2 },
    ]);
    expect(rps.split({ times: 2, rps: 100 }, 3)).toEqual([
      { times: 1, rps: 100 },
      { times: 1, rps: 100 },
    ]);
  });

  it("gives each share every n-th intended start, so together they are the undivided schedule", () => {
    for (const setting of [40, { start: 10, end: 50, step: 10, duration: 1 }] as const) {
      const whole = rpsOffsets(setting);
      const expected = Array.from({ length: 60 }, () => whole());
      const count = 4;
      const union: number[] = [];
      for (let index = 0; index < count; index += 1) {
        const next = shareOffsets(rpsOffsets(setting), index, count);
        const mine = Array.from({ length: 15 }, () => next());
        expect(mine).toEqual(expected.filter((_, i) => i % count === index));
        union.push(...mine);
      }
      expect(union.sort((a, b) => a - b)).toEqual(expected);
    }
  });

  it("starts share k staggered by k / rate from the common origin", async () => {
    const origin = performance.now() + 50;
    const shares = rps.split({ times: 12, rps: 100 }, 3);
    const starts = await Promise.all(
      shares.map((config, index) =>
        runWith("rps", config, () => undefined, { share: { index, count: 3, origin } }).then((result) =>
          result.records.map((record) => ({ seq: record.seq, intended: record.intended_start as number })),
        ),
      ),
    );
    const all = starts.flat().sort((a, b) => a.seq - b.seq);
    expect(all.map((start) => start.seq)).toEqual([...Array(12).keys()]);
    const first = all[0]?.intended as number;
    for (const start of all) expect(start.intended - first).toBeCloseTo(start.seq / 100, 6);
  });
});

describe("serial", () => {
  it("is never split, and refuses distribute", () => {
    expect(serial.split({ times: 9 }, 3)).toEqual([{ times: 9 }]);
    expect(serial.check({ times: 9, distribute: 3 })).toHaveLength(1);
    expect(serial.check({ times: 9, distribute: 1 })).toEqual([]);
  });
});
