/**
 * One line under a list: the filter being typed (`/dum▌`), or the filter in force and how many
 * rows it keeps. Nothing when there is no filter.
 */
import { Text } from "ink";
import { truncate } from "../../format/numbers.js";

export interface FilterLineProps {
  readonly query: string;
  readonly editing: boolean;
  /** Rows kept, and rows in all. */
  readonly shown: number;
  readonly total: number;
  readonly width: number;
}

export function FilterLine({ query, editing, shown, total, width }: FilterLineProps) {
  if (!editing && query === "") return null;
  const count = ` ${shown}/${total}`;
  return (
    <Text wrap="truncate-end">
      <Text color="yellow">/{truncate(query, Math.max(1, width - count.length - 3))}</Text>
      {editing ? <Text inverse> </Text> : null}
      <Text dimColor>{count}</Text>
    </Text>
  );
}
