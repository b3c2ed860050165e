/**
 * One scenario across tasks over time (`GET /trends`): for every finished workload running it,
 * the total row's percentiles, average, maximum and success rate, and the same per atomic action.
 */
import type { StatsRow, Trend, TrendFigures, TrendPoint } from "@paddock/shared/api";
import type { ResultStore, TaskSummaryRecord } from "../store/result-store.js";
import { atomicRowNames, cellValue, rowsOf } from "./stats-rows.js";

export interface TrendQuery {
  readonly scenario: string;
  readonly environment?: string | undefined;
  readonly tag?: string | undefined;
  /** Most recent tasks to include. */
  readonly limit: number;
}

function figuresOf(row: StatsRow): TrendFigures {
  return {
    median: cellValue(row, "median"),
    p90: cellValue(row, "90%ile"),
    p95: cellValue(row, "95%ile"),
    max: cellValue(row, "max"),
    avg: cellValue(row, "avg"),
    successRate: cellValue(row, "success") ?? 0,
  };
}

export async function scenarioTrend(store: ResultStore, query: TrendQuery): Promise<Trend> {
  const tasks: TaskSummaryRecord[] = [];
  let after: { createdAt: string; id: string } | undefined;
  do {
    const page = await store.listTasks({
      scenario: query.scenario,
      environment: query.environment,
      tag: query.tag,
      limit: Math.min(500, query.limit - tasks.length),
      after,
    });
    tasks.push(...page.tasks);
    after = page.next;
  } while (after !== undefined && tasks.length < query.limit);
  const points: TrendPoint[] = [];
  for (const task of tasks) {
    for (const workload of await store.listWorkloads(task.id)) {
      if (workload.spec.scenario !== query.scenario || workload.statistics === null) continue;
      const rows = rowsOf(workload.statistics);
      const atomics: Record<string, TrendFigures> = {};
      for (const name of atomicRowNames(workload.statistics))
        atomics[name] = figuresOf(rows.get(name) as StatsRow);
      points.push({
        taskId: task.id,
        workloadId: workload.id,
        createdAt: task.createdAt,
        status: task.status,
        iterations: workload.statistics.durations.total.data.iteration_count,
        total: figuresOf(workload.statistics.durations.total.data),
        atomics,
      });
    }
  }
  points.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.taskId.localeCompare(b.taskId));
  return { scenario: query.scenario, points };
}
