/**
 * Reading a rendered task (YAML, of which JSON is a subset) the way Rally's loader does: one
 * document, duplicate keys refused with Rally's wording, YAML 1.1 booleans (`yes`/`no`/`on`/`off`)
 * as PyYAML reads them, merge keys (`<<: *defaults`). Also maps each value's path
 * (`subtasks[0].runner`) to its line, so a structural problem can name the line it is on.
 */
import { type ProblemDetail, TaskFileUnloadable } from "@paddock/shared/errors";
import {
  CORE_SCHEMA,
  defineScalarTag,
  EVENT_ID,
  type Event,
  getScalarValue,
  load,
  mergeTag,
  NOT_RESOLVED,
  parseEvents,
  YAMLException,
} from "js-yaml";

const PYYAML_TRUE = new Set(["yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]);
const PYYAML_FALSE = new Set(["no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]);

/** PyYAML's (YAML 1.1) booleans; `y`/`n` stay strings, as they do for PyYAML. */
const pyyamlBool = defineScalarTag<boolean>("tag:yaml.org,2002:bool", {
  implicit: true,
  implicitFirstChars: ["y", "Y", "t", "T", "o", "O", "n", "N", "f", "F"],
  resolve: (source) => {
    if (PYYAML_TRUE.has(source)) return true;
    if (PYYAML_FALSE.has(source)) return false;
    return NOT_RESOLVED;
  },
  identify: (data) => typeof data === "boolean",
  represent: (data) => (data ? "true" : "false"),
});

/** The schema task files and task args are read with. */
export const TASK_YAML_SCHEMA = CORE_SCHEMA.withTags(pyyamlBool, mergeTag);

/**
 * Reads YAML/JSON text into a value; empty text (or only comments) is `null`. Throws
 * `TaskFileUnloadable` naming the file and line.
 */
export function parseYamlText(text: string, path: string): unknown {
  if (isOnlyComments(text)) return null;
  try {
    return load(text, { schema: TASK_YAML_SCHEMA, filename: path });
  } catch (error) {
    if (!(error instanceof YAMLException)) {
      const message = (error as Error).message;
      throw new TaskFileUnloadable(`${path}: ${message}`, { cause: error, problems: [{ path, message }] });
    }
    const mark = error.mark as { line?: number; column?: number; position?: number } | undefined;
    const line = typeof mark?.line === "number" ? mark.line + 1 : undefined;
    let message = error.reason;
    if (message === "duplicated mapping key") {
      const key = typeof mark?.position === "number" ? keyAt(text, mark.position) : undefined;
      message = key === undefined ? "a key is redefined" : `the key (${key}) is redefined`;
    }
    const problem: ProblemDetail = line === undefined ? { path, message } : { path, line, message };
    throw new TaskFileUnloadable(`${path}${line === undefined ? "" : `:${line}`}: ${message}`, {
      cause: error,
      problems: [problem],
    });
  }
}

function isOnlyComments(text: string): boolean {
  return text.split("\n").every((line) => /^\s*(#.*)?$/.test(line) || /^\s*(---|\.\.\.)\s*$/.test(line));
}

/** The scalar key starting at `position` (a duplicate key js-yaml points at). */
function keyAt(text: string, position: number): string | undefined {
  try {
    for (const event of parseEvents(text, {})) {
      if (event.type !== EVENT_ID.SCALAR) continue;
      const starts = [event.valueStart, event.anchorStart, event.tagStart];
      // Quoted keys start one character before their value.
      if (starts.includes(position) || event.valueStart === position + 1) return getScalarValue(text, event);
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** Joins a mapping key onto a path: `subtasks[0]` + `runner` → `subtasks[0].runner`. */
export function childPath(parent: string, key: string): string {
  return parent === "" ? key : `${parent}.${key}`;
}

/** Joins a list index onto a path: `subtasks` + 0 → `subtasks[0]`. */
export function itemPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}

interface Frame {
  readonly kind: "mapping" | "sequence" | "document";
  readonly path: string;
  index: number;
  /** In a mapping: the path of the value that follows the key just read. */
  valuePath: string | undefined;
}

/**
 * Line (1-based) of every value's path in the YAML text: for a mapping entry, the line of its
 * key. The root is `""`. Returns an empty map when the text is not YAML.
 */
export function yamlLineIndex(text: string): ReadonlyMap<string, number> {
  const lines = new Map<string, number>();
  let events: Event[];
  try {
    events = parseEvents(text, {});
  } catch {
    return lines;
  }
  const lineStarts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lineStarts.push(i + 1);
  const lineOf = (offset: number): number => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
  const stack: Frame[] = [];
  const place = (offset: number, scalarKey?: string): string | undefined => {
    const parent = stack.at(-1);
    if (!parent) return undefined;
    let path: string | undefined;
    if (parent.kind === "document") {
      path = "";
    } else if (parent.kind === "sequence") {
      path = itemPath(parent.path, parent.index);
      parent.index += 1;
    } else if (parent.index % 2 === 0) {
      parent.index += 1;
      parent.valuePath = scalarKey === undefined ? undefined : childPath(parent.path, scalarKey);
      if (parent.valuePath !== undefined && offset >= 0 && !lines.has(parent.valuePath)) {
        lines.set(parent.valuePath, lineOf(offset));
      }
      return undefined;
    } else {
      parent.index += 1;
      return parent.valuePath;
    }
    if (path !== undefined && offset >= 0 && !lines.has(path)) lines.set(path, lineOf(offset));
    return path;
  };
  for (const event of events) {
    switch (event.type) {
      case EVENT_ID.DOCUMENT:
        stack.push({ kind: "document", path: "", index: 0, valuePath: undefined });
        break;
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        const path = place(event.start) ?? "\u0000";
        stack.push({
          kind: event.type === EVENT_ID.MAPPING ? "mapping" : "sequence",
          path,
          index: 0,
          valuePath: undefined,
        });
        break;
      }
      case EVENT_ID.SCALAR: {
        const start = event.valueStart >= 0 ? event.valueStart : Math.max(event.anchorStart, event.tagStart);
        place(start, getScalarValue(text, event));
        break;
      }
      case EVENT_ID.ALIAS:
        place(event.anchorStart);
        break;
      case EVENT_ID.POP:
        stack.pop();
        break;
    }
  }
  return lines;
}
