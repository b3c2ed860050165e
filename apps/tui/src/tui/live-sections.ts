/**
 * The live screen's detail of one workload, in sections (`]`/`[` switch) drawn as plain lines:
 * latency (recent p95 sparkline, the last window's percentiles, schedule lag), the latency
 * histogram since the start, the atomic actions, the SLA lights, the runners of a distributed
 * workload, and errors with hooks. A section only appears once the runner reports its data.
 */
import type { LatencyHistogram, SlaResult } from "@paddock/shared/events";
import { bucketBounds, histogramCount, histogramPercentile } from "@paddock/shared/histogram";
import { formatLatency, formatRate, truncate } from "../format/numbers.js";
import type { LiveWorkload, RunnerShare } from "../live/live-task-state.js";
import { blockBar, sparkline } from "./components/charts.js";

export type LiveSection = "latency" | "histogram" | "atomics" | "sla" | "runners" | "events";

export const LIVE_SECTIONS: readonly { readonly id: LiveSection; readonly title: string }[] = [
  { id: "latency", title: "Latency" },
  { id: "histogram", title: "Histogram" },
  { id: "atomics", title: "Atomics" },
  { id: "sla", title: "SLA" },
  { id: "runners", title: "Runners" },
  { id: "events", title: "Errors & hooks" },
];

/** How a piece of a line is coloured. */
export type Tone = "title" | "good" | "bad" | "warn" | "dim" | "accent";

export interface Segment {
  readonly text: string;
  readonly tone?: Tone;
}

/** One line of a section: coloured pieces, cut to the width by whoever draws it. */
export interface LiveLine {
  readonly key: string;
  readonly segments: readonly Segment[];
}

const line = (key: string, ...segments: Segment[]): LiveLine => ({ key, segments });

/** The sections this workload has data for, in order. */
export function liveSections(workload: LiveWorkload): LiveSection[] {
  return LIVE_SECTIONS.map((section) => section.id).filter((id) => {
    if (id === "histogram") return workload.histogram !== null;
    if (id === "atomics") return workload.atomics.length > 0;
    if (id === "runners") return workload.shares.length > 0;
    return true;
  });
}

/** The section after (`step` 1) or before (-1) `current` among the available ones. */
export function stepSection(workload: LiveWorkload, current: LiveSection, step: 1 | -1): LiveSection {
  const sections = liveSections(workload);
  const index = Math.max(0, sections.indexOf(current));
  return sections[(index + step + sections.length) % sections.length] as LiveSection;
}

/** The verdicts to show: the final ones once the workload finished, else the live ones. */
export function slaVerdicts(workload: LiveWorkload): readonly SlaResult[] {
  return workload.status === "finished" && workload.slaResults.length > 0
    ? workload.slaResults
    : workload.liveSla;
}

const PERCENTILES = ["p50", "p90", "p95", "p99", "max"] as const;

function lagLine(workload: LiveWorkload): LiveLine | undefined {
  const lag = workload.scheduleLag;
  if (lag === null) return undefined;
  return line(
    "lag",
    { text: "lag ", tone: "dim" },
    {
      text: `p50 ${formatLatency(lag.p50)} · p99 ${formatLatency(lag.p99)} · max ${formatLatency(lag.max)}`,
      tone: lag.p99 > 0.001 ? "warn" : undefined,
    },
    { text: ` · ${lag.late.toLocaleString("en-US")} started late`, tone: lag.late > 0 ? "warn" : "dim" },
  );
}

function latencyLines(workload: LiveWorkload, width: number, rows: number): LiveLine[] {
  const { latency } = workload;
  const lag = lagLine(workload);
  if (latency === null) {
    return [line("none", { text: "No latency yet: waiting for the first progress report.", tone: "dim" })];
  }
  const history = workload.p95History;
  const low = history.length > 0 ? Math.min(...history) : latency.p95;
  const high = history.length > 0 ? Math.max(...history) : latency.p95;
  const spark = line(
    "spark",
    { text: "p95 ", tone: "dim" },
    { text: sparkline(history, Math.max(4, width - 30)), tone: "accent" },
    { text: ` ${formatLatency(low)}–${formatLatency(high)} (${history.length} s)`, tone: "dim" },
  );
  const barWidth = Math.max(4, width - 16);
  const bars = PERCENTILES.map((name) =>
    line(
      name,
      { text: name.padEnd(4), tone: "dim" },
      {
        text: blockBar(latency[name], latency.max, barWidth).padEnd(barWidth),
        tone: name === "max" ? "warn" : "good",
      },
      { text: ` ${formatLatency(latency[name]).padStart(9)}` },
    ),
  );
  return [spark, ...(lag ? [lag] : []), ...bars].slice(0, Math.max(1, rows));
}

