/**
 * The start form's edits of a workload's runner, contexts and SLA, as plain functions. Until the
 * user touches a section it follows the task the catalog renders from the typed arguments; once
 * touched it holds its own rows and is sent as a `WorkloadOverride` of that one workload (the
 * runner replaced, the contexts replaced, the SLA merged with removed criteria set to `null`).
 * Each row's value is YAML (`100`, `{max: 0}`, `[1, 2]`); an empty value leaves the key out.
 */
import type { WorkloadOverride, WorkloadOverrides } from "@paddock/shared/api";
import { describeError, type ProblemDetail } from "@paddock/shared/errors";
import type { TaskSpec, WorkloadSpec } from "@paddock/shared/task-model";
import { parseTaskText } from "@paddock/tasks";

/** A section of a workload the form edits as `name: value` rows. */
export type SectionName = "runner" | "contexts" | "sla";

export const SECTION_NAMES: readonly SectionName[] = ["runner", "contexts", "sla"];

/**
 * Rally's runner types and the options each takes, in the order the form lists them (`distribute`:
 * Paddock's split of the load across runner replicas).
 */
export const RUNNER_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  constant: ["times", "concurrency", "timeout", "max_cpu_count", "distribute"],
  constant_for_duration: ["duration", "concurrency", "timeout", "distribute"],
  rps: ["times", "rps", "timeout", "max_concurrency", "max_cpu_count", "distribute"],
  serial: ["times"],
};

export const RUNNER_TYPES: readonly string[] = Object.keys(RUNNER_OPTIONS);

/** `name: value` rows, in order, plus the text typed in the section's `+` row. */
export interface SectionEdit {
  readonly rows: readonly (readonly [string, string])[];
  /** `name: value` being typed in the `+` row. */
  readonly adding: string;
}

/** What the user changed of one workload; a section left out follows the rendered task. */
export interface WorkloadEdit {
  readonly runnerType?: string;
  readonly runner?: SectionEdit;
  readonly contexts?: SectionEdit;
  readonly sla?: SectionEdit;
}

/** One workload of the rendered task, with its address. */
export interface WorkloadSlot {
  readonly subtaskIndex: number;
  readonly position: number;
  readonly spec: WorkloadSpec;
}

/** Every workload of the task in order (the form numbers them 1.1, 1.2, 2.1…). */
export function workloadSlots(task: TaskSpec | undefined): WorkloadSlot[] {
  return (task?.subtasks ?? []).flatMap((subtask, subtaskIndex) =>
    subtask.workloads.map((spec, position) => ({ subtaskIndex, position, spec })),
  );
}

/** A value as the form writes it: YAML flow (`{max: 0}`, `[1, 2]`), strings bare when that reads back the same. */
export function formatYamlValue(value: unknown): string {
  if (value === undefined) return "";
  if (typeof value === "string") {
    return /^[A-Za-z_][\w./-]*$/.test(value) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(value)
      ? value
      : JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(formatYamlValue).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).map(
      ([key, inner]) => `${formatYamlValue(key)}: ${formatYamlValue(inner)}`,
    );
    return `{${entries.join(", ")}}`;
  }
  return JSON.stringify(value);
}

/** Reads a row's YAML value; `undefined` for an empty row. Throws with a short reason. */
export function readYamlValue(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return parseTaskText(text, "value");
  } catch (error) {
    throw new Error(describeError(error).replace(/^value:\s*/, ""), { cause: error });
  }
}

/** The rows a section shows when the user has not edited it. */
export function baseRows(spec: WorkloadSpec | undefined, section: SectionName): [string, string][] {
  if (spec === undefined) return [];
  const values: Record<string, unknown> =
    section === "runner" ? spec.runner.config : section === "contexts" ? spec.contexts : spec.sla;
  return Object.entries(values).map(([name, value]) => [name, formatYamlValue(value)]);
}

/** The section's rows now: the edit's, or the rendered task's. */
export function sectionEdit(
  edit: WorkloadEdit | undefined,
  spec: WorkloadSpec | undefined,
  section: SectionName,
) {
  return edit?.[section] ?? { rows: baseRows(spec, section), adding: "" };
}

/** The runner type now. */
export function runnerTypeOf(edit: WorkloadEdit | undefined, spec: WorkloadSpec | undefined): string {
  return edit?.runnerType ?? spec?.runner.type ?? "constant";
}

/**
 * The runner rows shown: the options set, then the runner type's other known options, empty
 * (so the user sees what can be set).
 */
