/**
 * `html`: one self-contained report file — inline CSS, a few lines of inline script, SVG charts
 * drawn here, system fonts — that needs no network. Per task: overview, every workload's Rally
 * statistics (nested atomics included), load profile, durations over the iterations, histogram,
 * per-atomic durations, failures with tracebacks, SLA, hooks, contexts, and the input task.
 *
 * Streamed: the head is written first, then each workload's section as soon as its iterations
 * were read. Charts are downsampled (`MAX_POINTS` per series) so the file stays small whatever
 * the iteration count; the figures in the tables are the stored, exact statistics. Every piece
 * of user text is escaped.
 */
import type { StatsNode, StatsRow, WorkloadStatistics } from "@paddock/shared/api";
import type { WorkloadRecord } from "../store/result-store.js";
import type { ExportedTask, ExportSource } from "./export-source.js";
import type { Exporter } from "./exporter.js";
import { REPORT_SCRIPT, REPORT_STYLE } from "./html-assets.js";
import { escapeHtml, histogramChart, lineChart } from "./html-charts.js";
import {
  type DigestBounds,
  MAX_LISTED_FAILURES,
  MAX_POINTS,
  type WorkloadDigest,
  WorkloadDigestCollector,
} from "./html-digest.js";

const e = escapeHtml;

/** Seconds as `1.234 s`, `2 min 3.4 s`, `1 h 2 min`. */
function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Number(seconds.toFixed(3))} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Number((seconds % 60).toFixed(1))} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}

function epochIso(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

function verdict(passed: boolean): string {
  return passed ? '<span class="pass">PASS</span>' : '<span class="fail">FAIL</span>';
}

function json(value: unknown): string {
  return e(JSON.stringify(value, null, 2) ?? "null");
}

function facts(rows: readonly [string, string][]): string {
  return `<dl class="facts">${rows.map(([term, html]) => `<dt>${e(term)}</dt><dd>${html}</dd>`).join("")}</dl>`;
}

function anchor(kind: string, id: string): string {
  return `${kind}-${id.replaceAll(/[^A-Za-z0-9_-]/g, "_")}`;
}

const STAT_COLUMNS = [
  "min",
  "median",
  "90%ile",
  "95%ile",
  "max",
  "avg",
] as const satisfies readonly (keyof StatsRow)[];

function statsRows(node: StatsNode, depth: number): string {
  const cells = STAT_COLUMNS.map((key) => `<td class="num">${e(String(node.data[key]))}</td>`).join("");
  const name = `${"&nbsp;&nbsp;&nbsp;".repeat(depth)}${depth > 0 ? "↳ " : ""}${e(node.display_name)}`;
  return (
    `<tr class="stats-row" data-depth="${depth}"><td>${name}</td>${cells}` +
    `<td class="num">${e(node.data.success)}</td><td class="num">${node.data.iteration_count}</td></tr>` +
    node.children.map((child) => statsRows(child, depth + 1)).join("")
  );
}

function statisticsTable(statistics: WorkloadStatistics): string {
  const head = [
    "Action",
    "Min (s)",
    "Median (s)",
    "90%ile (s)",
    "95%ile (s)",
    "Max (s)",
    "Avg (s)",
    "Success",
    "Count",
  ]
    .map((title) => `<th>${title}</th>`)
    .join("");
  const body =
    statistics.durations.atomics.map((node) => statsRows(node, 0)).join("") +
    statsRows(statistics.durations.total, 0);
  return `<table class="statistics"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function taskOverview(exported: ExportedTask): string {
  const { task, workloads } = exported;
  const duration =
    task.startedAt && task.finishedAt
      ? formatSeconds((Date.parse(task.finishedAt) - Date.parse(task.startedAt)) / 1000)
      : "—";
  const rows: [string, string][] = [
    ["Task id", `<code>${e(task.id)}</code>`],
    ["Status", e(task.status)],
    ["Pass SLA", verdict(task.passSla)],
    ["Environment", e(task.environment || "—")],
    ["Tags", task.tags.map((tag) => `<span class="tag">${e(tag)}</span>`).join("") || "—"],
    ["Created", e(task.createdAt)],
    ["Started", e(task.startedAt ?? "—")],
    ["Finished", e(task.finishedAt ?? "—")],
    ["Duration", e(duration)],
    ["Iterations", `${task.iterations} (${task.failedIterations} failed)`],
  ];
  if (task.description) rows.splice(1, 0, ["Description", e(task.description)]);
  if (task.reason) rows.push(["Reason", e(task.reason)]);
  const workloadRows = workloads
    .map(
      (w) =>
        `<tr><td><a href="#${anchor("workload", w.id)}">${w.subtaskIndex}.${w.position}</a></td><td>${e(w.subtaskTitle)}</td>` +
        `<td>${e(w.spec.scenario)}</td><td>${e(w.spec.runner.type)}</td><td class="num">${w.storedIterationCount}</td>` +
        `<td class="num">${w.storedFailedCount}</td><td class="num">${e(formatSeconds(w.loadDuration))}</td>` +
        `<td class="num">${e(formatSeconds(w.fullDuration))}</td><td>${e(w.status)}</td><td>${verdict(w.passSla)}</td></tr>`,
    )
    .join("");
  return (
    `<h2>${e(task.title || task.id)}</h2>${facts(rows)}` +
    `<h3>Workloads</h3><table class="workloads"><thead><tr><th>#</th><th>Subtask</th><th>Scenario</th><th>Runner</th>` +
    `<th>Iterations</th><th>Failed</th><th>Load duration</th><th>Full duration</th><th>Status</th><th>SLA</th></tr></thead>` +
    `<tbody>${workloadRows || '<tr><td colspan="10" class="empty">No workload ran.</td></tr>'}</tbody></table>`
  );
}

