/**
 * `?`: every key valid here, the keys valid everywhere and the `:` commands, all generated from
 * the keymap and the palette's command table. Side by side from 100 columns on.
 */
import { Box, Text } from "ink";
import type { Binding } from "../bindings.js";
import { GLOBAL_BINDINGS, MODE_BINDINGS, type Mode, SCREENS } from "../keymap.js";
import { PALETTE_COMMANDS } from "../palette-commands.js";

export interface HelpOverlayProps {
  readonly mode: Mode;
  readonly width: number;
  readonly height: number;
}

interface Row {
  readonly keys: string;
  readonly description: string;
}

function Section({ title, rows, width }: { title: string; rows: readonly Row[]; width: number }) {
  const keysWidth = Math.max(8, ...rows.map((row) => row.keys.length));
  return (
    <Box flexDirection="column" marginBottom={1} width={width}>
      <Text bold>{title}</Text>
      {rows.map((row) => (
        <Text key={`${row.keys}-${row.description}`} wrap="truncate-end">
          {"  "}
          <Text color="cyan">{row.keys.padEnd(keysWidth)}</Text>
          {"  "}
          {row.description}
        </Text>
      ))}
    </Box>
  );
}

function dedupe(rows: readonly Row[]): Row[] {
  const seen = new Set<string>();
  return rows.filter((row) => {
    const id = `${row.keys}|${row.description}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** The global keys with `1`…`4` on one row and Shift-Tab folded into Tab's. */
function globalRows(bindings: readonly Binding[]): Row[] {
  const screens = bindings.filter((binding) => binding.action.startsWith("screen-"));
  const rest = bindings.filter(
    (binding) => !binding.action.startsWith("screen-") && binding.action !== "previous-screen",
  );
  const screenRow: Row = {
    keys: `${screens[0]?.keys ?? "1"}-${screens.at(-1)?.keys ?? "4"}`,
    description: `Screens: ${SCREENS.map((screen) => screen.title).join(", ")}`,
  };
  const tabAt = rest.findIndex((binding) => binding.action === "next-screen");
  const rows: Row[] = rest.map(({ keys, description }) => ({ keys, description }));
  rows.splice(tabAt + 1, 0, screenRow);
  return rows;
}

export function HelpOverlay({ mode, width, height }: HelpOverlayProps) {
  const wide = width >= 100;
  const column = wide ? Math.floor((width - 4) / 2) : width - 2;
  const commands = PALETTE_COMMANDS.map((command) => ({
    keys: `:${command.name}${command.argument === "tasks" ? " A B" : command.argument ? " ID" : ""}`,
    description: command.description,
  }));
  return (
    <Box flexDirection="column" width={width} height={height} paddingX={1} overflow="hidden">
      <Box flexDirection={wide ? "row" : "column"}>
        <Box flexDirection="column" width={column}>
          <Section title="Keys here" rows={dedupe(MODE_BINDINGS[mode])} width={column} />
          <Section title="Everywhere" rows={globalRows(GLOBAL_BINDINGS)} width={column} />
        </Box>
        {wide ? (
          <Box flexDirection="column" width={column} marginLeft={2}>
            <Section title="Commands (:)" rows={commands} width={column} />
          </Box>
        ) : (
          <Box flexDirection="column" marginBottom={1}>
            <Text bold>Commands (:)</Text>
            <Text wrap="wrap">
              {"  "}
              {commands.map((command) => command.keys).join("  ")}
            </Text>
          </Box>
        )}
      </Box>
      <Text dimColor>Press ? or Esc to close this help.</Text>
    </Box>
  );
}
