/**
 * Loading a Rally task file: render (Jinja2 with task args) → parse (YAML/JSON, duplicate keys
 * rejected) → convert v1 to v2 → structural validation → `TaskSpec`.
 *
 * Errors: `TaskFileUnloadable` when the text cannot be rendered or parsed (Rally exit 117),
 * `TaskFileInvalid` listing every structural problem (Rally exit 114).
 */
import { createHash } from "node:crypto";
import { type ProblemDetail, TaskFileInvalid, TaskFileUnloadable } from "@paddock/shared/errors";
import type { HookSpec, SubtaskSpec, TaskSpec, WorkloadSpec } from "@paddock/shared/task-model";
import { load as parseYaml, YAMLException } from "js-yaml";
import { renderTemplate } from "./template-renderer.js";

export interface LoadOptions {
  /** Template arguments. */
  readonly args?: Readonly<Record<string, unknown>>;
  /** The file's name, used in error messages. */
  readonly path?: string;
}

export interface LoadedTask {
  readonly task: TaskSpec;
  /** Rally task format of the input. */
  readonly version: 1 | 2;
  /** The text after template rendering. */
  readonly rendered: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export function hashText(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Parses YAML or JSON text, rejecting duplicate keys, naming the line of a syntax error. */
export function parseTaskText(text: string, path = "<task>"): unknown {
  try {
    return parseYaml(text);
  } catch (error) {
    if (error instanceof YAMLException) {
      const line = error.mark ? error.mark.line + 1 : undefined;
      throw new TaskFileUnloadable(`${path}${line ? `:${line}` : ""}: ${error.reason}`, {
        cause: error,
        problems: [{ path, ...(line ? { line } : {}), message: error.reason }],
      });
    }
    throw new TaskFileUnloadable(`${path}: ${(error as Error).message}`, { cause: error });
  }
}

export function loadTask(text: string, options: LoadOptions = {}): LoadedTask {
  const path = options.path ?? "<task>";
  const rendered = renderTemplate(text, options.args ?? {}, path);
  const document = parseTaskText(rendered, path);
  const problems: ProblemDetail[] = [];
  if (!isObject(document)) {
    throw new TaskFileInvalid(
      `${path}: a task must be a mapping (got ${Array.isArray(document) ? "a list" : typeof document})`,
      {
        problems: [{ path, message: "a task must be a mapping" }],
      },
    );
  }
  const version = document.version === undefined ? 1 : document.version;
  let task: TaskSpec;
  if (version === 2 || version === "2") {
    task = convertV2(document, problems);
  } else if (version === 1 || version === "1") {
    task = convertV1(document, problems);
  } else {
    throw new TaskFileInvalid(`${path}: unsupported task format version ${JSON.stringify(version)} (1 or 2)`);
  }
  if (problems.length > 0) {
    throw new TaskFileInvalid(
      `${path}: the task is invalid:\n${problems.map((p) => `  - ${p.path}: ${p.message}`).join("\n")}`,
      {
        problems,
      },
    );
  }
  return { task, version: version === 2 || version === "2" ? 2 : 1, rendered };
}

function unexpectedKeys(
  value: Json,
  allowed: readonly string[],
  where: string,
  problems: ProblemDetail[],
): void {
  const extra = Object.keys(value).filter((key) => !allowed.includes(key));
  if (extra.length > 0) {
    problems.push({
      path: where,
      message: `Additional properties are not allowed (${extra.map((k) => `'${k}'`).join(", ")} ${extra.length === 1 ? "was" : "were"} unexpected)`,
    });
  }
}

function singleKey(
  value: unknown,
  where: string,
  what: string,
  problems: ProblemDetail[],
): [string, unknown] | undefined {
  if (!isObject(value) || Object.keys(value).length !== 1) {
    problems.push({ path: where, message: `${what} must be an object with exactly one key` });
    return undefined;
  }
  const [entry] = Object.entries(value);
  return entry;
}

function objectOr(value: unknown, fallback: Json, where: string, problems: ProblemDetail[]): Json {
  if (value === undefined || value === null) return fallback;
  if (!isObject(value)) {
    problems.push({ path: where, message: "must be an object" });
    return fallback;
  }
  return value;
}

function convertHooksV2(value: unknown, where: string, problems: ProblemDetail[]): HookSpec[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push({ path: where, message: "must be a list" });
    return [];
  }
  return value.flatMap((hook, index): HookSpec[] => {
    const at = `${where}[${index}]`;
    if (!isObject(hook)) {
      problems.push({ path: at, message: "must be an object" });
      return [];
    }
    unexpectedKeys(hook, ["description", "action", "trigger"], at, problems);
    const action = singleKey(hook.action, `${at}.action`, "action", problems);
    const trigger = singleKey(hook.trigger, `${at}.trigger`, "trigger", problems);
    if (!action || !trigger) return [];
    return [
      {
        description: typeof hook.description === "string" ? hook.description : "",
        action: { name: action[0], args: action[1] },
        trigger: {
          name: trigger[0],
          args: objectOr(trigger[1], {}, `${at}.trigger.${trigger[0]}`, problems),
        },
      },
    ];
  });
}

const V2_WORKLOAD_KEYS = ["scenario", "description", "runner", "contexts", "sla", "hooks"];

function convertWorkloadV2(value: Json, where: string, problems: ProblemDetail[]): WorkloadSpec | undefined {
  const scenario = singleKey(value.scenario, `${where}.scenario`, "scenario", problems);
  const runner =
    value.runner === undefined
      ? (["serial", {}] as [string, unknown])
      : singleKey(value.runner, `${where}.runner`, "runner", problems);
  if (!scenario || !runner) return undefined;
  return {
    scenario: scenario[0],
    args: objectOr(scenario[1], {}, `${where}.scenario.${scenario[0]}`, problems),
    runner: { type: runner[0], config: objectOr(runner[1], {}, `${where}.runner.${runner[0]}`, problems) },
    contexts: objectOr(value.contexts, {}, `${where}.contexts`, problems),
    sla: objectOr(value.sla, { failure_rate: { max: 0 } }, `${where}.sla`, problems),
    hooks: convertHooksV2(value.hooks, `${where}.hooks`, problems),
    description: typeof value.description === "string" ? value.description : "",
  };
}

function stringList(value: unknown, where: string, problems: ProblemDetail[]): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
    problems.push({ path: where, message: "must be a list of strings" });
    return [];
  }
  return value as string[];
}