function numberOf(value: number | "n/a"): number | null {
  return typeof value === "number" ? value : null;
}

/** What the digest needs to know before the first iteration; null when a first pass must find it. */
function knownBounds(workload: WorkloadRecord, statistics: WorkloadStatistics): DigestBounds | null {
  const total = statistics.durations.total.data;
  const minDuration = numberOf(total.min);
  const maxDuration = numberOf(total.max);
  if (workload.status !== "finished" || workload.startTime === null || workload.loadDuration <= 0)
    return null;
  if (minDuration === null || maxDuration === null) return null;
  return {
    iterations: workload.storedIterationCount,
    start: workload.startTime,
    span: workload.loadDuration,
    minDuration,
    maxDuration,
  };
}

async function scanBounds(source: ExportSource, workload: WorkloadRecord): Promise<DigestBounds> {
  let iterations = 0;
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  let minDuration = Number.POSITIVE_INFINITY;
  let maxDuration = Number.NEGATIVE_INFINITY;
  for await (const page of source.iterations(workload)) {
    for (const iteration of page) {
      iterations++;
      start = Math.min(start, iteration.timestamp);
      end = Math.max(end, iteration.timestamp + iteration.duration + iteration.idle_duration);
      minDuration = Math.min(minDuration, iteration.duration);
      maxDuration = Math.max(maxDuration, iteration.duration);
    }
  }
  if (iterations === 0) return { iterations: 0, start: 0, span: 0, minDuration: 0, maxDuration: 0 };
  return { iterations, start, span: end - start, minDuration, maxDuration };
}

function charts(digest: WorkloadDigest): string {
  if (digest.iterations === 0) return '<p class="empty">No iterations stored.</p>';
  const sampled = digest.durations.x.length < digest.iterations;
  const durationSeries = [
    {
      name: sampled ? "duration (mean per bucket)" : "duration",
      x: digest.durations.x,
      y: digest.durations.mean,
    },
    ...(sampled
      ? [{ name: "duration (max per bucket)", x: digest.durations.x, y: digest.durations.max }]
      : []),
  ];
  const parts = [
    lineChart(
      [{ name: "iterations in flight", x: digest.loadProfile.x, y: digest.loadProfile.y, area: true }],
      {
        title: "Load profile",
        xLabel: "seconds since the first iteration started",
        yLabel: "iterations in flight",
      },
    ),
    lineChart(durationSeries, { title: "Duration over iterations", xLabel: "iteration", yLabel: "seconds" }),
    digest.histogram
      ? histogramChart(digest.histogram, {
          title: "Duration histogram",
          xLabel: "seconds",
          yLabel: "iterations",
        })
      : "",
    digest.atomics.length > 0
      ? lineChart(
          digest.atomics.map((atomic) => ({ name: atomic.name, x: atomic.series.x, y: atomic.series.mean })),
          { title: "Atomic actions over iterations", xLabel: "iteration", yLabel: "seconds" },
        )
      : "",
  ];
  const note = sampled
    ? `<p class="note">${digest.iterations} iterations charted in ${digest.durations.x.length} buckets (at most ${MAX_POINTS} points per series); the table above is exact.</p>`
    : "";
  return `<div class="charts">${parts.join("")}</div>${note}`;
}

