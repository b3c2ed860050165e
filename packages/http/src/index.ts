export { bearerFetch } from "./bearer-fetch.js";
export {
  createHttpMetrics,
  type HttpMetrics,
  registerProcessMetrics,
  UNMATCHED_ROUTE,
} from "./http-metrics.js";
export { createLogger, type Logger } from "./logger.js";
export {
  COLLECT_TIMEOUT_MS,
  type Counter,
  createMetricsRegistry,
  DEFAULT_SECONDS_BUCKETS,
  EXPOSITION_CONTENT_TYPE,
  escapeHelp,
  escapeLabelValue,
  formatValue,
  type Gauge,
  type Histogram,
  type HistogramOptions,
  type LabelValues,
  MetricDefinitionInvalid,
  type MetricsRegistry,
  processRegistry,
} from "./metrics.js";
export { type RunningService, type RunOptions, runService } from "./run-service.js";
export { createService, errorBody, type ServiceApp, type ServiceOptions } from "./service.js";
