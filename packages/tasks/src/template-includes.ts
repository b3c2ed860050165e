/**
 * `{% include "file" %}` for task templates. The template engine has no include statement, so
 * includes are expanded in the text before rendering: each is replaced by the included file's
 * text (itself expanded), which Jinja2 would render in the same context anyway.
 *
 * Like Rally's `FileSystemLoader(<task folder>)`, names are relative to the task file's folder
 * (also inside included files) and cannot leave it: no absolute names, no `..`, no symlink out.
 */
import { readFileSync, realpathSync } from "node:fs";
import { isAbsolute, join, relative, sep } from "node:path";
import { type ProblemDetail, TaskFileUnloadable } from "@paddock/shared/errors";

export interface IncludeOptions {
  /** Folder include names are relative to (the task file's folder). Without it, includes fail. */
  readonly baseDir?: string | undefined;
  /** The task file's name, for error messages. */
  readonly path: string;
}

/** Deepest chain of includes followed before giving up. */
const MAX_INCLUDE_DEPTH = 16;

/** A comment (skipped: it may mention include) or an include statement with its trim markers. */
const TAG = /\{#[\s\S]*?#\}|\{%(-?)\s*include\b([\s\S]*?)(-?)%\}/g;
const INCLUDE_ARGS =
  /^\s*(?:"([^"]*)"|'([^']*)')\s*(ignore\s+missing\s*)?(?:(?:with|without)\s+context\s*)?$/;

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < index; i = text.indexOf("\n", i + 1)) line += 1;
  return line;
}

function fail(file: string, line: number, message: string): never {
  const problem: ProblemDetail = { path: file, line, message };
  throw new TaskFileUnloadable(`${file}:${line}: ${message}`, { problems: [problem] });
}

/** True when the text has an include statement outside comments. */
export function hasIncludes(text: string): boolean {
  for (const match of text.matchAll(TAG)) if (match[0].startsWith("{%")) return true;
  return false;
}

/** Replaces every `{% include "name" %}` by the named file's (expanded) text. */
export function expandIncludes(text: string, options: IncludeOptions): string {
  if (!hasIncludes(text)) return text;
  return expand(text, options.path, options, []);
}

function expand(text: string, file: string, options: IncludeOptions, chain: readonly string[]): string {
  let output = "";
  let last = 0;
  let trimNext = false;
  for (const match of text.matchAll(TAG)) {
    const [tag, trimBefore, inside = "", trimAfter] = match;
    let before = text.slice(last, match.index);
    if (trimNext) before = before.trimStart();
    last = match.index + tag.length;
    if (tag.startsWith("{#")) {
      output += before + tag;
      trimNext = false;
      continue;
    }
    output += trimBefore ? before.trimEnd() : before;
    trimNext = trimAfter === "-";
    const line = lineAt(text, match.index);
    const args = INCLUDE_ARGS.exec(inside);
    if (!args) {
      fail(file, line, `only {% include "file" %} with a quoted file name is supported (got '${tag}')`);
    }
    const name = args[1] ?? args[2] ?? "";
    output += readInclude(name, args[3] !== undefined, file, line, options, chain);
  }
  let rest = text.slice(last);
  if (trimNext) rest = rest.trimStart();
  return output + rest;
}

function readInclude(
  name: string,
  ignoreMissing: boolean,
  file: string,
  line: number,
  options: IncludeOptions,
  chain: readonly string[],
): string {
  if (options.baseDir === undefined) {
    fail(file, line, `cannot include '${name}': the task file's folder is not known`);
  }
  if (name === "" || isAbsolute(name) || name.split(/[\\/]/).includes("..")) {
    fail(file, line, `cannot include '${name}': includes must name a file inside the task's folder`);
  }
  if (chain.includes(name)) {
    fail(file, line, `include cycle: ${[...chain, name].join(" → ")}`);
  }
  if (chain.length >= MAX_INCLUDE_DEPTH) {
    fail(file, line, `cannot include '${name}': includes nest deeper than ${MAX_INCLUDE_DEPTH}`);
  }
  let root: string;
  let target: string;
  try {
    root = realpathSync(options.baseDir);
    target = realpathSync(join(root, name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      if (ignoreMissing) return "";
      fail(file, line, `cannot include '${name}': there is no such file next to the task`);
    }
    fail(file, line, `cannot include '${name}': ${(error as Error).message}`);
  }
  const inside = relative(root, target);
  if (inside === "" || inside.startsWith(`..${sep}`) || inside === ".." || isAbsolute(inside)) {
    fail(file, line, `cannot include '${name}': it leads outside the task's folder`);
  }
  let content: string;
  try {
    content = readFileSync(target, "utf8");
  } catch (error) {
    fail(file, line, `cannot include '${name}': ${(error as Error).message}`);
  }
  // Jinja2 drops one trailing newline of a template (keep_trailing_newline=False).
  const body = content.endsWith("\n") ? content.slice(0, -1) : content;
  return expand(body, name, options, [...chain, name]);
}
