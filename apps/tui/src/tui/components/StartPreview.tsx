/**
 * Ctrl-P in the start form: the task that would start — the catalog's render of the scenario
 * with the arguments typed and the runner, contexts and SLA edits applied — as YAML, with the
 * catalog's problems first. Opens at the workloads; scrolls with ↑/↓ and PgUp/PgDn. Ctrl-S asks
 * for an id on the second line and saves the task shown as a new catalog scenario.
 */
import type { ScenarioSummary } from "@paddock/shared/api";
import { Box, Text } from "ink";
import type { Preview, SaveAs } from "../hooks/use-start-form.js";
import { type PreviewLine, renderedLines } from "../start-preview-lines.js";

export interface StartPreviewProps {
  readonly scenario: ScenarioSummary;
  readonly preview: Exclude<Preview, { state: "closed" }>;
  /** The save-as prompt, while open. */
  readonly saveAs?: SaveAs | undefined;
  readonly width: number;
  readonly height: number;
}

function previewLines(preview: Exclude<Preview, { state: "closed" }>): PreviewLine[] {
  if (preview.state === "rendering") return [{ text: "… the catalog is rendering the task" }];
  if (preview.state === "failed") return [{ text: `Cannot render: ${preview.message}`, bad: true }];
  return renderedLines(preview.answer);
}

/** Lines of the task shown in a preview `height` rows tall (below its two title lines). */
export function previewRows(height: number): number {
  return Math.max(1, height - 2);
}

export function StartPreview({ scenario, preview, saveAs, width, height }: StartPreviewProps) {
  const lines = previewLines(preview);
  const rows = previewRows(height);
  const scroll = Math.min(preview.scroll, Math.max(0, lines.length - rows));
  const shown = lines.slice(scroll, scroll + rows);
  const valid = preview.state === "rendered" && preview.answer.valid;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold wrap="truncate-end">
        Preview of {scenario.id}{" "}
        <Text color={valid ? "green" : preview.state === "rendered" ? "red" : undefined} bold={false}>
          {preview.state === "rendered" ? (valid ? "✓ a valid task" : "✗ not a valid task") : ""}
        </Text>
      </Text>
      {saveAs ? (
        <Text wrap="truncate-end">
          <Text color="cyan">Save as new scenario: </Text>
          {saveAs.id}
          {saveAs.saving ? <Text dimColor> saving…</Text> : <Text inverse> </Text>}
        </Text>
      ) : (
        <Text dimColor wrap="truncate-end">
          {lines.length > rows
            ? `lines ${scroll + 1}–${scroll + shown.length} of ${lines.length}`
            : "as the catalog renders it, edits applied"}
        </Text>
      )}
      {shown.map((line, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines are positional.
        <Text key={index} color={line.bad ? "red" : undefined} wrap="truncate-end">
          {line.text}
        </Text>
      ))}
    </Box>
  );
}
