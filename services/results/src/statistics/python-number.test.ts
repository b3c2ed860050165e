import { describe, expect, it } from "vitest";
import { formatFixed, roundPython } from "./python-number.js";

describe("Python number formatting", () => {
  it("rounds an exact binary tie to the even digit, as round(x, 3) does", () => {
    expect(roundPython(0.0625, 3)).toBe(0.062);
    expect(roundPython(0.1875, 3)).toBe(0.188);
    expect(roundPython(2.5, 0)).toBe(2);
    expect(roundPython(3.5, 0)).toBe(4);
  });

  it("rounds a value that only looks like a tie by its exact binary value", () => {
    // 0.0005 is stored as 0.000500000000000000010408..., just above the tie.
    expect(roundPython(0.0005, 3)).toBe(0.001);
    // 1.0005 is stored as 1.000499999999999989341858963598497211933135986328125.
    expect(roundPython(1.0005, 3)).toBe(1);
    expect(roundPython(0.05009603500366211, 3)).toBe(0.05);
  });

  it("formats percentages like '%.1f%%'", () => {
    expect(formatFixed(100, 1)).toBe("100.0");
    expect(formatFixed((2 / 3) * 100, 1)).toBe("66.7");
    expect(formatFixed(0.25, 1)).toBe("0.2");
    expect(formatFixed(0.75, 1)).toBe("0.8");
    expect(formatFixed(12.25, 1)).toBe("12.2");
    expect(formatFixed(0, 1)).toBe("0.0");
  });

  it("keeps very small and negative values correct", () => {
    expect(roundPython(1.3828277587890625e-5, 3)).toBe(0);
    expect(formatFixed(-0.0625, 3)).toBe("-0.062");
    expect(formatFixed(-1.25, 1)).toBe("-1.2");
  });
});
