/**
 * Renders a task file as a Jinja2 template with task args, the way Rally does: includes relative
 * to the task's folder, Rally's globals, Jinja2's default whitespace handling (so a line of the
 * output is the same line of the file), and a missing argument named before anything renders.
 *
 * The engine (`@huggingface/jinja`) interprets the template and exposes no JavaScript objects,
 * so a template cannot reach the process (`range.constructor(...)` is just undefined).
 */
import { Environment, Interpreter } from "@huggingface/jinja";
import type { ScenarioArg } from "@paddock/shared/api";
import { TaskFileUnloadable } from "@paddock/shared/errors";
import { TEMPLATE_FUNCTIONS } from "./template-globals.js";
import { expandIncludes } from "./template-includes.js";
import {
  normalizeFilterAliases,
  parseTemplate,
  type TemplateProgram,
  templateVariables,
} from "./template-variables.js";

/** Task arguments: names to YAML/JSON values. */
export type TaskArgs = Readonly<Record<string, unknown>>;

export interface RenderOptions {
  /** Folder `{% include %}` names are relative to: the task file's folder. */
  readonly baseDir?: string | undefined;
}

const HAS_TEMPLATE = /\{\{|\{%|\{#/;

const CONSTANTS = { true: true, false: false, none: null, True: true, False: false, None: null };

/** A parsed template and the arguments it uses. */
export interface AnalysedTemplate {
  readonly program: TemplateProgram | undefined;
  readonly args: ScenarioArg[];
}

/** Expands includes and parses the template; `program` is undefined for plain text. */
export function analyseTemplate(text: string, path: string, options: RenderOptions = {}): AnalysedTemplate {
  if (!HAS_TEMPLATE.test(text)) return { program: undefined, args: [] };
  const source = expandIncludes(text, { path, baseDir: options.baseDir });
  let program: TemplateProgram;
  try {
    program = parseTemplate(source);
  } catch (error) {
    throw new TaskFileUnloadable(
      `${path}: the task template has a syntax error: ${(error as Error).message}`,
      {
        cause: error,
        problems: [{ path, message: `template syntax error: ${(error as Error).message}` }],
      },
    );
  }
  return { program, args: templateVariables(program) };
}

/**
 * Every template argument the file uses, in order of first use, with its default when the file
 * declares one as a literal (`{% set x = x or 5 %}`, `x | default(5)`); `required` when it has
 * none. Throws `TaskFileUnloadable` when the template cannot be parsed.
 */
export function declaredArgs(text: string, options: RenderOptions & { path?: string } = {}): ScenarioArg[] {
  return analyseTemplate(text, options.path ?? "<task>", options).args;
}

/** The message Rally prints for arguments a template needs and did not get. */
export function missingArgsMessage(names: readonly string[]): string {
  return names.length === 1
    ? `Please specify template task argument: ${names[0]}`
    : `Please specify next template task arguments: ${names.join(", ")}`;
}

/** Renders `text` with `args`. Throws `TaskFileUnloadable` (Rally's exit 117) on any failure. */
export function renderTemplate(
  text: string,
  args: TaskArgs,
  path: string,
  options: RenderOptions = {},
): string {
  const { program, args: used } = analyseTemplate(text, path, options);
  if (!program) return text;
  const missing = used.filter((arg) => arg.required && !Object.hasOwn(args, arg.name)).map((arg) => arg.name);
  if (missing.length > 0) {
    const message = missingArgsMessage(missing);
    throw new TaskFileUnloadable(`${path}: ${message}`, {
      problems: missing.map((name) => ({ path: `args.${name}`, message: missingArgsMessage([name]) })),
    });
  }
  normalizeFilterAliases(program);
  try {
    const globals = new Environment();
    for (const [name, value] of Object.entries({ ...CONSTANTS, ...TEMPLATE_FUNCTIONS }))
      globals.set(name, value);
    const scope = new Environment(globals);
    for (const [name, value] of Object.entries(args)) scope.set(name, value);
    const result = new Interpreter(scope).run(program);
    return String(result.value ?? "");
  } catch (error) {
    const message = (error as Error).message;
    throw new TaskFileUnloadable(`${path}: cannot render the task template: ${message}`, {
      cause: error,
      problems: [{ path, message: `cannot render the task template: ${message}` }],
    });
  }
}
