/**
 * A bar of `width` cells filled by completed/expected; an open-ended run (no expected count)
 * shows a pulse position instead.
 */
import { Text } from "ink";

export interface ProgressBarProps {
  readonly completed: number;
  readonly expected: number | null;
  readonly width: number;
  readonly color?: string;
}

export function progressCells(completed: number, expected: number | null, width: number): number {
  if (expected === null || expected <= 0) return 0;
  return Math.max(0, Math.min(width, Math.round((completed / expected) * width)));
}

export function ProgressBar({ completed, expected, width, color = "green" }: ProgressBarProps) {
  const cells = Math.max(1, width);
  if (expected === null || expected <= 0) {
    const position = completed % cells;
    return (
      <Text>
        <Text dimColor>{"░".repeat(position)}</Text>
        <Text color={color}>█</Text>
        <Text dimColor>{"░".repeat(Math.max(0, cells - position - 1))}</Text>
      </Text>
    );
  }
  const filled = progressCells(completed, expected, cells);
  return (
    <Text>
      <Text color={color}>{"█".repeat(filled)}</Text>
      <Text dimColor>{"░".repeat(cells - filled)}</Text>
    </Text>
  );
}
