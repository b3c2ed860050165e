/**
 * Edit before start on the command line, shared by `task start` and `scenario render`:
 * `--context-preset NAME` (the catalog's preset, applied to every workload) and `--overrides`
 * (a `WorkloadOverrides` list as JSON, YAML or `@file`, checked here against the contract).
 * Presets apply first, then overrides, each in order: a later edit of the same field wins.
 */
import { readFileSync } from "node:fs";
import { ContextPreset, WorkloadOverride, WorkloadOverrides } from "@paddock/shared/api";
import { describeError, PaddockError, type ProblemDetail } from "@paddock/shared/errors";
import { parseTaskText } from "@paddock/tasks";
import Compile from "typebox/compile";
import { serviceHttpClient } from "../api/clients.js";
import { type CommandContext, type ParsedCommandLine, stringList } from "./command.js";

/** The two options, for a command's `options`. */
export const OVERRIDE_OPTIONS = {
  overrides: {
    type: "string",
    multiple: true,
    value: "JSON|YAML|@FILE",
    description:
      "Workload overrides (args, runner, contexts, sla, hooks) applied before the start; repeatable",
  },
  "context-preset": {
    type: "string",
    multiple: true,
    value: "NAME",
    description: "Attach the catalog's context preset NAME to every workload; repeatable",
  },
} as const;

/** `--overrides` cannot be read, or is not a list of workload overrides. */
export class OverridesInvalid extends PaddockError {
  readonly code = "OVERRIDES_INVALID";
  readonly status = 400;
}

const checkOverrides = Compile(WorkloadOverrides);
const OVERRIDE_FIELDS: readonly string[] = Object.keys(WorkloadOverride.properties);

/** A JSON pointer (`/0/runner/config`) as `[0].runner.config`. */
function fieldOf(pointer: string): string {
  return pointer
    .split("/")
    .slice(1)
    .map((token) => token.replaceAll("~1", "/").replaceAll("~0", "~"))
    .map((token) => (/^\d+$/.test(token) ? `[${token}]` : `.${token}`))
    .join("");
}

/**
 * Reads one `--overrides` value: JSON or YAML text, or `@FILE`. A single mapping counts as a
 * list of one. Throws `OverridesInvalid` naming the source and each bad field.
 */
export function parseOverrides(value: string): WorkloadOverrides {
  let source = "--overrides";
  let text = value;
  if (value.startsWith("@")) {
    const file = value.slice(1);
    source = `--overrides file ${file}`;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      const code = (error as { code?: string }).code;
      const reason =
        code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder" : describeError(error);
      throw new OverridesInvalid(`cannot read --overrides file ${file} (${reason})`, { cause: error });
    }
  }
  let document: unknown;
  try {
    document = parseTaskText(text, source);
  } catch (error) {
    throw new OverridesInvalid(`${source} is not JSON or YAML: ${describeError(error)}`, { cause: error });
  }
  const list: unknown[] = Array.isArray(document) ? document : [document];
  const problems: ProblemDetail[] = [];
  const add = (path: string, message: string) => {
    if (!problems.some((problem) => problem.path === path && problem.message === message)) {
      problems.push({ path, message });
    }
  };
  list.forEach((item, index) => {
    if (typeof item !== "object" || item === null || Array.isArray(item)) return;
    for (const key of Object.keys(item)) {
      if (!OVERRIDE_FIELDS.includes(key)) {
        add(`overrides[${index}].${key}`, `unknown field (known: ${OVERRIDE_FIELDS.join(", ")})`);
      }
    }
  });
  if (checkOverrides.Check(list) && problems.length === 0) return list;
  for (const error of checkOverrides.Errors(list)) {
    const path = `overrides${fieldOf(error.instancePath)}`;
    add(
      path,
      /\]\.workload$/.test(path) ? 'must be "*" or {subtaskIndex, position} (0-based)' : error.message,
    );
  }
  throw new OverridesInvalid(
    `${source} is not a list of workload overrides ({workload: "*" | {subtaskIndex, position}, runner?, contexts?, contextsMode?, sla?, hooks?, args?}):\n${problems.map((problem) => `${problem.path}: ${problem.message}`).join("\n")}`,
    { problems: problems.slice(0, 10) },
  );
}

/** The catalog's context preset `name` as an override of every workload's contexts. */
export async function presetOverride(context: CommandContext, name: string): Promise<WorkloadOverride> {
  const catalog = serviceHttpClient(context.config(), "catalog");
  const preset = await catalog.request("GET", `/contexts/${encodeURIComponent(name)}`, ContextPreset);
  if (preset.error !== undefined) {
    const where = `${preset.error.file}${preset.error.line ? `:${preset.error.line}` : ""}`;
    throw new OverridesInvalid(`context preset '${name}' is broken (${where}: ${preset.error.message})`);
  }
  return { workload: "*", contexts: preset.contexts };
}

/** `--context-preset`s (in order), then `--overrides` (in order): later edits win. */
export async function overridesOf(
  context: CommandContext,
  line: ParsedCommandLine,
): Promise<WorkloadOverrides> {
  const overrides: WorkloadOverride[] = [];
  for (const name of stringList(line, "context-preset")) overrides.push(await presetOverride(context, name));
  for (const value of stringList(line, "overrides")) overrides.push(...parseOverrides(value));
  return overrides;
}
