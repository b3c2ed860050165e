/**
 * A strict reader of the Prometheus text exposition format (0.0.4), for tests: every line must be
 * a HELP, a TYPE or a sample of the family declared just before it; label values must be quoted
 * with only `\\`, `\"` and `\n` escapes; a histogram's buckets must be cumulative and end with
 * `le="+Inf"` equal to its `_count`. Throws naming the line that breaks a rule.
 */

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly type: string;
  readonly samples: Sample[];
}

const NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
const HELP_LINE = new RegExp(`^# HELP (${NAME}) (.*)$`);
const TYPE_LINE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
const SAMPLE_LINE = new RegExp(`^(${NAME})(\\{.*\\})? (\\S+)$`);

function parseValue(text: string, line: number): number {
  if (text === "+Inf") return Number.POSITIVE_INFINITY;
  if (text === "-Inf") return Number.NEGATIVE_INFINITY;
  if (text === "NaN") return Number.NaN;
  if (!/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text))
    throw new Error(`line ${line}: bad value '${text}'`);
  return Number(text);
}

function parseLabels(text: string, line: number): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text.slice(1, -1);
  while (rest.length > 0) {
    const name = /^([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(rest);
    if (!name?.[1]) throw new Error(`line ${line}: bad label at '${rest}'`);
    let index = name[0].length;
    let value = "";
    for (;;) {
      const char = rest[index];
      if (char === undefined) throw new Error(`line ${line}: unterminated label value`);
      if (char === '"') break;
      if (char === "\n") throw new Error(`line ${line}: raw newline in a label value`);
      if (char === "\\") {
        const next = rest[index + 1];
        if (next === "\\") value += "\\";
        else if (next === '"') value += '"';
        else if (next === "n") value += "\n";
        else throw new Error(`line ${line}: bad escape '\\${next}' in a label value`);
        index += 2;
        continue;
      }
      value += char;
      index += 1;
    }
    if (name[1] in labels) throw new Error(`line ${line}: label ${name[1]} repeated`);
    labels[name[1]] = value;
    rest = rest.slice(index + 1);
    if (rest.startsWith(",")) rest = rest.slice(1);
    else if (rest.length > 0) throw new Error(`line ${line}: expected ',' between labels`);
  }
  return labels;
}

function unescapeHelp(text: string, line: number): string {
  return text.replace(/\\(.)/g, (_match, next: string) => {
    if (next === "\\") return "\\";
    if (next === "n") return "\n";
    throw new Error(`line ${line}: bad escape '\\${next}' in HELP`);
  });
}

function belongs(family: MetricFamily, sample: string): boolean {
  if (family.type !== "histogram") return sample === family.name;
  return [`${family.name}_bucket`, `${family.name}_sum`, `${family.name}_count`].includes(sample);
}

function checkHistogram(family: MetricFamily): void {
  const series = new Map<string, Sample[]>();
  for (const sample of family.samples) {
    const { le: _le, ...rest } = sample.labels;
    const key = JSON.stringify(rest);
    series.set(key, [...(series.get(key) ?? []), sample]);
  }
  for (const [key, samples] of series) {
    const buckets = samples.filter((s) => s.name.endsWith("_bucket"));
    const count = samples.find((s) => s.name === `${family.name}_count`);
    const sum = samples.find((s) => s.name === `${family.name}_sum`);
    if (!count || !sum) throw new Error(`${family.name}${key}: _sum and _count are required`);
    const last = buckets.at(-1);
    if (last?.labels.le !== "+Inf")
      throw new Error(`${family.name}${key}: the last bucket must be le="+Inf"`);
    if (last.value !== count.value) throw new Error(`${family.name}${key}: le="+Inf" differs from _count`);
    for (let index = 1; index < buckets.length; index += 1) {
      const previous = buckets[index - 1] as Sample;
      const current = buckets[index] as Sample;
      if (parseValue(current.labels.le ?? "", 0) <= parseValue(previous.labels.le ?? "", 0))
        throw new Error(`${family.name}${key}: bucket bounds must increase`);
      if (current.value < previous.value) throw new Error(`${family.name}${key}: buckets must be cumulative`);
    }
  }
}

export function parseExposition(text: string): Map<string, MetricFamily> {
  if (!text.endsWith("\n")) throw new Error("the exposition must end with a newline");
  const families = new Map<string, MetricFamily>();
  let help: { name: string; text: string } | undefined;
  let current: MetricFamily | undefined;
  text
    .slice(0, -1)
    .split("\n")
    .forEach((raw, index) => {
      const line = index + 1;
      const helpMatch = HELP_LINE.exec(raw);
      if (helpMatch) {
        const name = helpMatch[1] as string;
        if (families.has(name)) throw new Error(`line ${line}: family ${name} appears twice`);
        help = { name, text: unescapeHelp(helpMatch[2] as string, line) };
        current = undefined;
        return;
      }
      const typeMatch = TYPE_LINE.exec(raw);
      if (typeMatch) {
        const name = typeMatch[1] as string;
        if (help?.name !== name) throw new Error(`line ${line}: TYPE ${name} without its HELP just before`);
        current = { name, help: help.text, type: typeMatch[2] as string, samples: [] };
        families.set(name, current);
        help = undefined;
        return;
      }
      const sampleMatch = SAMPLE_LINE.exec(raw);
      if (!sampleMatch) throw new Error(`line ${line}: not a HELP, TYPE or sample line: '${raw}'`);
      const name = sampleMatch[1] as string;
      if (!current || !belongs(current, name))
        throw new Error(`line ${line}: sample ${name} outside its family`);
      current.samples.push({
        name,
        labels: sampleMatch[2] ? parseLabels(sampleMatch[2], line) : {},
        value: parseValue(sampleMatch[3] as string, line),
      });
    });
  for (const family of families.values()) if (family.type === "histogram") checkHistogram(family);
  return families;
}
