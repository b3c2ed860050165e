/**
 * A small metrics registry and its Prometheus text exposition (format 0.0.4). Services declare
 * counters, gauges and histograms here; `GET /metrics` (see `service.ts`) renders them.
 *
 * Declaring a metric twice with the same type and label names returns the first declaration, so
 * several apps in one process (tests) share it; a different type or label set is an error.
 */

/** Label values of one sample, by label name. */
export type LabelValues<L extends string> = Readonly<Record<L, string>>;

export interface Counter<L extends string = never> {
  /** Adds `value` (default 1, never negative). */
  inc(labels?: LabelValues<L>, value?: number): void;
  /** The current value for `labels` (0 when never incremented). */
  get(labels?: LabelValues<L>): number;
}

export interface Gauge<L extends string = never> {
  set(labels: LabelValues<L> | undefined, value: number): void;
  inc(labels?: LabelValues<L>, value?: number): void;
  dec(labels?: LabelValues<L>, value?: number): void;
  get(labels?: LabelValues<L>): number;
  /** Forgets every label set (a gauge recomputed from scratch at each scrape). */
  reset(): void;
}

export interface Histogram<L extends string = never> {
  /** Records one observation, in the unit the metric's name says (seconds for `_seconds`). */
  observe(labels: LabelValues<L> | undefined, value: number): void;
  /** Observations so far for `labels`: count and sum. */
  get(labels?: LabelValues<L>): { readonly count: number; readonly sum: number };
}

export interface HistogramOptions<L extends string> {
  readonly labelNames?: readonly L[];
  /** Upper bounds of the buckets, increasing; `+Inf` is added. Default `DEFAULT_SECONDS_BUCKETS`. */
  readonly buckets?: readonly number[];
}

export interface MetricsRegistry {
  counter<L extends string = never>(name: string, help: string, labelNames?: readonly L[]): Counter<L>;
  gauge<L extends string = never>(name: string, help: string, labelNames?: readonly L[]): Gauge<L>;
  histogram<L extends string = never>(
    name: string,
    help: string,
    options?: HistogramOptions<L>,
  ): Histogram<L>;
  /**
   * Runs `collect` before every exposition (to set gauges from current state). A collector that
   * throws or takes longer than `COLLECT_TIMEOUT_MS` is skipped for that scrape; the metrics
   * it sets keep their previous values.
   */
  onCollect(collect: () => void | Promise<void>): void;
  /** The text exposition of every metric, families in declaration order. */
  expose(): Promise<string>;
}

/** The `Content-Type` of the text exposition. */
export const EXPOSITION_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** Latency buckets in seconds, 1 ms to 10 s. */
export const DEFAULT_SECONDS_BUCKETS: readonly number[] = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/** Longest a collector may take at one scrape, in milliseconds. */
export const COLLECT_TIMEOUT_MS = 2000;

export class MetricDefinitionInvalid extends Error {
  override name = "MetricDefinitionInvalid";
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

type Kind = "counter" | "gauge" | "histogram";

interface Family {
  readonly name: string;
  readonly help: string;
  readonly kind: Kind;
  readonly labelNames: readonly string[];
  readonly buckets: readonly number[];
  readonly handle: unknown;
  render(lines: string[]): void;
}

/** `\` and newline escaped, as HELP text needs. */
export function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

/** `\`, `"` and newline escaped, as a label value needs. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** A sample value as the text format spells it (`+Inf`, `-Inf`, `NaN`, else the number). */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(value);
}

function labelText(names: readonly string[], values: readonly string[], extra?: string): string {
  const parts = names.map((name, index) => `${name}="${escapeLabelValue(values[index] ?? "")}"`);
  if (extra !== undefined) parts.push(extra);
  return parts.length === 0 ? "" : `{${parts.join(",")}}`;
}

/** Label values in declaration order; names not declared, or missing, are an error. */
function valuesOf(family: { name: string; labelNames: readonly string[] }, labels: object | undefined) {
  const given = (labels ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!family.labelNames.includes(key))
      throw new MetricDefinitionInvalid(`${family.name} has no label '${key}'`);
  }
  return family.labelNames.map((name) => {
    const value = given[name];
    if (typeof value !== "string")
      throw new MetricDefinitionInvalid(`${family.name} needs a string value for label '${name}'`);
    return value;
  });
}

