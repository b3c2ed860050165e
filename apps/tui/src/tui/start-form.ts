/**
 * The start form's data, as plain functions: a field per declared template argument (prefilled
 * with its default); then, for the workload chosen (when the task has several), its runner type,
 * runner options, contexts and SLA as `name: value` rows each ending in a `+` row; then the
 * environment and the tags. Typed arguments are read like YAML scalars would be (`100` is a
 * number, `true` a boolean, `[1, 2]` a list, anything else a string); section rows are YAML.
 */
import type { ScenarioArg, StartTaskRequest } from "@paddock/shared/api";
import type { ProblemDetail } from "@paddock/shared/errors";
import {
  commitAddition,
  RUNNER_OPTIONS,
  RUNNER_TYPES,
  runnerRows,
  runnerTypeOf,
  type SectionEdit,
  type SectionName,
  sectionEdit,
  type WorkloadEdit,
  type WorkloadSlot,
  workloadOverrides,
} from "./workload-edits.js";

export interface StartFormState {
  /** Text typed per argument name. */
  readonly values: Readonly<Record<string, string>>;
  /** Index into the environments offered. */
  readonly environment: number;
  /** Comma- or space-separated. */
  readonly tags: string;
  /** Key of the focused field (see `FormField.key`). */
  readonly focus: string;
  /** Index (in task order) of the workload whose runner, contexts and SLA are shown. */
  readonly workload: number;
  /** The user's edits by workload index; a workload left out runs as rendered. */
  readonly edits: Readonly<Record<number, WorkloadEdit>>;
}

/** One focusable line of the form. */
export type FormField =
  | { readonly key: string; readonly kind: "arg"; readonly arg: ScenarioArg }
  | { readonly key: "workload"; readonly kind: "workload" }
  | { readonly key: "runner-type"; readonly kind: "runner-type" }
  | {
      readonly key: string;
      readonly kind: "row";
      readonly section: SectionName;
      readonly name: string;
      readonly text: string;
    }
  | { readonly key: string; readonly kind: "add"; readonly section: SectionName; readonly text: string }
  | { readonly key: "environment"; readonly kind: "environment" }
  | { readonly key: "tags"; readonly kind: "tags" };

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
    focus: args[0] ? `arg:${args[0].name}` : "runner-type",
    workload: 0,
    edits: {},
  };
}

/** Every field of the form in order, for the state and the rendered task's workloads. */
export function formFields(
  args: readonly ScenarioArg[],
  slots: readonly WorkloadSlot[],
  form: StartFormState,
): FormField[] {
  const fields: FormField[] = args.map((arg) => ({ key: `arg:${arg.name}`, kind: "arg", arg }));
  const slot = slots[form.workload];
  if (slots.length > 1) fields.push({ key: "workload", kind: "workload" });
  if (slot !== undefined) {
    const edit = form.edits[form.workload];
    fields.push({ key: "runner-type", kind: "runner-type" });
    const sections: [SectionName, [string, string][]][] = [
      ["runner", runnerRows(edit, slot.spec)],
      ["contexts", sectionEdit(edit, slot.spec, "contexts").rows.map(([name, text]) => [name, text])],
      ["sla", sectionEdit(edit, slot.spec, "sla").rows.map(([name, text]) => [name, text])],
    ];
    for (const [section, rows] of sections) {
      for (const [name, text] of rows)
        fields.push({ key: `${section}:${name}`, kind: "row", section, name, text });
      fields.push({
        key: `${section}+`,
        kind: "add",
        section,
        text: sectionEdit(edit, slot.spec, section).adding,
      });
    }
  }
  fields.push({ key: "environment", kind: "environment" }, { key: "tags", kind: "tags" });
  return fields;
}

/** The field after (`step` 1) or before (-1) the focused one. */
export function moveFocus(fields: readonly FormField[], focus: string, step: 1 | -1): string {
  const index = Math.max(
    0,
    fields.findIndex((field) => field.key === focus),
  );
  return (fields[(index + step + fields.length) % fields.length] as FormField).key;
}