function failures(digest: WorkloadDigest): string {
  if (digest.failed === 0) return "<h4>Failures</h4><p>No failed iterations.</p>";
  const byType = digest.errorTypes
    .map((row) => `<tr><td>${e(row.type)}</td><td class="num">${row.count}</td></tr>`)
    .join("");
  const listed = digest.failures
    .map(
      (failure) =>
        `<details class="failure"><summary>Iteration ${failure.seq} at ${e(epochIso(failure.timestamp))}: ` +
        `<b>${e(failure.type)}</b> ${e(failure.message)}</summary><pre class="traceback">${e(failure.traceback)}</pre></details>`,
    )
    .join("");
  const more =
    digest.failed > digest.failures.length
      ? `<p class="note">The first ${MAX_LISTED_FAILURES} of ${digest.failed} failures are listed.</p>`
      : "";
  return (
    `<h4>Failures (${digest.failed})</h4><table class="error-types"><thead><tr><th>Error type</th><th>Iterations</th></tr></thead>` +
    `<tbody>${byType}</tbody></table>${listed}${more}`
  );
}

function slaTable(workload: WorkloadRecord): string {
  if (workload.slaResults.length === 0) return `<h4>SLA</h4><p class="empty">No SLA verdict.</p>`;
  const rows = workload.slaResults
    .map(
      (sla) =>
        `<tr class="sla-row"><td>${e(sla.criterion)}</td><td>${e(sla.detail)}</td><td>${verdict(sla.success)}</td></tr>`,
    )
    .join("");
  return `<h4>SLA</h4><table class="sla"><thead><tr><th>Criterion</th><th>Detail</th><th>Result</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function hooksSection(workload: WorkloadRecord): string {
  if (workload.spec.hooks.length === 0 && workload.hookResults.length === 0) return "";
  const configured = workload.spec.hooks
    .map(
      (hook, index) =>
        `<tr><td class="num">${index}</td><td>${e(hook.description)}</td><td>${e(hook.action.name)}</td>` +
        `<td><code>${e(JSON.stringify(hook.action.args) ?? "")}</code></td><td>${e(hook.trigger.name)}</td>` +
        `<td><code>${e(JSON.stringify(hook.trigger.args) ?? "")}</code></td></tr>`,
    )
    .join("");
  const results = workload.hookResults
    .map(({ hookIndex, result }) => {
      const output = result.output
        ? `<details><summary>output</summary><pre>${json(result.output)}</pre></details>`
        : "";
      const error = result.error !== undefined ? `<pre class="hook-error">${json(result.error)}</pre>` : "";
      return (
        `<tr class="hook-result"><td class="num">${hookIndex}</td><td>${e(result.triggered_by.event_type)} ${result.triggered_by.value}</td>` +
        `<td>${e(result.status)}</td><td>${e(epochIso(result.started_at))}</td>` +
        `<td class="num">${e(formatSeconds(Math.max(0, result.finished_at - result.started_at)))}</td><td>${error}${output}</td></tr>`
      );
    })
    .join("");
  return (
    `<h4>Hooks</h4><table class="hooks"><thead><tr><th>#</th><th>Description</th><th>Action</th><th>Arguments</th><th>Trigger</th><th>Trigger arguments</th></tr></thead><tbody>${configured}</tbody></table>` +
    `<table class="hook-results"><thead><tr><th>Hook</th><th>Triggered by</th><th>Status</th><th>Started</th><th>Took</th><th>Output / error</th></tr></thead>` +
    `<tbody>${results || '<tr><td colspan="6" class="empty">Not triggered.</td></tr>'}</tbody></table>`
  );
}

function contextsSection(workload: WorkloadRecord): string {
  if (workload.contextsResults.length === 0) return "";
  const rows = workload.contextsResults
    .map(
      (context) =>
        `<tr><td>${e(context.name)}</td><td>${e(context.stage)}</td><td class="num">${e(formatSeconds(Math.max(0, context.finishedAt - context.startedAt)))}</td>` +
        `<td>${context.error.length === 0 ? '<span class="pass">ok</span>' : `<span class="fail">${e(context.error[0])}</span> ${e(context.error[1])}<pre>${e(context.error[2])}</pre>`}</td></tr>`,
    )
    .join("");
  return `<h4>Contexts</h4><table class="contexts"><thead><tr><th>Context</th><th>Stage</th><th>Took</th><th>Result</th></tr></thead><tbody>${rows}</tbody></table>`;
}