function checkNames(name: string, labelNames: readonly string[], kind: Kind): void {
  if (!METRIC_NAME.test(name)) throw new MetricDefinitionInvalid(`'${name}' is not a valid metric name`);
  if (kind === "counter" && !name.endsWith("_total"))
    throw new MetricDefinitionInvalid(`counter '${name}' must end in _total`);
  const seen = new Set<string>();
  for (const label of labelNames) {
    if (!LABEL_NAME.test(label) || label.startsWith("__"))
      throw new MetricDefinitionInvalid(`'${label}' is not a valid label name (metric ${name})`);
    if (kind === "histogram" && label === "le")
      throw new MetricDefinitionInvalid(`histogram ${name} cannot have a label named 'le'`);
    if (seen.has(label)) throw new MetricDefinitionInvalid(`${name} declares label '${label}' twice`);
    seen.add(label);
  }
}

function header(lines: string[], family: { name: string; help: string; kind: Kind }): void {
  lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`);
  lines.push(`# TYPE ${family.name} ${family.kind}`);
}

function scalarFamily(
  name: string,
  help: string,
  kind: "counter" | "gauge",
  labelNames: readonly string[],
): Family {
  const series = new Map<string, { values: readonly string[]; value: number }>();
  const meta = { name, labelNames };
  const entry = (labels: object | undefined) => {
    const values = valuesOf(meta, labels);
    const key = JSON.stringify(values);
    let current = series.get(key);
    if (current === undefined) {
      current = { values, value: 0 };
      series.set(key, current);
    }
    return current;
  };
  const add = (labels: object | undefined, value: number) => {
    if (!Number.isFinite(value)) throw new MetricDefinitionInvalid(`${name}: cannot add ${value}`);
    if (kind === "counter" && value < 0)
      throw new MetricDefinitionInvalid(`counter ${name} cannot decrease (inc by ${value})`);
    entry(labels).value += value;
  };
  const get = (labels: object | undefined) => series.get(JSON.stringify(valuesOf(meta, labels)))?.value ?? 0;
  const handle =
    kind === "counter"
      ? ({ inc: (labels, value = 1) => add(labels, value), get } satisfies Counter<string>)
      : ({
          set: (labels, value) => {
            entry(labels).value = value;
          },
          inc: (labels, value = 1) => add(labels, value),
          dec: (labels, value = 1) => add(labels, -value),
          get,
          reset: () => series.clear(),
        } satisfies Gauge<string>);
  return {
    name,
    help,
    kind,
    labelNames,
    buckets: [],
    handle,
    render(lines) {
      header(lines, this);
      if (series.size === 0 && labelNames.length === 0) lines.push(`${name} 0`);
      for (const { values, value } of series.values()) {
        lines.push(`${name}${labelText(labelNames, values)} ${formatValue(value)}`);
      }
    },
  };
}