function editOf(form: StartFormState): WorkloadEdit {
  return form.edits[form.workload] ?? {};
}

function withEdit(form: StartFormState, edit: WorkloadEdit): StartFormState {
  return { ...form, edits: { ...form.edits, [form.workload]: edit } };
}

/** Sets the text of a section row of the shown workload (the section is then the user's). */
export function editRow(
  form: StartFormState,
  slot: WorkloadSlot,
  section: SectionName,
  name: string,
  text: string,
): StartFormState {
  const edit = editOf(form);
  const current: SectionEdit = sectionEdit(edit, slot.spec, section);
  const rows = current.rows.some(([row]) => row === name)
    ? current.rows.map(([row, value]) => [row, row === name ? text : value] as const)
    : [...current.rows, [name, text] as const];
  return withEdit(form, { ...edit, [section]: { ...current, rows } });
}

/** Sets the text of a section's `+` row. */
export function editAddition(
  form: StartFormState,
  slot: WorkloadSlot,
  section: SectionName,
  text: string,
): StartFormState {
  const edit = editOf(form);
  const current = sectionEdit(edit, slot.spec, section);
  return withEdit(form, { ...edit, [section]: { ...current, adding: text } });
}

/** Moves the `+` row's `name: value` pairs into the section's rows; throws when they cannot be read. */
export function addRows(form: StartFormState, slot: WorkloadSlot, section: SectionName): StartFormState {
  const edit = editOf(form);
  return withEdit(form, { ...edit, [section]: commitAddition(sectionEdit(edit, slot.spec, section)) });
}

/** The next (or previous) runner type; the options the new type knows keep their values. */
export function cycleRunnerType(form: StartFormState, slot: WorkloadSlot, step: 1 | -1): StartFormState {
  const edit = editOf(form);
  const current = runnerTypeOf(edit, slot.spec);
  const types = RUNNER_TYPES.includes(current) ? RUNNER_TYPES : [current, ...RUNNER_TYPES];
  const next = types[(types.indexOf(current) + step + types.length) % types.length] as string;
  const rows = sectionEdit(edit, slot.spec, "runner").rows;
  const options = RUNNER_OPTIONS[next];
  const known = (name: string) =>
    next === slot.spec.runner.type || options === undefined || options.includes(name);
  return withEdit(form, {
    ...edit,
    runnerType: next,
    runner: { rows: rows.filter(([name]) => known(name)), adding: "" },
  });
}

/** A problem with one argument found without asking the runner. */
export function localProblem(arg: ScenarioArg, text: string): string | undefined {
  if (text.trim() === "") return arg.required ? "required: this scenario has no default for it" : undefined;
  if (arg.default === undefined) return undefined;
  const expected = typeName(arg.default);
  const actual = typeName(parseArgValue(text));
  if (expected === actual || (expected === "number" && actual === "number")) return undefined;
  return `a ${actual}, but the default (${formatArgValue(arg.default)}) is a ${expected}`;
}

/** The runner's problems about argument `name`: its path ends in it, or the message names it. */
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

/**
 * The request the form starts (and validates): empty optional arguments fall back to the
 * defaults; the edited workloads become overrides.
 */
export function startRequest(
  scenarioId: string,
  args: readonly ScenarioArg[],
  form: StartFormState,
  environments: readonly string[],
  slots: readonly WorkloadSlot[] = [],
): StartTaskRequest {
  const values: Record<string, unknown> = {};
  for (const arg of args) {
    const text = form.values[arg.name] ?? "";
    if (text.trim() !== "") values[arg.name] = parseArgValue(text);
  }
  const environment = environments[form.environment];
  const tags = splitTags(form.tags);
  const overrides = workloadOverrides(slots, form.edits);
  return {
    scenarioId,
    args: values,
    ...(environment ? { environment } : {}),
    ...(tags.length > 0 ? { tags } : {}),
    ...(overrides.length > 0 ? { overrides } : {}),
  };
}
