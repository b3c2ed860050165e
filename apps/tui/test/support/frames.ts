/**
 * Checks on rendered frames.
 */
import { expect } from "vitest";

/** Every line fits `columns` and there are at most `rows` lines (the TUI must be usable at 80×24). */
export function expectFits(frame: string, columns = 80, rows = 24): void {
  const lines = frame.replace(/\n$/, "").split("\n");
  expect(lines.length, `frame has ${lines.length} lines:\n${frame}`).toBeLessThanOrEqual(rows);
  for (const line of lines) expect([...line].length, `line too wide:\n${line}`).toBeLessThanOrEqual(columns);
}