async function workloadSection(source: ExportSource, workload: WorkloadRecord): Promise<string> {
  const statistics = await source.statistics(workload);
  const bounds = knownBounds(workload, statistics) ?? (await scanBounds(source, workload));
  const collector = new WorkloadDigestCollector(bounds);
  for await (const page of source.iterations(workload))
    for (const iteration of page) collector.add(iteration);
  const digest = collector.finish();
  const rows: [string, string][] = [
    ["Workload id", `<code>${e(workload.id)}</code>`],
    ["Subtask", e(workload.subtaskTitle)],
    [
      "Runner",
      `${e(workload.spec.runner.type)} <code>${e(JSON.stringify(workload.spec.runner.config) ?? "")}</code>`,
    ],
    ["Status", e(workload.status)],
    ["Started", workload.startTime === null ? "—" : e(epochIso(workload.startTime))],
    ["Iterations", `${workload.storedIterationCount} stored (${workload.storedFailedCount} failed)`],
    ["Load duration", e(formatSeconds(workload.loadDuration))],
    ["Full duration", e(formatSeconds(workload.fullDuration))],
    ["Pass SLA", verdict(workload.passSla)],
  ];
  if (workload.spec.description) rows.splice(1, 0, ["Description", e(workload.spec.description)]);
  return (
    `<section class="workload" id="${anchor("workload", workload.id)}">` +
    `<h3>${workload.subtaskIndex}.${workload.position} ${e(workload.spec.scenario)}</h3>${facts(rows)}` +
    `<h4>Statistics</h4>${statisticsTable(statistics)}` +
    `<h4>Charts</h4>${charts(digest)}` +
    failures(digest) +
    slaTable(workload) +
    hooksSection(workload) +
    contextsSection(workload) +
    `<details><summary>Workload configuration</summary><pre>${json(workload.spec)}</pre></details>` +
    "</section>"
  );
}

function inputSection(exported: ExportedTask): string {
  const { task } = exported;
  const args =
    Object.keys(task.args).length > 0 ? `<h4>Template arguments</h4><pre>${json(task.args)}</pre>` : "";
  return (
    `<section class="input"><h3>Input task</h3>` +
    `<h4>The task that ran</h4><pre class="task-spec">${json(task.task)}</pre>` +
    `<h4>Submitted text${task.source.path ? ` (${e(task.source.path)})` : ""}</h4>` +
    `<pre class="task-input">${e(task.input) || '<span class="empty">(not recorded)</span>'}</pre>${args}</section>`
  );
}

function documentTitle(source: ExportSource): string {
  const titles = source.tasks.map(({ task }) => task.title || task.id);
  return titles.length === 1 ? `${titles[0]} — Paddock report` : `${titles.length} tasks — Paddock report`;
}

async function* render(source: ExportSource): AsyncIterable<string> {
  const title = documentTitle(source);
  yield `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="generator" content="${e(source.producer)}">` +
    `<title>${e(title)}</title><style>${REPORT_STYLE}</style></head><body>` +
    `<header class="top"><h1>${e(title)}</h1><p>Generated ${e(source.generatedAt.toISOString())} by ${e(source.producer)}</p></header>`;
  if (source.tasks.length > 1) {
    const links = source.tasks.map(
      ({ task }) => `<a href="#${anchor("task", task.id)}">${e(task.title || task.id)}</a>`,
    );
    yield `<nav class="tasks">${links.join("")}</nav>`;
  }
  yield "<main>";
  for (const exported of source.tasks) {
    yield `<section class="task" id="${anchor("task", exported.task.id)}">${taskOverview(exported)}`;
    for (const workload of exported.workloads) yield await workloadSection(source, workload);
    yield `${inputSection(exported)}</section>`;
  }
  yield `</main><script>${REPORT_SCRIPT}</script></body></html>\n`;
}

export const htmlExporter: Exporter = {
  contentType: "text/html; charset=utf-8",
  extension: "html",
  render,
};
