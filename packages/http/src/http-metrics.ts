/**
 * What every service reports without asking: HTTP requests (count and latency by method, route
 * and status) and the process (CPU, memory, event-loop lag).
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { MetricsRegistry } from "./metrics.js";

/** Route label of a request no route matched (so unknown URLs cannot grow the label set). */
export const UNMATCHED_ROUTE = "unmatched";

type HttpLabels = "method" | "route" | "status";

export interface HttpMetrics {
  /** Records one answered request; `seconds` from its arrival to the end of its response. */
  record(method: string, route: string | undefined, status: number, seconds: number): void;
}

export function createHttpMetrics(registry: MetricsRegistry): HttpMetrics {
  const requests = registry.counter<HttpLabels>(
    "paddock_http_requests_total",
    "HTTP requests answered, by method, route pattern and status code.",
    ["method", "route", "status"],
  );
  const duration = registry.histogram<HttpLabels>(
    "paddock_http_request_duration_seconds",
    "Time from a request's arrival to the end of its response, in seconds.",
    { labelNames: ["method", "route", "status"] },
  );
  return {
    record(method, route, status, seconds) {
      const labels = { method, route: route ?? UNMATCHED_ROUTE, status: String(status) };
      requests.inc(labels);
      duration.observe(labels, seconds);
    },
  };
}

const withProcessMetrics = new WeakSet<MetricsRegistry>();

/**
 * CPU seconds, memory and event-loop lag of this process, read at each scrape. The lag figures
 * cover the time since the previous scrape. Declared once per registry.
 */
export function registerProcessMetrics(registry: MetricsRegistry): void {
  if (withProcessMetrics.has(registry)) return;
  withProcessMetrics.add(registry);
  const cpuUser = registry.counter(
    "process_cpu_user_seconds_total",
    "User CPU time spent by this process, in seconds.",
  );
  const cpuSystem = registry.counter(
    "process_cpu_system_seconds_total",
    "System CPU time spent by this process, in seconds.",
  );
  const cpu = registry.counter("process_cpu_seconds_total", "User and system CPU time, in seconds.");
  const resident = registry.gauge("process_resident_memory_bytes", "Resident memory size, in bytes.");
  const start = registry.gauge(
    "process_start_time_seconds",
    "Start time of the process since the Unix epoch, in seconds.",
  );
  const heapUsed = registry.gauge("nodejs_heap_size_used_bytes", "V8 heap in use, in bytes.");
  const heapTotal = registry.gauge("nodejs_heap_size_total_bytes", "V8 heap reserved, in bytes.");
  const external = registry.gauge(
    "nodejs_external_memory_bytes",
    "Memory of C++ objects bound to JavaScript objects (buffers), in bytes.",
  );
  const lagMean = registry.gauge(
    "nodejs_eventloop_lag_mean_seconds",
    "Mean event-loop delay since the previous scrape, in seconds.",
  );
  const lagP99 = registry.gauge(
    "nodejs_eventloop_lag_p99_seconds",
    "99th percentile of the event-loop delay since the previous scrape, in seconds.",
  );
  const lagMax = registry.gauge(
    "nodejs_eventloop_lag_max_seconds",
    "Largest event-loop delay since the previous scrape, in seconds.",
  );

  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  start.set(undefined, Math.round((Date.now() - process.uptime() * 1000) / 1000));

  // CPU counters grow by what was used since the previous scrape (microseconds from Node).
  let counted = { user: 0, system: 0 };
  registry.onCollect(() => {
    const usage = process.cpuUsage();
    const user = Math.max(0, usage.user - counted.user) / 1e6;
    const system = Math.max(0, usage.system - counted.system) / 1e6;
    counted = usage;
    cpuUser.inc(undefined, user);
    cpuSystem.inc(undefined, system);
    cpu.inc(undefined, user + system);
    const memory = process.memoryUsage();
    resident.set(undefined, memory.rss);
    heapUsed.set(undefined, memory.heapUsed);
    heapTotal.set(undefined, memory.heapTotal);
    external.set(undefined, memory.external);
    // The histogram is in nanoseconds; with no sample yet its mean is NaN.
    const seen = delay.count > 0;
    lagMean.set(undefined, seen ? delay.mean / 1e9 : 0);
    lagP99.set(undefined, seen ? delay.percentile(99) / 1e9 : 0);
    lagMax.set(undefined, seen ? delay.max / 1e9 : 0);
    delay.reset();
  });
}
