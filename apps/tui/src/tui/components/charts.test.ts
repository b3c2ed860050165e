import { describe, expect, it } from "vitest";
import { blockBar, sparkline } from "./charts.js";

describe("sparkline", () => {
  it("scales the last values from their minimum to their maximum", () => {
    expect(sparkline([0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09], 8)).toBe("▁▂▃▄▅▆▇█");
    expect(sparkline([0.01, 0.01, 0.01], 10)).toBe("▁▁▁");
    expect(sparkline([], 10)).toBe("");
    expect(sparkline([5, 1, 9], 2)).toBe("▁█");
  });
});

describe("blockBar", () => {
  it("draws eighths of a cell", () => {
    expect(blockBar(10, 10, 4)).toBe("████");
    expect(blockBar(5, 10, 4)).toBe("██");
    expect(blockBar(1, 10, 4)).toBe("▍");
    expect(blockBar(0.0001, 10, 4)).toBe("▏");
    expect(blockBar(0, 10, 4)).toBe("");
    expect(blockBar(20, 10, 4)).toBe("████");
  });
});