function histogramFamily(
  name: string,
  help: string,
  labelNames: readonly string[],
  buckets: readonly number[],
): Family {
  for (let index = 0; index < buckets.length; index += 1) {
    const bound = buckets[index] as number;
    if (!Number.isFinite(bound) || (index > 0 && bound <= (buckets[index - 1] as number)))
      throw new MetricDefinitionInvalid(`histogram ${name}: buckets must be finite and increasing`);
  }
  interface Series {
    readonly values: readonly string[];
    readonly counts: number[];
    count: number;
    sum: number;
  }
  const series = new Map<string, Series>();
  const meta = { name, labelNames };
  const handle: Histogram<string> = {
    observe(labels, value) {
      if (Number.isNaN(value)) throw new MetricDefinitionInvalid(`${name}: cannot observe NaN`);
      const values = valuesOf(meta, labels);
      const key = JSON.stringify(values);
      let current = series.get(key);
      if (current === undefined) {
        current = { values, counts: buckets.map(() => 0), count: 0, sum: 0 };
        series.set(key, current);
      }
      // Buckets are stored non-cumulative and summed at render time.
      const index = buckets.findIndex((bound) => value <= bound);
      if (index >= 0) current.counts[index] = (current.counts[index] ?? 0) + 1;
      current.count += 1;
      current.sum += value;
    },
    get(labels) {
      const current = series.get(JSON.stringify(valuesOf(meta, labels)));
      return { count: current?.count ?? 0, sum: current?.sum ?? 0 };
    },
  };
  const renderSeries = (lines: string[], current: Series) => {
    let cumulative = 0;
    buckets.forEach((bound, index) => {
      cumulative += current.counts[index] ?? 0;
      lines.push(
        `${name}_bucket${labelText(labelNames, current.values, `le="${formatValue(bound)}"`)} ${cumulative}`,
      );
    });
    lines.push(`${name}_bucket${labelText(labelNames, current.values, 'le="+Inf"')} ${current.count}`);
    lines.push(`${name}_sum${labelText(labelNames, current.values)} ${formatValue(current.sum)}`);
    lines.push(`${name}_count${labelText(labelNames, current.values)} ${current.count}`);
  };
  return {
    name,
    help,
    kind: "histogram",
    labelNames,
    buckets,
    handle,
    render(lines) {
      header(lines, this);
      if (series.size === 0 && labelNames.length === 0) {
        renderSeries(lines, { values: [], counts: buckets.map(() => 0), count: 0, sum: 0 });
      }
      for (const current of series.values()) renderSeries(lines, current);
    },
  };
}

export function createMetricsRegistry(): MetricsRegistry {
  const families = new Map<string, Family>();
  const collectors: (() => void | Promise<void>)[] = [];

  const declare = (
    name: string,
    kind: Kind,
    labelNames: readonly string[],
    make: () => Family,
    buckets: readonly number[] = [],
  ): unknown => {
    const existing = families.get(name);
    if (existing !== undefined) {
      const same =
        existing.kind === kind &&
        existing.labelNames.join(",") === labelNames.join(",") &&
        existing.buckets.join(",") === buckets.join(",");
      if (!same)
        throw new MetricDefinitionInvalid(
          `metric ${name} is already declared as a ${existing.kind} with labels [${existing.labelNames.join(", ")}]`,
        );
      return existing.handle;
    }
    checkNames(name, labelNames, kind);
    const family = make();
    families.set(name, family);
    return family.handle;
  };

  return {
    counter<L extends string = never>(name: string, help: string, labelNames: readonly L[] = []) {
      return declare(name, "counter", labelNames, () =>
        scalarFamily(name, help, "counter", labelNames),
      ) as Counter<L>;
    },
    gauge<L extends string = never>(name: string, help: string, labelNames: readonly L[] = []) {
      return declare(name, "gauge", labelNames, () =>
        scalarFamily(name, help, "gauge", labelNames),
      ) as Gauge<L>;
    },
    histogram<L extends string = never>(name: string, help: string, options: HistogramOptions<L> = {}) {
      const labelNames = options.labelNames ?? [];
      const buckets = options.buckets ?? DEFAULT_SECONDS_BUCKETS;
      return declare(
        name,
        "histogram",
        labelNames,
        () => histogramFamily(name, help, labelNames, buckets),
        buckets,
      ) as Histogram<L>;
    },
    onCollect(collect) {
      collectors.push(collect);
    },
    async expose() {
      await Promise.all(collectors.map((collect) => runCollector(collect)));
      const lines: string[] = [];
      for (const family of families.values()) family.render(lines);
      return `${lines.join("\n")}\n`;
    },
  };
}

async function runCollector(collect: () => void | Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.resolve().then(collect),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, COLLECT_TIMEOUT_MS);
      }),
    ]);
  } catch {
    // A failing collector leaves its metrics as they were; the scrape still answers.
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The registry of this process. `createService` serves it unless given another, so a service's
 * `main.ts` declares its own metrics here without threading a registry through `buildApp`.
 */
export const processRegistry: MetricsRegistry = createMetricsRegistry();
