/**
 * The start form's data, as plain functions: a field per declared template argument (prefilled
 * with its default), then the environment and the tags. Typed values are read like YAML scalars
 * would be (`100` is a number, `true` a boolean, `[1, 2]` a list, anything else a string).
 */
import type { ScenarioArg, StartTaskRequest } from "@paddock/shared/api";
import type { ProblemDetail } from "@paddock/shared/errors";

export interface StartFormState {
  /** Text typed per argument name. */
  readonly values: Readonly<Record<string, string>>;
  /** Index into the environments offered. */
  readonly environment: number;
  /** Comma- or space-separated. */
  readonly tags: string;
  /** Index of the focused field: the arguments, then environment, then tags. */
  readonly focus: number;
}

/** How a default is written in its field: strings bare, everything else as JSON. */
export function formatArgValue(value: unknown): string {
  if (value === undefined) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Reads a field's text: JSON when it parses (numbers, booleans, null, lists, maps), else the text. */
export function parseArgValue(text: string): unknown {
  const trimmed = text.trim();
  try {
    return JSON.parse(trimmed);
  } catch {
    return text;
  }
}

export function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "list";
  if (typeof value === "object") return "map";
  return typeof value;
}

export function initialForm(args: readonly ScenarioArg[], environments: readonly string[]): StartFormState {
  const local = environments.indexOf("local");
  return {
    values: Object.fromEntries(args.map((arg) => [arg.name, formatArgValue(arg.default)])),
    environment: Math.max(0, local),
    tags: "",
    focus: 0,
  };
}

/** A problem with one field found without asking the runner. */
export function localProblem(arg: ScenarioArg, text: string): string | undefined {
  if (text.trim() === "") return arg.required ? "required: this scenario has no default for it" : undefined;
  if (arg.default === undefined) return undefined;
  const expected = typeName(arg.default);
  const actual = typeName(parseArgValue(text));
  if (expected === actual || (expected === "number" && actual === "number")) return undefined;
  return `a ${actual}, but the default (${formatArgValue(arg.default)}) is a ${expected}`;
}

/** The runner's problems about `name`: its path ends in it, or the message names it. */
export function problemsOf(name: string, problems: readonly ProblemDetail[]): ProblemDetail[] {
  const word = new RegExp(`(^|[^A-Za-z0-9_])${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}([^A-Za-z0-9_]|$)`);
  return problems.filter((problem) => problem.path?.split(".").at(-1) === name || word.test(problem.message));
}

export function splitTags(text: string): string[] {
  return text
    .split(/[,\s]+/)
    .map((tag) => tag.trim())
    .filter(Boolean);
}

/** The request the form starts (and validates): empty optional fields fall back to the defaults. */
export function startRequest(
  scenarioId: string,
  args: readonly ScenarioArg[],
  form: StartFormState,
  environments: readonly string[],
): StartTaskRequest {
  const values: Record<string, unknown> = {};
  for (const arg of args) {
    const text = form.values[arg.name] ?? "";
    if (text.trim() !== "") values[arg.name] = parseArgValue(text);
  }
  const environment = environments[form.environment];
  const tags = splitTags(form.tags);
  return {
    scenarioId,
    args: values,
    ...(environment ? { environment } : {}),
    ...(tags.length > 0 ? { tags } : {}),
  };
}
