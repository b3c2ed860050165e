/**
 * The bottom line: the keys valid in the current mode (from the keymap), or a message.
 */
import { Box, Text } from "ink";
import { footerEntries, type Mode } from "../keymap.js";

export interface FooterProps {
  readonly mode: Mode;
  readonly width: number;
  /** Shown instead of the message line's blank; e.g. `Started task 1f2e…`. */
  readonly message?: { readonly text: string; readonly tone: "info" | "error" } | undefined;
}

export function Footer({ mode, width, message }: FooterProps) {
  return (
    <Box flexDirection="column" width={width}>
      <Text dimColor>{"─".repeat(Math.max(0, width))}</Text>
      {message ? (
        <Text color={message.tone === "error" ? "red" : "cyan"} wrap="truncate-end">
          {message.text}
        </Text>
      ) : (
        <Text wrap="truncate-end">
          {footerEntries(mode).map((entry, index) => (
            <Text key={entry.label}>
              {index > 0 ? "  " : ""}
              <Text bold>{entry.keys}</Text> {entry.label}
            </Text>
          ))}
        </Text>
      )}
    </Box>
  );
}
