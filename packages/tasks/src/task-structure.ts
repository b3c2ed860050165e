/**
 * Structural validation of a parsed Rally task and its conversion to the v2 `TaskSpec`, after
 * Rally 3.3.0's `TaskConfig` (JSON schemas for v1 and v2). Unlike Rally, which stops at the first
 * problem, every problem is collected, each with the path of the value it is about
 * (`subtasks[1].workloads[0].runner`). Plugin-level checks (does `Dummy.dumy` exist, are its
 * arguments right) belong to the runner.
 *
 * Lenient where Rally is strict for no benefit to the user: a missing task title is empty, a
 * missing subtask title is its first scenario's name, and `null` stands for an empty mapping.
 */
import type { HookSpec, SubtaskSpec, TaskSpec, WorkloadSpec } from "@paddock/shared/task-model";
import { childPath, itemPath } from "./yaml-document.js";

type Json = Record<string, unknown>;

/** One structural problem: the path of the value (`""` is the task) and what is wrong. */
export interface StructureProblem {
  readonly path: string;
  readonly message: string;
  /** Path whose line best shows the problem (e.g. the unexpected key), when not `path`. */
  readonly linePath?: string;
}

/** The result of reading a task document: the spec and its format, or the problems found. */
export interface StructureResult {
  readonly task: TaskSpec;
  readonly version: 1 | 2;
  readonly problems: readonly StructureProblem[];
}

/** Longest task title Rally accepts. */
export const MAX_TASK_TITLE = 255;
/** Longest title Rally accepts for a single-workload subtask. */
export const MAX_SUBTASK_TITLE = 128;
/** Longest tag Rally accepts. */
export const MAX_TAG = 255;

const TASK_V2_KEYS = ["version", "title", "description", "tags", "subtasks"];
const SUBTASK_COMMON_KEYS = ["title", "group", "description", "tags"];
const WORKLOAD_V2_KEYS = ["scenario", "description", "runner", "contexts", "sla", "hooks"];
const HOOK_V2_KEYS = ["description", "action", "trigger"];
const WORKLOAD_V1_KEYS = ["args", "description", "runner", "context", "sla", "hooks"];
const HOOK_V1_KEYS = ["name", "description", "args", "trigger"];
const TRIGGER_V1_KEYS = ["name", "args"];

const DEFAULT_SLA = (): Json => ({ failure_rate: { max: 0 } });

export const isMapping = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);