/** Groups of adjacent histogram buckets, at most `groups` of them, from the lowest to the highest non-empty bucket. */
export function histogramRows(
  histogram: LatencyHistogram,
  groups: number,
): { low: number; high: number; count: number }[] {
  const { buckets } = histogram;
  const first = buckets[0];
  const last = buckets.at(-1);
  if (first === undefined || last === undefined || groups <= 0) return [];
  const span = last[0] - first[0] + 1;
  const size = Math.ceil(span / groups);
  const rows: { low: number; high: number; count: number }[] = [];
  for (let start = first[0]; start <= last[0]; start += size) {
    const end = Math.min(last[0], start + size - 1);
    rows.push({ low: bucketBounds(start)[0], high: bucketBounds(end)[1], count: 0 });
  }
  for (const [index, count] of buckets) {
    const row = rows[Math.floor((index - first[0]) / size)];
    if (row) row.count += count;
  }
  return rows;
}

function histogramLines(workload: LiveWorkload, width: number, rows: number): LiveLine[] {
  const histogram = workload.histogram;
  if (histogram === null) return [line("none", { text: "No histogram reported yet.", tone: "dim" })];
  const total = histogramCount(histogram);
  const header = line(
    "header",
    { text: `${total.toLocaleString("en-US")} iterations since the start`, tone: "dim" },
    {
      text: ` · p50 ${formatLatency(histogramPercentile(histogram, 0.5))} · p99 ${formatLatency(histogramPercentile(histogram, 0.99))}`,
    },
  );
  const groups = histogramRows(histogram, Math.max(1, rows - 1));
  const peak = Math.max(1, ...groups.map((group) => group.count));
  const countWidth = Math.max(...groups.map((group) => group.count.toLocaleString("en-US").length));
  const barWidth = Math.max(4, width - 12 - countWidth - 2);
  return [
    header,
    ...groups.map((group) =>
      line(
        `bucket-${group.low}`,
        { text: `${formatLatency(group.low).padStart(9)} `, tone: "dim" },
        { text: blockBar(group.count, peak, barWidth).padEnd(barWidth), tone: "accent" },
        { text: ` ${group.count.toLocaleString("en-US").padStart(countWidth)}` },
      ),
    ),
  ];
}

function atomicLines(workload: LiveWorkload, width: number, rows: number): LiveLine[] {
  const numbers = 8 + 8 + 10 + 10 + 10;
  const nameWidth = Math.max(8, Math.min(40, width - numbers));
  const cell = (text: string, size: number) => text.padStart(size);
  const header = line("header", {
    text: `${"action".padEnd(nameWidth)}${cell("count", 8)}${cell("failed", 8)}${cell("p50", 10)}${cell("p95", 10)}${cell("max", 10)}`,
    tone: "dim",
  });
  const body = workload.atomics.map((atomic) =>
    line(
      `atomic-${atomic.name}`,
      {
        text: `${truncate(atomic.name, nameWidth).padEnd(nameWidth)}${cell(atomic.count.toLocaleString("en-US"), 8)}`,
      },
      { text: cell(atomic.failed.toLocaleString("en-US"), 8), tone: atomic.failed > 0 ? "bad" : undefined },
      {
        text: `${cell(formatLatency(histogramPercentile(atomic.histogram, 0.5)), 10)}${cell(formatLatency(histogramPercentile(atomic.histogram, 0.95)), 10)}${cell(formatLatency(histogramPercentile(atomic.histogram, 1)), 10)}`,
      },
    ),
  );
  const shown = Math.max(1, rows - 1);
  const more =
    body.length > shown ? [line("more", { text: `… ${body.length - shown + 1} more`, tone: "dim" })] : [];
  return [header, ...(more.length > 0 ? body.slice(0, shown - 1) : body), ...more];
}

function slaLines(workload: LiveWorkload, width: number): LiveLine[] {
  const verdicts = slaVerdicts(workload);
  if (verdicts.length === 0) {
    return [
      line("none", {
        text:
          workload.status === "finished"
            ? "No SLA criteria."
            : "No SLA verdict yet: the runner reports each criterion as iterations arrive.",
        tone: "dim",
      }),
    ];
  }
  const final = workload.status === "finished";
  return verdicts.flatMap((result) => {
    const head: Segment[] = [
      { text: "● ", tone: result.success ? "good" : "bad" },
      { text: result.criterion, tone: result.success ? undefined : "bad" },
      { text: final ? "" : " (so far)", tone: "dim" },
    ];
    const headLength = head.reduce((sum, segment) => sum + segment.text.length, 0);
    // The detail beside the criterion when it fits, else on its own line below.
    if (headLength + 1 + result.detail.length <= width) {
      return [line(`sla-${result.criterion}`, ...head, { text: ` ${result.detail}`, tone: "dim" })];
    }
    return [
      line(`sla-${result.criterion}`, ...head),
      line(`sla-${result.criterion}-detail`, { text: `  ${result.detail}`, tone: "dim" }),
    ];
  });
}

