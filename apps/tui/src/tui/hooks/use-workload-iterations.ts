/**
 * A workload's iterations for the report's charts and failures: every stored one up to
 * `ALL_LIMIT`, beyond that an even sample of `SAMPLE_PAGES` pages spread over the workload.
 */
import type { ReportsApi } from "../../api/reports-client.js";
import type { IterationSample } from "../report-sections.js";
import { type AsyncState, useAsync } from "./use-async.js";

/** Workloads with at most this many stored iterations are read whole. */
export const ALL_LIMIT = 5000;
const PAGE = 1000;
const SAMPLE_PAGES = 20;
const SAMPLE_PAGE = 100;

export async function readIterationSample(
  reports: ReportsApi,
  taskId: string,
  workloadId: string,
  stored: number,
): Promise<IterationSample> {
  const offsets =
    stored <= ALL_LIMIT
      ? Array.from({ length: Math.ceil(stored / PAGE) }, (_, index) => ({
          offset: index * PAGE,
          limit: PAGE,
        }))
      : Array.from({ length: SAMPLE_PAGES }, (_, index) => ({
          offset: Math.floor((index * (stored - SAMPLE_PAGE)) / (SAMPLE_PAGES - 1)),
          limit: SAMPLE_PAGE,
        }));
  const pages = await Promise.all(
    offsets.map(({ offset, limit }) => reports.iterations(taskId, workloadId, offset, limit)),
  );
  return {
    iterations: pages.flatMap((page) => page.iterations),
    total: pages[0]?.total ?? stored,
  };
}

export function useWorkloadIterations(
  reports: ReportsApi,
  taskId: string,
  workload: { readonly id: string; readonly storedIterationCount: number } | undefined,
  enabled: boolean,
): AsyncState<IterationSample> {
  return useAsync(
    () => readIterationSample(reports, taskId, workload?.id ?? "", workload?.storedIterationCount ?? 0),
    [reports, taskId, workload?.id, workload?.storedIterationCount],
    enabled && workload !== undefined,
  );
}
