/**
 * The bottom two lines: a rule that carries the latest message (e.g. `Started task 1f2e…`), and
 * the keys valid in the current mode, from the keymap — the most important ones when they do not
 * all fit the width (`? more` then stands for the help, which lists them all).
 */
import { Box, Text } from "ink";
import { truncate } from "../../format/numbers.js";
import { FOOTER_GAP, footerEntries, type Mode } from "../keymap.js";

export interface FooterProps {
  readonly mode: Mode;
  readonly width: number;
  readonly message?: { readonly text: string; readonly tone: "info" | "error" } | undefined;
}

export function Footer({ mode, width, message }: FooterProps) {
  const text = message ? `─ ${truncate(message.text, Math.max(0, width - 4))} ` : "";
  return (
    <Box flexDirection="column" width={width}>
      <Text>
        {message ? (
          <Text color={message.tone === "error" ? "red" : "cyan"} bold>
            {text}
          </Text>
        ) : null}
        <Text dimColor>{"─".repeat(Math.max(0, width - [...text].length))}</Text>
      </Text>
      <Text wrap="truncate-end">
        {footerEntries(mode, width).map((entry, index) => (
          <Text key={entry.label}>
            {index > 0 ? " ".repeat(FOOTER_GAP) : ""}
            <Text bold>{entry.keys}</Text> {entry.label}
          </Text>
        ))}
      </Text>
    </Box>
  );
}