function shareState(share: RunnerShare): Segment {
  if (share.state === "lost") return { text: "✗ LOST".padEnd(10), tone: "bad" };
  if (share.state === "finished") return { text: "✓ done".padEnd(10), tone: "good" };
  return { text: "● running".padEnd(10), tone: "accent" };
}

function runnerLines(workload: LiveWorkload, width: number): LiveLine[] {
  const idWidth = Math.max(8, Math.min(38, width - 50));
  const cell = (text: string, size: number) => text.padStart(size);
  const header = line("header", {
    text: `${"runner".padEnd(idWidth)} ${"state".padEnd(10)}${cell("done", 9)}${cell("failed", 8)}${cell("in flight", 10)}${cell("rate", 11)}`,
    tone: "dim",
  });
  return [
    header,
    ...workload.shares.flatMap((share) => [
      line(
        `share-${share.runnerId}`,
        {
          text: `${truncate(share.runnerId, idWidth).padEnd(idWidth)} `,
          tone: share.state === "lost" ? "bad" : undefined,
        },
        shareState(share),
        { text: cell(share.completed.toLocaleString("en-US"), 9) },
        { text: cell(share.failed.toLocaleString("en-US"), 8), tone: share.failed > 0 ? "bad" : undefined },
        { text: `${cell(String(share.inFlight), 10)}${cell(formatRate(share.rate), 11)}` },
      ),
      ...(workload.lostReasons[share.runnerId]
        ? [
            line(`lost-${share.runnerId}`, {
              text: `  ${workload.lostReasons[share.runnerId]}`,
              tone: "bad" as const,
            }),
          ]
        : []),
    ]),
  ];
}

function eventLines(workload: LiveWorkload): LiveLine[] {
  const errors = Object.entries(workload.errorsByType).sort((a, b) => b[1] - a[1]);
  const lines: LiveLine[] = [
    errors.length === 0
      ? line("errors", { text: "No errors", tone: "dim" })
      : line("errors", {
          text: `Errors: ${errors.map(([type, count]) => `${type} ×${count}`).join(" · ")}`,
          tone: "bad",
        }),
  ];
  for (const [index, hook] of [...workload.hooks].reverse().entries()) {
    const ok = hook.status === "success";
    lines.push(
      line(`hook-${index}`, {
        text: `Hook #${hook.hookIndex} ${hook.action || "hook"} ${ok ? "✓" : "✗"} at ${hook.trigger} (${hook.duration.toFixed(2)} s)${hook.error ? `: ${hook.error}` : ""}`,
        tone: ok ? undefined : "bad",
      }),
    );
  }
  if (workload.hooks.length === 0 && workload.hookActions.length > 0) {
    lines.push(
      line("hooks", { text: `${workload.hookActions.length} hook(s), none fired yet`, tone: "dim" }),
    );
  }
  return lines;
}

/** The lines of `section` for a panel `width` wide and `rows` tall (a section may return fewer). */
export function liveSectionLines(
  workload: LiveWorkload,
  section: LiveSection,
  width: number,
  rows: number,
): LiveLine[] {
  switch (section) {
    case "latency":
      return latencyLines(workload, width, rows);
    case "histogram":
      return histogramLines(workload, width, rows);
    case "atomics":
      return atomicLines(workload, width, rows);
    case "sla":
      return slaLines(workload, width);
    case "runners":
      return runnerLines(workload, width);
    case "events":
      return eventLines(workload);
  }
}

/**
 * One line to read at a glance whatever section is shown: a lost runner first, then a light per
 * SLA criterion, then the schedule lag of a rate runner.
 */
export function glanceLine(workload: LiveWorkload): LiveLine {
  const segments: Segment[] = [];
  const lost = workload.shares.filter((share) => share.state === "lost");
  if (lost.length > 0) {
    segments.push({
      text: `✗ ${lost.length === 1 ? `runner ${lost[0]?.runnerId} LOST` : `${lost.length} runners LOST`}  `,
      tone: "bad",
    });
  }
  const verdicts = slaVerdicts(workload);
  if (verdicts.length > 0) {
    segments.push({ text: "SLA", tone: "dim" });
    for (const result of verdicts) {
      segments.push({ text: " ●", tone: result.success ? "good" : "bad" });
      segments.push({ text: ` ${result.criterion}`, tone: result.success ? "dim" : "bad" });
    }
  } else {
    segments.push({ text: "SLA: no verdict yet", tone: "dim" });
  }
  if (workload.shares.length > 0 && lost.length === 0) {
    segments.push({ text: `  · ${workload.shares.length} runners`, tone: "dim" });
  }
  const lag = workload.scheduleLag;
  if (lag !== null) {
    segments.push({ text: `  · lag p99 ${formatLatency(lag.p99)}`, tone: lag.late > 0 ? "warn" : "dim" });
  }
  return line("glance", ...segments);
}
