/**
 * The top two lines: the screens (the active one highlighted) and the stack's health — ● ready,
 * ◐ answers but a dependency is missing, ✗ does not answer, ○ not known yet (readable without
 * color) — then a rule carrying the breadcrumbs (`Scenarios › dummy › Dummy …`). Below 100
 * columns the screen titles and health are written compactly.
 */
import { Box, Text } from "ink";
import type { Readiness } from "../../api/clients.js";
import { truncate } from "../../format/numbers.js";
import type { Health } from "../hooks/use-health.js";
import { SCREENS, type ScreenId } from "../keymap.js";

export interface HeaderProps {
  readonly screen: ScreenId;
  readonly health: Health;
  readonly width: number;
  /** Where the user is, outermost first, e.g. `["Scenarios", "dummy"]`. */
  readonly crumbs: readonly string[];
}

function dot(state: Readiness | boolean | undefined): { color: string; mark: string } {
  if (state === undefined) return { color: "gray", mark: "○" };
  if (state === true || state === "ok") return { color: "green", mark: "●" };
  if (state === "degraded") return { color: "yellow", mark: "◐" };
  return { color: "red", mark: "✗" };
}

export function Header({ screen, health, width, crumbs }: HeaderProps) {
  const compact = width < 100;
  const items = [
    ["NATS", health.nats],
    ["catalog", health.catalog],
    ["runner", health.runner],
    ["results", health.results],
  ] as const;
  const trail = crumbs.length > 0 ? `─ ${truncate(crumbs.join(" › "), Math.max(0, width - 4))} ` : "";
  return (
    <Box flexDirection="column" width={width}>
      <Box justifyContent="space-between">
        <Box>
          <Text bold color="magenta">
            Paddock{" "}
          </Text>
          {SCREENS.map((item, index) => (
            <Text key={item.id} inverse={item.id === screen} bold={item.id === screen}>
              {` ${index + 1} ${compact ? item.short : item.title} `}
            </Text>
          ))}
        </Box>
        <Box>
          {items.map(([name, state]) => {
            const { color, mark } = dot(state);
            return (
              <Text key={name}>
                {" "}
                <Text color={color}>{mark}</Text>
                {compact ? "" : " "}
                {name}
              </Text>
            );
          })}
        </Box>
      </Box>
      <Text>
        <Text bold>{trail}</Text>
        <Text dimColor>{"─".repeat(Math.max(0, width - [...trail].length))}</Text>
      </Text>
    </Box>
  );
}
