/**
 * The selected workload in depth: a title rule, a line to read at a glance (lost runners, a light
 * per SLA criterion, schedule lag), the section tabs (`]`/`[`), then the chosen section (see
 * `live-sections.ts`). From 120 columns on, the SLA and the errors and hooks stand beside it.
 * Sections drop rows from the bottom when `height` is short.
 */
import { Box, Text } from "ink";
import { truncate } from "../../format/numbers.js";
import { workloadLabel } from "../../live/event-lines.js";
import type { LiveWorkload } from "../../live/live-task-state.js";
import {
  glanceLine,
  LIVE_SECTIONS,
  type LiveLine,
  type LiveSection,
  liveSectionLines,
  liveSections,
  type Tone,
} from "../live-sections.js";

export interface WorkloadDetailProps {
  readonly workload: LiveWorkload;
  /** The section shown; the first available one when this workload has no data for it. */
  readonly section: LiveSection;
  readonly width: number;
  /** Rows it may use. */
  readonly height: number;
}

const TONES: Record<Tone, { color?: string; dimColor?: boolean; bold?: boolean }> = {
  title: { bold: true, color: "cyan" },
  good: { color: "green" },
  bad: { color: "red", bold: true },
  warn: { color: "yellow" },
  dim: { dimColor: true },
  accent: { color: "cyan" },
};

/** Draws lines, each cut to `width`. */
export function Lines({ lines, width }: { lines: readonly LiveLine[]; width: number }) {
  return (
    <Box flexDirection="column" width={width}>
      {lines.map((item) => {
        let room = width;
        return (
          <Text key={item.key} wrap="truncate-end">
            {item.segments.map((segment, index) => {
              const text = truncate(segment.text, room);
              room -= [...text].length;
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: segments are positional.
                <Text key={index} {...(segment.tone ? TONES[segment.tone] : {})}>
                  {text}
                </Text>
              );
            })}
          </Text>
        );
      })}
    </Box>
  );
}

export function WorkloadDetail({ workload, section, width, height }: WorkloadDetailProps) {
  const wide = width >= 120;
  const available = liveSections(workload);
  const shown = available.includes(section) ? section : "latency";
  const title = `${workloadLabel(workload)} ${workload.scenario || "…"} · ${workload.runner || "…"}${workload.subtaskTitle ? ` — ${workload.subtaskTitle}` : ""}`;
  const shownTitle = truncate(title, width - 4);
  const body = Math.max(0, height - 3);
  const leftWidth = wide ? Math.floor(width * 0.55) : width;
  const rightWidth = width - leftWidth - 2;
  const lines = liveSectionLines(workload, shown, leftWidth, body).slice(0, body);
  const side = wide
    ? (["sla", "events"] as const)
        .filter((id) => id !== shown)
        .flatMap((id) => liveSectionLines(workload, id, rightWidth, body))
        .slice(0, body)
    : [];
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate-end">
        ─ {shownTitle} {"─".repeat(Math.max(0, width - [...shownTitle].length - 3))}
      </Text>
      {height >= 2 ? <Lines lines={[glanceLine(workload)]} width={width} /> : null}
      {height >= 3 ? (
        <Text wrap="truncate-end">
          {LIVE_SECTIONS.filter((item) => available.includes(item.id)).map((item) => (
            <Text key={item.id} inverse={item.id === shown} bold={item.id === shown}>
              {` ${item.title} `}
            </Text>
          ))}
        </Text>
      ) : null}
      <Box flexDirection="row">
        <Lines lines={lines} width={leftWidth} />
        {wide ? <Box width={2} /> : null}
        {wide ? <Lines lines={side} width={rightWidth} /> : null}
      </Box>
    </Box>
  );
}
