/**
 * The `:` palette: the line being typed, then the suggestions (the chosen one highlighted) and,
 * after a failed Enter, why.
 */
import { Box, Text } from "ink";
import { truncate } from "../../format/numbers.js";
import type { Suggestion } from "../palette-commands.js";

export interface CommandPaletteProps {
  readonly line: string;
  readonly suggestions: readonly Suggestion[];
  readonly selected: number;
  readonly problem: string | undefined;
  readonly width: number;
}

export function CommandPalette({ line, suggestions, selected, problem, width }: CommandPaletteProps) {
  const inner = Math.max(10, width - 4);
  return (
    <Box
      flexDirection="column"
      flexShrink={0}
      width={width}
      borderStyle="round"
      borderColor="cyan"
      paddingX={1}
    >
      <Text wrap="truncate-end">
        <Text bold color="cyan">
          :
        </Text>
        {truncate(line, inner - 2)}
        <Text inverse> </Text>
      </Text>
      {suggestions.map((suggestion, index) => (
        <Text key={suggestion.line} wrap="truncate-end" color={index === selected ? "cyan" : undefined}>
          {index === selected ? "› " : "  "}
          {suggestion.line.trimEnd()}
          {suggestion.hint ? <Text dimColor> {suggestion.hint}</Text> : null}
        </Text>
      ))}
      {problem ? (
        <Text color="red" wrap="truncate-end">
          {problem}
        </Text>
      ) : null}
    </Box>
  );
}