function convertV2(document: Json, problems: ProblemDetail[]): TaskSpec {
  unexpectedKeys(document, ["version", "title", "description", "tags", "subtasks"], "task", problems);
  if (!Array.isArray(document.subtasks)) {
    problems.push({ path: "task.subtasks", message: "'subtasks' is a required list" });
  }
  const subtasks = (Array.isArray(document.subtasks) ? document.subtasks : []).flatMap(
    (subtask, index): SubtaskSpec[] => {
      const where = `subtasks[${index}]`;
      if (!isObject(subtask)) {
        problems.push({ path: where, message: "must be an object" });
        return [];
      }
      const common = {
        title: subtask.title,
        description: subtask.description,
        group: subtask.group,
        tags: subtask.tags,
      };
      let workloads: WorkloadSpec[];
      if (subtask.workloads !== undefined) {
        unexpectedKeys(
          subtask,
          ["title", "description", "group", "tags", "workloads", "run_in_parallel"],
          where,
          problems,
        );
        if (!Array.isArray(subtask.workloads) || subtask.workloads.length === 0) {
          problems.push({ path: `${where}.workloads`, message: "must be a non-empty list" });
          return [];
        }
        workloads = subtask.workloads.flatMap((workload, position) => {
          const at = `${where}.workloads[${position}]`;
          if (!isObject(workload)) {
            problems.push({ path: at, message: "must be an object" });
            return [];
          }
          unexpectedKeys(workload, V2_WORKLOAD_KEYS, at, problems);
          const converted = convertWorkloadV2(workload, at, problems);
          return converted ? [converted] : [];
        });
      } else {
        unexpectedKeys(
          subtask,
          ["title", "description", "group", "tags", ...V2_WORKLOAD_KEYS],
          where,
          problems,
        );
        const converted = convertWorkloadV2(subtask, where, problems);
        workloads = converted ? [converted] : [];
      }
      const first = workloads[0];
      const title =
        typeof common.title === "string" ? common.title : (first?.scenario ?? `subtask ${index + 1}`);
      const spec: SubtaskSpec = {
        title,
        description: typeof common.description === "string" ? common.description : "",
        tags: stringList(common.tags, `${where}.tags`, problems),
        runInParallel: subtask.run_in_parallel === true,
        workloads,
      };
      if (typeof common.group === "string") spec.group = common.group;
      return workloads.length > 0 ? [spec] : [];
    },
  );
  const title = typeof document.title === "string" ? document.title : "";
  if (title.length > 255) problems.push({ path: "task.title", message: "is longer than 255 characters" });
  return {
    title,
    description: typeof document.description === "string" ? document.description : "",
    tags: stringList(document.tags, "task.tags", problems),
    subtasks,
  };
}