/** How a value's type reads in a message. */
export function describeType(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (value instanceof Date) return "a date";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string")
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value === "number" ? "the number" : "the boolean"} ${String(value)}`;
}

class Checker {
  readonly problems: StructureProblem[] = [];

  report(path: string, message: string, linePath?: string): void {
    this.problems.push(linePath === undefined ? { path, message } : { path, message, linePath });
  }

  /** Rally's (jsonschema's) wording for keys outside the allowed set. */
  onlyKeys(value: Json, allowed: readonly string[], path: string): void {
    const extra = Object.keys(value).filter((key) => !allowed.includes(key));
    if (extra.length === 0) return;
    const names = extra.map((key) => `'${key}'`).join(", ");
    this.report(
      path,
      `Additional properties are not allowed (${names} ${extra.length === 1 ? "was" : "were"} unexpected)`,
      childPath(path, extra[0] ?? ""),
    );
  }

  required(value: Json, key: string, path: string): boolean {
    if (value[key] !== undefined) return true;
    this.report(path, `'${key}' is a required property`);
    return false;
  }

  mapping(value: unknown, path: string, fallback: () => Json = () => ({})): Json {
    if (value === undefined || value === null) return fallback();
    if (!isMapping(value)) {
      this.report(path, `must be a mapping, not ${describeType(value)}`);
      return fallback();
    }
    return value;
  }

  string(value: unknown, path: string, fallback = "", maxLength?: number): string {
    if (value === undefined || value === null) return fallback;
    if (typeof value !== "string") {
      this.report(path, `must be a string, not ${describeType(value)}`);
      return fallback;
    }
    if (maxLength !== undefined && value.length > maxLength) {
      this.report(path, `is ${value.length} characters long; the most is ${maxLength}`);
    }
    return value;
  }

  tags(value: unknown, path: string): string[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      this.report(path, `must be a list of strings, not ${describeType(value)}`);
      return [];
    }
    return value.flatMap((tag, index) => {
      const at = itemPath(path, index);
      if (typeof tag !== "string") {
        this.report(at, `a tag must be a string, not ${describeType(tag)}`);
        return [];
      }
      if (tag.length > MAX_TAG) this.report(at, `is ${tag.length} characters long; the most is ${MAX_TAG}`);
      return [tag];
    });
  }

  list(value: unknown, path: string): unknown[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      this.report(path, `must be a list, not ${describeType(value)}`);
      return [];
    }
    return value;
  }

  /** Rally's "single entity": `{Name: {config}}` with exactly one key. */
  singleEntity(value: unknown, path: string, what: string, valueMustMap = true): [string, Json] | undefined {
    if (!isMapping(value)) {
      this.report(path, `must be a mapping of one ${what} to its configuration, not ${describeType(value)}`);
      return undefined;
    }
    const keys = Object.keys(value);
    if (keys.length !== 1) {
      this.report(
        path,
        keys.length === 0
          ? `names no ${what}; exactly one is expected`
          : `must name exactly one ${what}, not ${keys.length} (${keys.map((key) => `'${key}'`).join(", ")})`,
      );
      return undefined;
    }
    const [name = ""] = keys;
    const config = value[name];
    if (!valueMustMap) return [name, { value: config }];
    return [name, this.mapping(config, childPath(path, name))];
  }
}

/** Validates a parsed task document and converts it to v2. */
export function readTaskStructure(document: unknown): StructureResult {
  const checker = new Checker();
  const empty: TaskSpec = { title: "", description: "", tags: [], subtasks: [] };
  if (!isMapping(document)) {
    checker.report("", `a task must be a mapping, not ${describeType(document)}`);
    return { task: empty, version: 1, problems: checker.problems };
  }
  const version = document.version ?? 1;
  let result: { task: TaskSpec; version: 1 | 2 };
  if (version === 2 || version === "2") {
    result = { task: readV2(document, checker), version: 2 };
  } else if (version === 1 || version === "1") {
    result = { task: readV1(document, checker), version: 1 };
  } else {
    checker.report(
      "version",
      `Task configuration version ${JSON.stringify(version)} is not supported. Supported versions: 1, 2`,
    );
    return { task: empty, version: 1, problems: checker.problems };
  }
  if (checker.problems.length === 0 && result.task.subtasks.length === 0) {
    checker.report("", "the task has no workloads");
  }
  return { ...result, problems: checker.problems };
}

function readV2(document: Json, checker: Checker): TaskSpec {
  checker.onlyKeys(document, TASK_V2_KEYS, "");
  const title = checker.string(document.title, "title", "", MAX_TASK_TITLE);
  const description = checker.string(document.description, "description");
  const tags = checker.tags(document.tags, "tags");
  const subtasks: SubtaskSpec[] = [];
  if (checker.required(document, "subtasks", "")) {
    const list = checker.list(document.subtasks, "subtasks");
    if (Array.isArray(document.subtasks) && list.length === 0)
      checker.report("subtasks", "must not be empty");
    list.forEach((subtask, index) => {
      const spec = readSubtaskV2(subtask, itemPath("subtasks", index), checker);
      if (spec) subtasks.push(spec);
    });
  }
  return { title, description, tags, subtasks };
}

function readSubtaskV2(value: unknown, path: string, checker: Checker): SubtaskSpec | undefined {
  if (!isMapping(value)) {
    checker.report(path, `a subtask must be a mapping, not ${describeType(value)}`);
    return undefined;
  }
  let workloads: WorkloadSpec[] = [];
  const complex = value.workloads !== undefined;
  if (complex) {
    checker.onlyKeys(value, [...SUBTASK_COMMON_KEYS, "run_in_parallel", "workloads"], path);
    const list = checker.list(value.workloads, childPath(path, "workloads"));
    if (Array.isArray(value.workloads) && list.length === 0) {
      checker.report(childPath(path, "workloads"), "must not be empty");
    }
    workloads = list.flatMap((workload, position) => {
      const at = itemPath(childPath(path, "workloads"), position);
      if (!isMapping(workload)) {
        checker.report(at, `a workload must be a mapping, not ${describeType(workload)}`);
        return [];
      }
      checker.onlyKeys(workload, WORKLOAD_V2_KEYS, at);
      const spec = readWorkloadV2(workload, at, checker);
      return spec ? [spec] : [];
    });
  } else {
    checker.onlyKeys(value, [...SUBTASK_COMMON_KEYS, ...WORKLOAD_V2_KEYS], path);
    // As in Rally, a single-workload subtask's description is the subtask's, not the workload's.
    const { description: _subtaskDescription, ...workload } = value;
    const spec = readWorkloadV2(workload, path, checker);
    workloads = spec ? [spec] : [];
  }
  if (value.run_in_parallel !== undefined && typeof value.run_in_parallel !== "boolean") {
    checker.report(
      childPath(path, "run_in_parallel"),
      `must be true or false, not ${describeType(value.run_in_parallel)}`,
    );
  }
  const title = checker.string(
    value.title,
    childPath(path, "title"),
    workloads[0]?.scenario ?? "",
    complex ? undefined : MAX_SUBTASK_TITLE,
  );
  const spec: SubtaskSpec = {
    title,
    description: checker.string(value.description, childPath(path, "description")),
    tags: checker.tags(value.tags, childPath(path, "tags")),
    runInParallel: value.run_in_parallel === true,
    workloads,
  };
  const group = checker.string(value.group, childPath(path, "group"));
  if (value.group !== undefined && value.group !== null) spec.group = group;
  return workloads.length > 0 ? spec : undefined;
}

function readWorkloadV2(value: Json, path: string, checker: Checker): WorkloadSpec | undefined {
  const scenario = checker.required(value, "scenario", path)
    ? checker.singleEntity(value.scenario, childPath(path, "scenario"), "scenario")
    : undefined;
  const runner =
    value.runner === undefined || value.runner === null
      ? (["serial", {}] as [string, Json])
      : checker.singleEntity(value.runner, childPath(path, "runner"), "runner type");
  const contexts = checker.mapping(value.contexts, childPath(path, "contexts"));
  const sla = checker.mapping(value.sla, childPath(path, "sla"), DEFAULT_SLA);
  const hooks = checker
    .list(value.hooks, childPath(path, "hooks"))
    .flatMap((hook, index) => readHookV2(hook, itemPath(childPath(path, "hooks"), index), checker));
  const description = checker.string(value.description, childPath(path, "description"));
  if (!scenario || !runner) return undefined;
  return {
    scenario: scenario[0],
    args: scenario[1],
    runner: { type: runner[0], config: runner[1] },
    contexts,
    sla,
    hooks,
    description,
  };
}

function readHookV2(value: unknown, path: string, checker: Checker): HookSpec[] {
  if (!isMapping(value)) {
    checker.report(path, `a hook must be a mapping, not ${describeType(value)}`);
    return [];
  }
  checker.onlyKeys(value, HOOK_V2_KEYS, path);
  const hasAction = checker.required(value, "action", path);
  const hasTrigger = checker.required(value, "trigger", path);
  const action = hasAction
    ? checker.singleEntity(value.action, childPath(path, "action"), "action", false)
    : undefined;
  const trigger = hasTrigger
    ? checker.singleEntity(value.trigger, childPath(path, "trigger"), "trigger")
    : undefined;
  const description = checker.string(value.description, childPath(path, "description"));
  if (!action || !trigger) return [];
  return [
    {
      description,
      action: { name: action[0], args: action[1].value },
      trigger: { name: trigger[0], args: trigger[1] },
    },
  ];
}

function readV1(document: Json, checker: Checker): TaskSpec {
  const subtasks: SubtaskSpec[] = [];
  for (const [name, workloads] of Object.entries(document)) {
    if (name === "version") continue;
    if (!Array.isArray(workloads)) {
      checker.report(
        name,
        `must be a list of workloads, not ${describeType(workloads)} (a v1 task maps scenario names to lists of workloads; a v2 task starts with 'version: 2')`,
      );
      continue;
    }
    const specs = workloads.flatMap((workload, position) => {
      const spec = readWorkloadV1(workload, name, itemPath(name, position), checker);
      return spec ? [spec] : [];
    });
    if (specs.length > 0) {
      subtasks.push({ title: name, description: "", tags: [], runInParallel: false, workloads: specs });
    }
  }
  return { title: "", description: "", tags: [], subtasks };
}

function readWorkloadV1(
  value: unknown,
  scenario: string,
  path: string,
  checker: Checker,
): WorkloadSpec | undefined {
  if (!isMapping(value)) {
    checker.report(path, `a workload must be a mapping, not ${describeType(value)}`);
    return undefined;
  }
  checker.onlyKeys(value, WORKLOAD_V1_KEYS, path);
  const runnerPath = childPath(path, "runner");
  const runner = checker.mapping(value.runner, runnerPath, () => ({ type: "serial" }));
  const { type, ...config } = runner;
  if (type === undefined) checker.report(runnerPath, "'type' is a required property");
  else if (typeof type !== "string")
    checker.report(childPath(runnerPath, "type"), `must be a string, not ${describeType(type)}`);
  const spec: WorkloadSpec = {
    scenario,
    args: checker.mapping(value.args, childPath(path, "args")),
    runner: { type: typeof type === "string" ? type : "serial", config },
    contexts: checker.mapping(value.context, childPath(path, "context")),
    sla: checker.mapping(value.sla, childPath(path, "sla"), DEFAULT_SLA),
    hooks: checker
      .list(value.hooks, childPath(path, "hooks"))
      .flatMap((hook, index) => readHookV1(hook, itemPath(childPath(path, "hooks"), index), checker)),
    description: checker.string(value.description, childPath(path, "description")),
  };
  return typeof type === "string" ? spec : undefined;
}

function readHookV1(value: unknown, path: string, checker: Checker): HookSpec[] {
  if (!isMapping(value)) {
    checker.report(path, `a hook must be a mapping, not ${describeType(value)}`);
    return [];
  }
  checker.onlyKeys(value, HOOK_V1_KEYS, path);
  const hasName = checker.required(value, "name", path);
  checker.required(value, "args", path);
  const hasTrigger = checker.required(value, "trigger", path);
  const name = checker.string(value.name, childPath(path, "name"));
  const description = checker.string(value.description, childPath(path, "description"));
  if (!hasTrigger) return [];
  const triggerPath = childPath(path, "trigger");
  if (!isMapping(value.trigger)) {
    checker.report(triggerPath, `must be a mapping, not ${describeType(value.trigger)}`);
    return [];
  }
  const trigger = value.trigger;
  checker.onlyKeys(trigger, TRIGGER_V1_KEYS, triggerPath);
  const hasTriggerName = checker.required(trigger, "name", triggerPath);
  checker.required(trigger, "args", triggerPath);
  const triggerName = checker.string(trigger.name, childPath(triggerPath, "name"));
  const triggerArgs = checker.mapping(trigger.args, childPath(triggerPath, "args"));
  if (!hasName || !hasTriggerName || typeof value.name !== "string" || typeof trigger.name !== "string")
    return [];
  return [
    { description, action: { name, args: value.args }, trigger: { name: triggerName, args: triggerArgs } },
  ];
}
