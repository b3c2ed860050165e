/**
 * Edits made before a start (the edit-before-start form): `WorkloadOverrides` applied to a
 * rendered task. Pure: the task given is not changed; a new one is returned.
 *
 * Each override addresses `"*"` (every workload) or one workload by `subtaskIndex`/`position`,
 * and is applied in order, so a later override of the same field wins:
 *
 * - `runner` and `hooks` replace the workload's value;
 * - `contexts` and `sla` merge by name (a name set to `null` is removed); with
 *   `contextsMode: "replace"` the overrides' `contexts` replace the whole block;
 * - `args` (the scenario plugin's arguments) merge key by key, top level only.
 */
import type { WorkloadOverride, WorkloadOverrides } from "@paddock/shared/api";
import { type ProblemDetail, RequestInvalid } from "@paddock/shared/errors";
import type { HookSpec, TaskSpec, WorkloadSpec } from "@paddock/shared/task-model";
import { readTaskStructure, type StructureProblem } from "./task-structure.js";

type Json = Record<string, unknown>;

/** `base` with `changes` merged by key; a key set to `null` is removed. */
function mergeByName(base: Json, changes: Json): Json {
  const merged: Json = { ...base };
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) delete merged[name];
    else merged[name] = structuredClone(value);
  }
  return merged;
}

function applyOne(workload: WorkloadSpec, override: WorkloadOverride): WorkloadSpec {
  let next: WorkloadSpec = workload;
  if (override.runner !== undefined) next = { ...next, runner: structuredClone(override.runner) };
  if (override.contexts !== undefined) {
    next = {
      ...next,
      contexts:
        override.contextsMode === "replace"
          ? mergeByName({}, override.contexts)
          : mergeByName(next.contexts, override.contexts),
    };
  }
  if (override.sla !== undefined) next = { ...next, sla: mergeByName(next.sla, override.sla) };
  if (override.hooks !== undefined) next = { ...next, hooks: structuredClone(override.hooks) };
  if (override.args !== undefined)
    next = { ...next, args: { ...next.args, ...structuredClone(override.args) } };
  return next;
}

function addressProblems(task: TaskSpec, overrides: WorkloadOverrides): ProblemDetail[] {
  const problems: ProblemDetail[] = [];
  overrides.forEach((override, index) => {
    if (override.contextsMode !== undefined && override.contexts === undefined) {
      problems.push({
        path: `overrides[${index}].contextsMode`,
        message: "is only meaningful with 'contexts'",
      });
    }
    const address = override.workload;
    if (address === "*") return;
    const subtask = task.subtasks[address.subtaskIndex];
    const path = `overrides[${index}].workload`;
    if (subtask === undefined) {
      problems.push({
        path,
        message: `there is no subtask ${address.subtaskIndex}; the task has ${task.subtasks.length} (numbered from 0)`,
      });
    } else if (subtask.workloads[address.position] === undefined) {
      problems.push({
        path,
        message: `subtask ${address.subtaskIndex} has no workload at position ${address.position}; it has ${subtask.workloads.length} (numbered from 0)`,
      });
    }
  });
  return problems;
}

/**
 * The task with `overrides` applied. Throws `RequestInvalid` naming each override that addresses
 * a workload the task does not have.
 */
export function applyOverrides(task: TaskSpec, overrides: WorkloadOverrides): TaskSpec {
  const problems = addressProblems(task, overrides);
  if (problems.length > 0) {
    throw new RequestInvalid(
      `The overrides do not fit the task: ${problems.map((problem) => `${problem.path}: ${problem.message}`).join("; ")}`,
      { problems },
    );
  }
  const applies = (override: WorkloadOverride, subtaskIndex: number, position: number): boolean =>
    override.workload === "*" ||
    (override.workload.subtaskIndex === subtaskIndex && override.workload.position === position);
  return {
    ...task,
    tags: [...task.tags],
    subtasks: task.subtasks.map((subtask, subtaskIndex) => ({
      ...subtask,
      tags: [...subtask.tags],
      workloads: subtask.workloads.map((workload, position) =>
        overrides.reduce(
          (current, override) =>
            applies(override, subtaskIndex, position) ? applyOne(current, override) : current,
          structuredClone(workload),
        ),
      ),
    })),
  };
}

const hookDocument = (hook: HookSpec) => ({
  description: hook.description,
  action: { [hook.action.name]: hook.action.args },
  trigger: { [hook.trigger.name]: hook.trigger.args },
});

/** A `TaskSpec` written back as a Rally v2 task document (what `loadRenderedTask` reads). */
export function taskSpecDocument(task: TaskSpec): Json {
  return {
    version: 2,
    title: task.title,
    description: task.description,
    tags: task.tags,
    subtasks: task.subtasks.map((subtask) => ({
      title: subtask.title,
      description: subtask.description,
      ...(subtask.group === undefined ? {} : { group: subtask.group }),
      tags: subtask.tags,
      run_in_parallel: subtask.runInParallel,
      workloads: subtask.workloads.map((workload) => ({
        scenario: { [workload.scenario]: workload.args },
        runner: { [workload.runner.type]: workload.runner.config },
        contexts: workload.contexts,
        sla: workload.sla,
        hooks: workload.hooks.map(hookDocument),
        description: workload.description,
      })),
    })),
  };
}

/** Structural problems of a task spec (e.g. after overrides), as `loadRenderedTask` checks them. */
export function checkTaskSpec(task: TaskSpec): readonly StructureProblem[] {
  return readTaskStructure(taskSpecDocument(task)).problems;
}
