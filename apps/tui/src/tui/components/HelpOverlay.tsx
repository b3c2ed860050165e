/**
 * `?`: every key valid here, with what it does, from the keymap.
 */
import { Box, Text } from "ink";
import { GLOBAL_BINDINGS, MODE_BINDINGS, type Mode } from "../keymap.js";

export interface HelpOverlayProps {
  readonly mode: Mode;
  readonly width: number;
}

function Section({ title, rows }: { title: string; rows: readonly { keys: string; description: string }[] }) {
  const width = Math.max(8, ...rows.map((row) => row.keys.length));
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Text bold>{title}</Text>
      {rows.map((row) => (
        <Text key={`${row.keys}-${row.description}`}>
          {"  "}
          <Text color="cyan">{row.keys.padEnd(width)}</Text>
          {"  "}
          {row.description}
        </Text>
      ))}
    </Box>
  );
}

function dedupe(rows: readonly { keys: string; description: string }[]) {
  const seen = new Set<string>();
  return rows.filter((row) => {
    const id = `${row.keys}|${row.description}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

export function HelpOverlay({ mode, width }: HelpOverlayProps) {
  return (
    <Box flexDirection="column" width={width} paddingX={1}>
      <Section title="Keys here" rows={dedupe(MODE_BINDINGS[mode])} />
      <Section title="Everywhere" rows={dedupe(GLOBAL_BINDINGS)} />
      <Text dimColor>Press ? or Esc to close this help.</Text>
    </Box>
  );
}
