export {
  computeDurationStatistics,
  DurationStatisticsBuilder,
  type IterationSummary,
  NO_NAME_ACTION,
  type OrderKey,
  type StatisticsInput,
  summarizeIteration,
} from "./duration-statistics.js";
export {
  type DigestSink,
  digestBytes,
  digestIterations,
  digestValues,
  type IterationDigest,
  replayDigest,
} from "./iteration-digest.js";
export { type MergedAtomic, mergeAtomicActions } from "./merge-atomic-actions.js";
export { percentile } from "./percentile.js";
export { formatFixed, roundPython } from "./python-number.js";
export {
  computeWorkloadFigures,
  type TimedIteration,
  type WorkloadFigures,
  WorkloadFiguresCollector,
} from "./workload-figures.js";