const V1_WORKLOAD_KEYS = ["args", "description", "runner", "context", "sla", "hooks"];

function convertV1(document: Json, problems: ProblemDetail[]): TaskSpec {
  const subtasks: SubtaskSpec[] = [];
  for (const [name, workloads] of Object.entries(document)) {
    if (name === "version") continue;
    if (!Array.isArray(workloads)) {
      problems.push({ path: name, message: "must be a list of workloads" });
      continue;
    }
    const specs = workloads.flatMap((workload, position): WorkloadSpec[] => {
      const at = `${name}[${position}]`;
      if (!isObject(workload)) {
        problems.push({ path: at, message: "must be an object" });
        return [];
      }
      unexpectedKeys(workload, V1_WORKLOAD_KEYS, at, problems);
      const runner = objectOr(workload.runner, { type: "serial" }, `${at}.runner`, problems);
      const { type, ...config } = runner;
      if (typeof type !== "string") {
        problems.push({ path: `${at}.runner`, message: "'type' is a required property" });
        return [];
      }
      return [
        {
          scenario: name,
          args: objectOr(workload.args, {}, `${at}.args`, problems),
          runner: { type, config },
          contexts: objectOr(workload.context, {}, `${at}.context`, problems),
          sla: objectOr(workload.sla, { failure_rate: { max: 0 } }, `${at}.sla`, problems),
          hooks: convertHooksV1(workload.hooks, `${at}.hooks`, problems),
          description: typeof workload.description === "string" ? workload.description : "",
        },
      ];
    });
    if (specs.length > 0)
      subtasks.push({ title: name, description: "", tags: [], runInParallel: false, workloads: specs });
  }
  return { title: "", description: "", tags: [], subtasks };
}

function convertHooksV1(value: unknown, where: string, problems: ProblemDetail[]): HookSpec[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push({ path: where, message: "must be a list" });
    return [];
  }
  return value.flatMap((hook, index): HookSpec[] => {
    const at = `${where}[${index}]`;
    if (
      !isObject(hook) ||
      typeof hook.name !== "string" ||
      !isObject(hook.trigger) ||
      typeof hook.trigger.name !== "string"
    ) {
      problems.push({ path: at, message: "a v1 hook is {name, description?, args, trigger: {name, args}}" });
      return [];
    }
    return [
      {
        description: typeof hook.description === "string" ? hook.description : "",
        action: { name: hook.name, args: hook.args },
        trigger: {
          name: hook.trigger.name,
          args: objectOr(hook.trigger.args, {}, `${at}.trigger.args`, problems),
        },
      },
    ];
  });
}

/** Scenario plugin names a task uses, in order of first use. */
export function scenarioPlugins(task: TaskSpec): string[] {
  return [
    ...new Set(task.subtasks.flatMap((subtask) => subtask.workloads.map((workload) => workload.scenario))),
  ];
}
