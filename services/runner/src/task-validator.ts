/**
 * Plugin-level validation of a loaded task (the loader already checked its structure): every
 * scenario plugin exists and its arguments fit its schema (defaults applied), every runner,
 * context, SLA criterion, hook action and trigger exists and its options fit Rally's schema. Every problem is
 * collected, each with the path of the workload field it is about, and the result is the
 * prepared task the executor runs — nothing is published until this passes.
 */
import type { ProblemDetail } from "@paddock/shared/errors";
import type { TaskSpec, WorkloadSpec } from "@paddock/shared/task-model";
import type { TObject, TSchema } from "typebox";
import { Default } from "typebox/value";
import { type ContextPlugin, contextPlugins, isContextName } from "./contexts/index.js";
import { hookActions, hookTriggers, isHookActionName, isHookTriggerName } from "./hooks/index.js";
import type { PreparedHook } from "./hooks/workload-hooks.js";
import type { ScenarioPlugin } from "./plugin.js";
import type { PluginRegistry } from "./plugins/index.js";
import { isRunnerType, type Runner, type RunnerPlan, runners } from "./runners/index.js";
import { type SchemaChecker, schemaChecker } from "./schema-problems.js";
import { isSlaName, slaCriteria } from "./sla/index.js";

/** One workload ready to run: its plugins resolved, its arguments complete. */
export interface PreparedWorkload {
  readonly spec: WorkloadSpec;
  /** `subtasks[i].workloads[j]`, the prefix of every problem about it. */
  readonly path: string;
  readonly subtaskIndex: number;
  readonly position: number;
  readonly subtaskTitle: string;
  readonly scenario: ScenarioPlugin;
  /** The scenario's arguments with the schema's defaults applied. */
  readonly args: Readonly<Record<string, unknown>>;
  readonly runner: Runner;
  readonly plan: RunnerPlan;
  /**
   * Whether its load may be split across runner replicas: the runner can be split and every
   * context is `distributable`.
   */
  readonly distributable: boolean;
  /** Contexts in set-up order. */
  readonly hooks: readonly PreparedHook[];
  readonly contexts: readonly {
    readonly name: string;
    readonly plugin: ContextPlugin;
    readonly config: unknown;
  }[];
}

export interface PreparedSubtask {
  readonly title: string;
  readonly runInParallel: boolean;
  readonly workloads: readonly PreparedWorkload[];
}

export interface PreparedTask {
  readonly task: TaskSpec;
  readonly subtasks: readonly PreparedSubtask[];
}

export type Preparation =
  | { readonly ok: true; readonly task: PreparedTask }
  | { readonly ok: false; readonly problems: readonly ProblemDetail[] };

const checkers = new WeakMap<TSchema, SchemaChecker>();

function checkerFor(schema: TSchema): SchemaChecker {
  let checker = checkers.get(schema);
  if (checker === undefined) {
    checker = schemaChecker(schema);
    checkers.set(schema, checker);
  }
  return checker;
}

const quoted = (names: readonly string[]) => names.map((name) => `'${name}'`).join(", ");

/** Rally's `args-spec` check and the argument schema, in Rally's words. */
function checkArgs(
  plugin: ScenarioPlugin,
  given: Readonly<Record<string, unknown>>,
  path: string,
  problems: ProblemDetail[],
): Record<string, unknown> {
  const schema: TObject = plugin.args;
  const args = Default(schema, structuredClone(given)) as Record<string, unknown>;
  const known = Object.keys(schema.properties);
  const extrasAllowed = (schema as { additionalProperties?: unknown }).additionalProperties === true;
  const at = `${path}.args`;
  if (!extrasAllowed) {
    const unexpected = Object.keys(given).filter((name) => !known.includes(name));
    if (unexpected.length > 0) {
      problems.push({ path: at, message: `Unexpected argument(s) found [${quoted(unexpected)}]` });
    }
  }
  const missing = (schema.required ?? []).filter((name) => !(name in args));
  if (missing.length > 0) {
    problems.push({
      path: at,
      message: `Argument(s) ${quoted(missing)} should be specified in task config.`,
    });
  }
  const withoutExtras = extrasAllowed
    ? args
    : Object.fromEntries(Object.entries(args).filter(([name]) => known.includes(name)));
  for (const problem of checkerFor(schema).problems(withoutExtras, at)) {
    if (!problem.message.endsWith("is a required property")) problems.push(problem);
  }
  return args;
}

function contextKey(name: string): string {
  return name.endsWith("@default") ? name.slice(0, -"@default".length) : name;
}

