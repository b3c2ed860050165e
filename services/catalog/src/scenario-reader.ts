/**
 * What the catalog knows about one scenario file: its summary (title, tags, plugins, declared
 * arguments, hash, or the problem that stops it loading) and, when it renders with its own
 * defaults, the parsed task. A file needing arguments it does not default is rendered with
 * placeholders (`<name>`) to learn its title and plugins; a failure there is not reported,
 * because it may be the placeholders' fault rather than the file's.
 */
import { basename } from "node:path";
import type { ScenarioArg, ScenarioProblem, ScenarioSummary } from "@paddock/shared/api";
import { describeError, isPaddockError, type ProblemDetail } from "@paddock/shared/errors";
import type { TaskSpec } from "@paddock/shared/task-model";
import {
  declaredArgs,
  expandIncludes,
  hashText,
  hasIncludes,
  type LoadedTask,
  loadRenderedTask,
  loadTask,
  renderTemplate,
  scenarioPlugins,
} from "@paddock/tasks";

/** A scenario as the library holds it. */
export interface ScenarioEntry {
  readonly summary: ScenarioSummary;
  /** The file's text. */
  readonly raw: string;
  /** The text with its includes expanded, for a file that has any. */
  readonly expanded?: string;
  /** The task rendered with its declared defaults, when it renders without further arguments. */
  readonly parsed?: TaskSpec;
}

/** `create-and-delete_server.yaml` → `Create and delete server`. */
export function titleFromFileName(id: string): string {
  const words = basename(id)
    .replace(/\.(ya?ml|json)$/i, "")
    .replace(/[-_\s]+/g, " ")
    .trim();
  return words === "" ? id : words.charAt(0).toUpperCase() + words.slice(1);
}

/** The problem a load error describes, as `{file, line, message}` without the file prefix. */
export function toProblem(id: string, error: unknown): ScenarioProblem {
  if (!isPaddockError(error)) return { file: id, message: describeError(error) };
  const line = error.problems.find((problem) => problem.line !== undefined)?.line;
  const prefix = new RegExp(`^${id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(:\\d+)?: `);
  const message = error.message.replace(prefix, "");
  return line === undefined ? { file: id, message } : { file: id, line, message };
}

/** Reads a scenario file's text into a catalog entry; never throws. */
export function readScenario(id: string, raw: string, baseDir: string): ScenarioEntry {
  const service = id.split("/")[0] ?? "";
  const base: ScenarioSummary = {
    id,
    service,
    title: titleFromFileName(id),
    description: "",
    tags: [],
    plugins: [],
    args: [],
    hash: hashText(raw),
  };
  let args: ScenarioArg[];
  let expanded: { expanded?: string } = {};
  try {
    if (hasIncludes(raw)) expanded = { expanded: expandIncludes(raw, { path: id, baseDir }) };
    args = declaredArgs(raw, { path: id, baseDir });
  } catch (error) {
    return { summary: { ...base, error: toProblem(id, error) }, raw };
  }
  const required = args.filter((arg) => arg.required);
  let loaded: LoadedTask;
  try {
    if (required.length === 0) {
      loaded = loadTask(raw, { path: id, baseDir });
    } else {
      const placeholders = Object.fromEntries(required.map((arg) => [arg.name, `<${arg.name}>`]));
      let rendered: string;
      try {
        rendered = renderTemplate(raw, placeholders, id, { baseDir });
      } catch {
        return { summary: { ...base, args }, raw, ...expanded };
      }
      loaded = loadRenderedTask(rendered, id);
    }
  } catch (error) {
    return { summary: { ...base, args, error: toProblem(id, error) }, raw, ...expanded };
  }
  const { task } = loaded;
  const summary: ScenarioSummary = {
    ...base,
    title: task.title === "" ? base.title : task.title,
    description: task.description,
    tags: task.tags,
    plugins: scenarioPlugins(task),
    args,
  };
  return required.length === 0 ? { summary, raw, ...expanded, parsed: task } : { summary, raw, ...expanded };
}

/** A load error's problems, each with its path and line; or one problem naming the file. */
export function problemsOf(id: string, error: unknown): ProblemDetail[] {
  if (isPaddockError(error) && error.problems.length > 0) return [...error.problems];
  const { line, message } = toProblem(id, error);
  return line === undefined ? [{ path: id, message }] : [{ path: id, line, message }];
}

/**
 * What stops a scenario text from being saved: it must render with its declared defaults (a
 * file whose arguments have no default is rendered with placeholders) and be a structurally
 * valid task. Empty when it is fine.
 */
export function scenarioTextProblems(id: string, raw: string, baseDir: string): ProblemDetail[] {
  try {
    const required = declaredArgs(raw, { path: id, baseDir }).filter((arg) => arg.required);
    if (required.length === 0) {
      loadTask(raw, { path: id, baseDir });
    } else {
      const placeholders = Object.fromEntries(required.map((arg) => [arg.name, `<${arg.name}>`]));
      loadRenderedTask(renderTemplate(raw, placeholders, id, { baseDir }), id);
    }
    return [];
  } catch (error) {
    return problemsOf(id, error);
  }
}
