import { describe, expect, it } from "vitest";
import {
  formatCount,
  formatDuration,
  formatLatency,
  formatRate,
  formatTime,
  truncate,
  wrapText,
} from "./numbers.js";

describe("number formatting", () => {
  it("writes durations for humans", () => {
    expect(formatDuration(0.25)).toBe("250 ms");
    expect(formatDuration(12.34)).toBe("12.3 s");
    expect(formatDuration(245)).toBe("4m 05s");
    expect(formatDuration(3720)).toBe("1h 02m");
    expect(formatDuration(null)).toBe("—");
  });

  it("writes latencies, rates, counts and times", () => {
    expect(formatLatency(0.00042)).toBe("0.42 ms");
    expect(formatLatency(0.0123)).toBe("12.3 ms");
    expect(formatLatency(1.2)).toBe("1.20 s");
    expect(formatRate(12.34)).toBe("12.3/s");
    expect(formatRate(1234.4)).toBe("1,234/s");
    expect(formatCount(40, 100)).toBe("40/100 (40%)");
    expect(formatCount(40, null)).toBe("40");
    expect(formatTime("2026-11-23T22:39:22.000Z")).toBe("2026-11-23 22:39:22");
    expect(truncate("abcdef", 4)).toBe("abc…");
  });

  it("wraps words into a few lines, marking what was cut", () => {
    expect(wrapText("Runs Rally's Dummy.dummy scenario: each iteration sleeps", 20, 2)).toEqual([
      "Runs Rally's",
      "Dummy.dummy…",
    ]);
    expect(wrapText("short text", 20, 3)).toEqual(["short text"]);
    expect(wrapText("averyveryverylongword", 8, 1)).toEqual(["averyve…"]);
  });
});
