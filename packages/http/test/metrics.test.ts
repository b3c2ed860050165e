import { describe, expect, it } from "vitest";
import { createLogger } from "../src/logger.js";
import { createMetricsRegistry, MetricDefinitionInvalid } from "../src/metrics.js";
import { runService } from "../src/run-service.js";
import { createService } from "../src/service.js";
import { parseExposition } from "./exposition-parser.js";

describe("the text exposition", () => {
  it("writes HELP and TYPE before each family's samples, and a zero for an untouched plain metric", async () => {
    const registry = createMetricsRegistry();
    registry.counter("things_done_total", "Things done.");
    registry.gauge("queue_depth", "Items waiting.").set(undefined, 7);
    const text = await registry.expose();
    expect(text).toBe(
      [
        "# HELP things_done_total Things done.",
        "# TYPE things_done_total counter",
        "things_done_total 0",
        "# HELP queue_depth Items waiting.",
        "# TYPE queue_depth gauge",
        "queue_depth 7",
        "",
      ].join("\n"),
    );
  });

  it("escapes backslash, quote and newline in label values, and backslash and newline in HELP", async () => {
    const registry = createMetricsRegistry();
    const counter = registry.counter("odd_total", 'Help with a \\ backslash,\na newline and "quotes".', [
      "path",
    ]);
    counter.inc({ path: 'C:\\dir\\"x"\nnext' }, 2);
    const text = await registry.expose();
    expect(text).toContain('# HELP odd_total Help with a \\\\ backslash,\\na newline and "quotes".');
    expect(text).toContain('odd_total{path="C:\\\\dir\\\\\\"x\\"\\nnext"} 2');
    const family = parseExposition(text).get("odd_total");
    expect(family?.help).toBe('Help with a \\ backslash,\na newline and "quotes".');
    expect(family?.samples[0]?.labels.path).toBe('C:\\dir\\"x"\nnext');
  });

  it('writes a histogram as cumulative _bucket lines ending in le="+Inf", then _sum and _count', async () => {
    const registry = createMetricsRegistry();
    const histogram = registry.histogram("op_seconds", "Operation time.", {
      labelNames: ["op"],
      buckets: [0.1, 0.5, 1],
    });
    for (const value of [0.05, 0.1, 0.3, 0.7, 3]) histogram.observe({ op: "read" }, value);
    const text = await registry.expose();
    expect(text).toContain(
      [
        'op_seconds_bucket{op="read",le="0.1"} 2',
        'op_seconds_bucket{op="read",le="0.5"} 3',
        'op_seconds_bucket{op="read",le="1"} 4',
        'op_seconds_bucket{op="read",le="+Inf"} 5',
        'op_seconds_sum{op="read"} 4.15',
        'op_seconds_count{op="read"} 5',
      ].join("\n"),
    );
    expect(parseExposition(text).get("op_seconds")?.samples).toHaveLength(6);
  });

  it("writes an empty label-less histogram with every bucket at zero", async () => {
    const registry = createMetricsRegistry();
    registry.histogram("idle_seconds", "Nothing yet.", { buckets: [1] });
    expect(await registry.expose()).toContain(
      'idle_seconds_bucket{le="1"} 0\nidle_seconds_bucket{le="+Inf"} 0\nidle_seconds_sum 0\nidle_seconds_count 0\n',
    );
  });

  it("spells infinite and NaN gauge values the way Prometheus reads them", async () => {
    const registry = createMetricsRegistry();
    const gauge = registry.gauge("edge", "Edge values.", ["case"]);
    gauge.set({ case: "up" }, Number.POSITIVE_INFINITY);
    gauge.set({ case: "down" }, Number.NEGATIVE_INFINITY);
    gauge.set({ case: "none" }, Number.NaN);
    const text = await registry.expose();
    expect(text).toContain('edge{case="up"} +Inf\nedge{case="down"} -Inf\nedge{case="none"} NaN\n');
    parseExposition(text);
  });

  it("refuses bad names, undeclared labels, a decreasing counter and a conflicting redeclaration", () => {
    const registry = createMetricsRegistry();
    expect(() => registry.gauge("bad-name", "x")).toThrow(MetricDefinitionInvalid);
    expect(() => registry.counter("no_suffix", "x")).toThrow(/must end in _total/);
    expect(() => registry.gauge("g", "x", ["__reserved"])).toThrow(/not a valid label name/);
    expect(() => registry.histogram("h_seconds", "x", { labelNames: ["le"] })).toThrow(/'le'/);
    expect(() => registry.histogram("h2_seconds", "x", { buckets: [1, 1] })).toThrow(/increasing/);
    const counter = registry.counter("c_total", "x", ["kind"]);
    expect(() => counter.inc({ kind: "a" }, -1)).toThrow(/cannot decrease/);
    expect(() => counter.inc({ other: "a" } as never)).toThrow(/has no label 'other'/);
    expect(() => counter.inc()).toThrow(/needs a string value for label 'kind'/);
    expect(registry.counter("c_total", "x", ["kind"])).toBe(counter);
    expect(() => registry.gauge("c_total", "x", ["kind"])).toThrow(/already declared as a counter/);
  });

  it("runs collectors before each exposition and survives one that fails", async () => {
    const registry = createMetricsRegistry();
    const gauge = registry.gauge("collected", "Set at scrape.");
    let scrapes = 0;
    registry.onCollect(() => {
      scrapes += 1;
      gauge.set(undefined, scrapes);
    });
    registry.onCollect(async () => {
      throw new Error("down");
    });
    await registry.expose();
    expect(await registry.expose()).toContain("collected 2\n");
  });
});