export function runnerRows(
  edit: WorkloadEdit | undefined,
  spec: WorkloadSpec | undefined,
): [string, string][] {
  const rows: [string, string][] = sectionEdit(edit, spec, "runner").rows.map(([name, text]) => [name, text]);
  for (const option of RUNNER_OPTIONS[runnerTypeOf(edit, spec)] ?? []) {
    if (!rows.some(([name]) => name === option)) rows.push([option, ""]);
  }
  return rows;
}

/** The `+` row's text read as `name: value` pairs; throws when it is not a mapping. */
export function readAddition(text: string): [string, unknown][] {
  if (text.trim() === "") return [];
  const value = readYamlValue(text);
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new Error("write it as name: value");
  }
  return Object.entries(value);
}

/** A section's values: every non-empty row read as YAML, the `+` row's pairs included. */
export function sectionValues(edit: SectionEdit): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, text] of edit.rows) {
    const value = readYamlValue(text);
    if (value !== undefined) values[name] = value;
  }
  for (const [name, value] of readAddition(edit.adding)) values[name] = value;
  return values;
}

/** The problem with one row (or the `+` row), found without asking the runner. */
export function rowProblem(text: string, addition = false): string | undefined {
  try {
    if (addition) readAddition(text);
    else readYamlValue(text);
    return undefined;
  } catch (error) {
    return `not YAML: ${(error as Error).message}`;
  }
}

/** A section with the `+` row's pairs moved into its rows (Enter in the `+` row). */
export function commitAddition(edit: SectionEdit): SectionEdit {
  const added = readAddition(edit.adding);
  const rows = edit.rows.filter(([name]) => !added.some(([other]) => other === name));
  return {
    rows: [...rows, ...added.map(([name, value]) => [name, formatYamlValue(value)] as const)],
    adding: "",
  };
}

/**
 * The overrides the edits make, one per edited workload; a section that cannot be read is left
 * out (its row shows why, and the form refuses to start).
 */
export function workloadOverrides(
  slots: readonly WorkloadSlot[],
  edits: Readonly<Record<number, WorkloadEdit>>,
): WorkloadOverrides {
  const overrides: WorkloadOverride[] = [];
  slots.forEach((slot, index) => {
    const edit = edits[index];
    if (edit === undefined) return;
    const override: { -readonly [K in keyof WorkloadOverride]: WorkloadOverride[K] } = {
      workload: { subtaskIndex: slot.subtaskIndex, position: slot.position },
    };
    const read = (section: SectionName) => {
      const current = edit[section];
      if (current === undefined) return undefined;
      try {
        return sectionValues(current);
      } catch {
        return undefined;
      }
    };
    if (edit.runner !== undefined || edit.runnerType !== undefined) {
      const config = edit.runner === undefined ? slot.spec.runner.config : read("runner");
      if (config !== undefined) override.runner = { type: runnerTypeOf(edit, slot.spec), config };
    }
    const contexts = read("contexts");
    if (contexts !== undefined) {
      override.contexts = contexts;
      override.contextsMode = "replace";
    }
    const sla = read("sla");
    if (sla !== undefined) {
      const removed = Object.keys(slot.spec.sla).filter((name) => !(name in sla));
      override.sla = { ...sla, ...Object.fromEntries(removed.map((name) => [name, null])) };
    }
    if (Object.keys(override).length > 1) overrides.push(override);
  });
  return overrides;
}

/** Where a runner problem points: a workload, its section and the row's name (empty: the section itself). */
export interface ProblemPlace {
  readonly workload: number;
  readonly section: SectionName;
  readonly name: string;
}

const PROBLEM_PATH =
  /^subtasks\[(\d+)\]\.workloads\[(\d+)\]\.(runner|contexts|sla)(?:\.([^.[\]]+))?(?:\.([^.[\]]+))?/;

/** The workload section row a problem is about, when its path says so. */
export function problemPlace(
  problem: ProblemDetail,
  slots: readonly WorkloadSlot[],
): ProblemPlace | undefined {
  const match = PROBLEM_PATH.exec(problem.path ?? "");
  if (!match) return undefined;
  const [, subtask, position, section, first, second] = match;
  const workload = slots.findIndex(
    (slot) => slot.subtaskIndex === Number(subtask) && slot.position === Number(position),
  );
  if (workload < 0) return undefined;
  if (section === "runner") {
    // `runner.<type>.<option>`; `runner.<type>` alone is about the runner as a whole.
    return { workload, section, name: second ?? "" };
  }
  const named = first ?? /'([^']+)'/.exec(problem.message)?.[1] ?? "";
  return { workload, section: section as SectionName, name: named };
}