function prepareWorkload(
  spec: WorkloadSpec,
  where: { subtaskIndex: number; position: number; subtaskTitle: string },
  plugins: PluginRegistry,
  problems: ProblemDetail[],
): PreparedWorkload | undefined {
  const path = `subtasks[${where.subtaskIndex}].workloads[${where.position}]`;
  const before = problems.length;

  const scenario = plugins.scenarios.get(spec.scenario);
  let args: Record<string, unknown> = {};
  if (scenario === undefined) {
    problems.push({ path: `${path}.scenario`, message: `There is no Scenario plugin '${spec.scenario}'` });
  } else {
    args = checkArgs(scenario, spec.args, path, problems);
  }

  const runnerType = spec.runner.type;
  let runner: Runner | undefined;
  if (!isRunnerType(runnerType)) {
    problems.push({ path: `${path}.runner`, message: `There is no ScenarioRunner plugin '${runnerType}'` });
  } else {
    runner = runners[runnerType];
    const at = `${path}.runner.${runnerType}`;
    const schemaProblems = checkerFor(runner.schema).problems(spec.runner.config, at);
    problems.push(...schemaProblems);
    if (schemaProblems.length === 0) {
      for (const message of runner.check(spec.runner.config)) problems.push({ path: at, message });
    }
  }

  const contexts: { name: string; plugin: ContextPlugin; config: unknown }[] = [];
  for (const [name, config] of Object.entries(spec.contexts)) {
    const key = contextKey(name);
    if (!isContextName(key)) {
      problems.push({ path: `${path}.contexts`, message: `There is no Context plugin '${name}'` });
      continue;
    }
    const plugin = contextPlugins[key];
    problems.push(...checkerFor(plugin.schema).problems(config, `${path}.contexts.${name}`));
    contexts.push({ name: key, plugin, config });
  }
  for (const [name, config] of Object.entries(scenario?.contexts ?? {})) {
    if (!isContextName(name) || contexts.some((context) => context.name === name)) continue;
    contexts.push({ name, plugin: contextPlugins[name], config });
  }
  contexts.sort((a, b) => a.plugin.order - b.plugin.order);
  const local = contexts
    .filter((context) => context.plugin.distributable !== true)
    .map((context) => context.name);
  const distribute = spec.runner.config.distribute;
  if (runner !== undefined && distribute !== undefined && distribute !== 1 && local.length > 0) {
    problems.push({
      path: `${path}.runner.${runnerType}.distribute`,
      message: `The workload cannot be distributed: context(s) ${quoted(local)} keep what they set up in the coordinating runner's process`,
    });
  }

  for (const [name, config] of Object.entries(spec.sla)) {
    if (!isSlaName(name)) {
      problems.push({ path: `${path}.sla`, message: `There is no SLA plugin '${name}'` });
      continue;
    }
    problems.push(...checkerFor(slaCriteria[name].schema).problems(config, `${path}.sla.${name}`));
  }

  const hooks: PreparedHook[] = [];
  spec.hooks.forEach((hook, index) => {
    const at = `${path}.hooks[${index}]`;
    const found = problems.length;
    const actionName = hook.action.name;
    const action = isHookActionName(actionName) ? hookActions[actionName] : undefined;
    if (action === undefined) {
      problems.push({ path: `${at}.action`, message: `There is no HookAction plugin '${actionName}'` });
    } else {
      const actionProblems = checkerFor(action.schema).problems(
        hook.action.args,
        `${at}.action.${actionName}`,
      );
      problems.push(...actionProblems);
      if (actionProblems.length === 0) {
        for (const message of action.check(hook.action.args)) {
          problems.push({ path: `${at}.action.${actionName}`, message });
        }
      }
    }
    const triggerName = hook.trigger.name;
    const trigger = isHookTriggerName(triggerName) ? hookTriggers[triggerName] : undefined;
    if (trigger === undefined) {
      problems.push({ path: `${at}.trigger`, message: `There is no HookTrigger plugin '${triggerName}'` });
    } else {
      problems.push(
        ...checkerFor(trigger.schema).problems(hook.trigger.args, `${at}.trigger.${triggerName}`),
      );
    }
    if (action !== undefined && trigger !== undefined && problems.length === found) {
      hooks.push({ index, spec: hook, action, trigger, unit: trigger.unit(hook.trigger.args) });
    }
  });

  if (problems.length > before || scenario === undefined || runner === undefined) return undefined;
  return {
    spec,
    path,
    ...where,
    scenario,
    args,
    runner,
    plan: runner.plan(spec.runner.config),
    distributable: local.length === 0 && runner.split(spec.runner.config, 2).length > 1,
    contexts,
    hooks,
  };
}

/** Validates `task` against the runner's plugins; either every problem, or the task ready to run. */
export function prepareTask(task: TaskSpec, plugins: PluginRegistry): Preparation {
  const problems: ProblemDetail[] = [];
  if (task.subtasks.length === 0) problems.push({ path: "subtasks", message: "[] is too short" });
  const subtasks = task.subtasks.map((subtask, subtaskIndex) => ({
    title: subtask.title,
    runInParallel: subtask.runInParallel,
    workloads: subtask.workloads.flatMap((spec, position) => {
      const prepared = prepareWorkload(
        spec,
        { subtaskIndex, position, subtaskTitle: subtask.title },
        plugins,
        problems,
      );
      return prepared ? [prepared] : [];
    }),
  }));
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, task: { task, subtasks } };
}