async function service(apiToken?: string) {
  const metrics = createMetricsRegistry();
  const app = await createService({
    name: "test",
    version: "0.0.0",
    description: "test service",
    logger: createLogger("test", "silent"),
    apiToken,
    readiness: () => ({ nats: true }),
    metrics,
  });
  app.get("/things/:id", async () => ({ ok: true }));
  return { app, metrics };
}

describe("GET /metrics", () => {
  it("serves HTTP request counts and latency by route pattern and status, and the process figures", async () => {
    const { app } = await service();
    await app.inject({ method: "GET", url: "/things/1" });
    await app.inject({ method: "GET", url: "/things/2?x=1" });
    await app.inject({ method: "GET", url: "/nowhere/at/all" });
    const response = await app.inject({ method: "GET", url: "/metrics" });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("text/plain; version=0.0.4; charset=utf-8");
    const families = parseExposition(response.body);
    const requests = families.get("paddock_http_requests_total");
    expect(requests?.type).toBe("counter");
    expect(requests?.samples).toContainEqual({
      name: "paddock_http_requests_total",
      labels: { method: "GET", route: "/things/:id", status: "200" },
      value: 2,
    });
    expect(requests?.samples).toContainEqual({
      name: "paddock_http_requests_total",
      labels: { method: "GET", route: "unmatched", status: "404" },
      value: 1,
    });
    const latency = families.get("paddock_http_request_duration_seconds");
    expect(latency?.type).toBe("histogram");
    const count = latency?.samples.find(
      (s) => s.name === "paddock_http_request_duration_seconds_count" && s.labels.route === "/things/:id",
    );
    expect(count?.value).toBe(2);
    for (const name of [
      "process_cpu_seconds_total",
      "process_resident_memory_bytes",
      "nodejs_heap_size_used_bytes",
      "nodejs_eventloop_lag_p99_seconds",
    ]) {
      expect(families.get(name)?.samples[0]?.value, name).toBeGreaterThanOrEqual(0);
    }
    expect(families.get("process_resident_memory_bytes")?.samples[0]?.value).toBeGreaterThan(1_000_000);
  });

  it("serves the service's own metrics from the same registry", async () => {
    const { app, metrics } = await service();
    metrics.counter("paddock_test_widgets_total", "Widgets made.", ["color"]).inc({ color: "red" }, 3);
    const body = (await app.inject({ method: "GET", url: "/metrics" })).body;
    expect(parseExposition(body).get("paddock_test_widgets_total")?.samples).toEqual([
      { name: "paddock_test_widgets_total", labels: { color: "red" }, value: 3 },
    ]);
  });

  it("needs the bearer token like every route but health and readiness", async () => {
    const { app } = await service("s3cret");
    expect((await app.inject({ method: "GET", url: "/metrics" })).statusCode).toBe(401);
    expect((await app.inject({ method: "GET", url: "/readyz" })).statusCode).toBe(200);
    const authorised = await app.inject({
      method: "GET",
      url: "/metrics",
      headers: { authorization: "Bearer s3cret" },
    });
    expect(authorised.statusCode).toBe(200);
    const families = parseExposition(authorised.body);
    // The refused scrape is itself counted, with its status.
    expect(families.get("paddock_http_requests_total")?.samples).toContainEqual({
      name: "paddock_http_requests_total",
      labels: { method: "GET", route: "/metrics", status: "401" },
      value: 1,
    });
  });
});

describe("runService", () => {
  it("refuses a non-loopback bind without an API token, before starting anything", async () => {
    let started = false;
    const previous = process.exitCode;
    try {
      await runService({
        name: "test",
        host: "0.0.0.0",
        port: 0,
        logger: createLogger("test", "silent"),
        start: async () => {
          started = true;
          throw new Error("must not start");
        },
      });
      expect(started).toBe(false);
      expect(process.exitCode).toBe(2);
    } finally {
      process.exitCode = previous;
    }
  });
});
