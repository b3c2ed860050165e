/**
 * The selected scenario: title, description, plugins, arguments with defaults, and the head of
 * its file; a broken scenario shows its error instead.
 */
import type { ScenarioDetail, ScenarioSummary } from "@paddock/shared/api";
import { Box, Text } from "ink";
import { problemOf } from "../../cli/commands/scenarios.js";
import { wrapText } from "../../format/numbers.js";

export interface ScenarioDetailPaneProps {
  readonly scenario: ScenarioSummary;
  /** The full detail once loaded (must be of the same scenario). */
  readonly detail: ScenarioDetail | undefined;
  readonly width: number;
  readonly height: number;
}

function argText(arg: ScenarioSummary["args"][number]): string {
  return arg.default !== undefined
    ? `${arg.name} = ${JSON.stringify(arg.default)}`
    : `${arg.name} (required)`;
}

export function ScenarioDetailPane({ scenario, detail, width, height }: ScenarioDetailPaneProps) {
  const problem = problemOf(scenario);
  const description = wrapText(scenario.description, width, 3);
  const argLines = Math.min(scenario.args.length, 4);
  const used =
    3 +
    description.length +
    (argLines > 0 ? argLines + 1 : 0) +
    (problem ? 1 + Math.ceil(problem.length / Math.max(1, width)) : 0) +
    1;
  const rawLines =
    detail?.id === scenario.id
      ? detail.raw
          .replace(/\n$/, "")
          .split("\n")
          .map((text, index) => ({ number: index + 1, text }))
      : [];
  const rawRoom = Math.max(0, height - used);
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Text bold wrap="truncate-end">
        {scenario.title || scenario.id}
      </Text>
      <Text dimColor wrap="truncate-end">
        {scenario.id}
        {scenario.tags.length > 0 ? `  #${scenario.tags.join(" #")}` : ""}
      </Text>
      {problem ? (
        <Box flexDirection="column">
          <Text color="red" bold>
            Broken — cannot be loaded:
          </Text>
          <Text color="red" wrap="wrap">
            {problem}
          </Text>
        </Box>
      ) : null}
      {description.map((line) => (
        <Text key={`description-${line}`}>{line}</Text>
      ))}
      <Text wrap="truncate-end">
        <Text color="cyan">Plugins</Text> {scenario.plugins.join(", ") || "—"}
      </Text>
      {argLines > 0 ? (
        <Box flexDirection="column">
          <Text color="cyan">Arguments</Text>
          {scenario.args.slice(0, argLines).map((arg) => (
            <Text key={arg.name} wrap="truncate-end">
              {"  "}
              {argText(arg)}
            </Text>
          ))}
        </Box>
      ) : null}
      {rawRoom > 1 && rawLines.length > 0 ? (
        <Box flexDirection="column" marginTop={1}>
          {rawLines.slice(0, rawRoom - 1).map((line) => (
            <Text key={line.number} dimColor wrap="truncate-end">
              {line.text || " "}
            </Text>
          ))}
        </Box>
      ) : null}
    </Box>
  );
}
