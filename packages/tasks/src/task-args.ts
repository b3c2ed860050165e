/**
 * Task arguments as Rally's CLI takes them: `--task-args-file` (a YAML/JSON mapping) and
 * `--task-args` (a YAML/JSON mapping, or `k=v,k2=v2`), merged with the latter winning.
 * Unlike Rally, values in the `k=v` form are typed as YAML reads them (`times=10` is a number).
 */
import { TaskFileUnloadable } from "@paddock/shared/errors";
import { load } from "js-yaml";
import { describeType, isMapping } from "./task-structure.js";
import type { TaskArgs } from "./template-renderer.js";
import { parseYamlText, TASK_YAML_SCHEMA } from "./yaml-document.js";

function invalid(source: string, message: string, cause?: unknown): never {
  throw new TaskFileUnloadable(`${source}: ${message}`, { cause, problems: [{ path: source, message }] });
}

/** A `k=v` value typed as YAML reads it; text that is not a YAML scalar stays text. */
function typedValue(raw: string): unknown {
  const text = raw.trim();
  if (text === "") return "";
  try {
    return load(text, { schema: TASK_YAML_SCHEMA });
  } catch {
    return text;
  }
}

function parsePairs(value: string, source: string): Record<string, unknown> | undefined {
  const pairs = value.split(",").filter((pair) => pair.trim() !== "");
  if (pairs.length === 0 || pairs.some((pair) => !pair.includes("="))) return undefined;
  const args: Record<string, unknown> = {};
  for (const pair of pairs) {
    const index = pair.indexOf("=");
    const key = pair.slice(0, index).trim();
    if (key === "") invalid(source, `'${pair.trim()}' has no name before '='`);
    args[key] = typedValue(pair.slice(index + 1));
  }
  return args;
}

/**
 * Parses `--task-args`: a YAML or JSON mapping (`{times: 10}`, `times: 10`), or `k=v,k2=v2`.
 * Throws `TaskFileUnloadable` naming `source` when it is neither.
 */
export function parseTaskArgs(value: string, source = "--task-args"): Record<string, unknown> {
  if (value.trim() === "") return {};
  let parsed: unknown;
  let parseError: unknown;
  try {
    parsed = parseYamlText(value, source);
  } catch (error) {
    parseError = error;
  }
  if (parseError === undefined && (parsed === null || isMapping(parsed))) return { ...(parsed ?? {}) };
  const pairs = parsePairs(value, source);
  if (pairs) return pairs;
  if (parseError !== undefined) {
    invalid(
      source,
      `has to be a YAML or JSON mapping, or k=v,k2=v2: ${(parseError as Error).message}`,
      parseError,
    );
  }
  invalid(source, `has to be a YAML or JSON mapping, or k=v,k2=v2, not ${describeType(parsed)}`);
}

/** Parses the text of a `--task-args-file`: a YAML or JSON mapping. */
export function parseTaskArgsFile(text: string, path: string): Record<string, unknown> {
  const parsed = parseYamlText(text, path);
  if (parsed === null) return {};
  if (!isMapping(parsed)) invalid(path, `has to be a YAML or JSON mapping, not ${describeType(parsed)}`);
  return { ...parsed };
}

/** Merges argument layers in order, later ones winning (args file first, then `--task-args`). */
export function mergeTaskArgs(...layers: ReadonlyArray<TaskArgs | undefined>): Record<string, unknown> {
  return Object.assign({}, ...layers.filter((layer) => layer !== undefined));
}
