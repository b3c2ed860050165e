/**
 * A list with one selected row, scrolled so the selection stays visible in `height` rows.
 */
import { Box, Text } from "ink";
import type { ReactNode } from "react";

export interface SelectListProps<T> {
  readonly items: readonly T[];
  readonly selected: number;
  readonly height: number;
  readonly width: number;
  readonly renderItem: (item: T, selected: boolean) => ReactNode;
  readonly itemKey: (item: T) => string;
  /** Shown when there are no items. */
  readonly empty?: string;
}

/** The first visible index so that `selected` is inside a window of `height` rows. */
export function windowStart(count: number, selected: number, height: number): number {
  if (count <= height) return 0;
  const half = Math.floor(height / 2);
  return Math.max(0, Math.min(count - height, selected - half));
}

export function SelectList<T>({
  items,
  selected,
  height,
  width,
  renderItem,
  itemKey,
  empty,
}: SelectListProps<T>) {
  if (items.length === 0) return <Text dimColor>{empty ?? "Nothing here."}</Text>;
  const rows = Math.max(1, height);
  const start = windowStart(items.length, selected, rows);
  const visible = items.slice(start, start + rows);
  return (
    <Box flexDirection="column" width={width}>
      {visible.map((item, offset) => {
        const index = start + offset;
        return (
          <Box key={itemKey(item)} width={width}>
            <Text color={index === selected ? "cyan" : undefined} bold={index === selected}>
              {index === selected ? "› " : "  "}
            </Text>
            <Box width={width - 2}>{renderItem(item, index === selected)}</Box>
          </Box>
        );
      })}
    </Box>
  );
}
