/**
 * The `e` start form's state: argument values, the runner, contexts and SLA of each workload, the
 * environment chosen from the catalog's, tags and focus. What is typed is checked as you type:
 * the catalog renders the task from the arguments (the runner, contexts and SLA shown are the
 * rendered ones until edited), the runner validates the whole request (`POST /tasks/validate`),
 * each `validateMs` after the last change, older answers dropped. Ctrl-P previews the task the
 * catalog renders with the edits, where Ctrl-S saves that task as a new catalog scenario under an
 * id typed in (`POST /scenarios`: checked by the catalog, never replacing one); Enter hands the
 * request to `start`.
 */
import type { RenderScenarioResponse, ScenarioSummary, StartTaskRequest } from "@paddock/shared/api";
import { describeError, type ProblemDetail } from "@paddock/shared/errors";
import { taskSpecDocument } from "@paddock/tasks";
import type { Key } from "ink";
import { useEffect, useMemo, useRef, useState } from "react";
import type { TuiDeps } from "../deps.js";
import { actionOf, MODE_BINDINGS } from "../keymap.js";
import {
  addRows,
  cycleRunnerType,
  editAddition,
  editRow,
  type FormField,
  formFields,
  initialForm,
  localProblem,
  moveFocus,
  type StartFormState,
  startRequest,
} from "../start-form.js";
import { previewStart, renderedLines } from "../start-preview-lines.js";
import { editText } from "../text-input.js";
import { rowProblem, type WorkloadSlot, workloadSlots } from "../workload-edits.js";
import { yamlLines } from "../yaml-text.js";
import { useEnvironments } from "./use-catalog.js";

/** What the runner said about the form's current request. */
export type Verdict =
  | { readonly state: "checking" }
  | { readonly state: "valid" }
  | { readonly state: "invalid"; readonly message: string; readonly problems: readonly ProblemDetail[] };

/** The catalog's render of the form's request, for the preview. */
export type Preview =
  | { readonly state: "closed" }
  | { readonly state: "rendering"; readonly scroll: number }
  | { readonly state: "rendered"; readonly scroll: number; readonly answer: RenderScenarioResponse }
  | { readonly state: "failed"; readonly scroll: number; readonly message: string };

export interface SaveAs {
  /** The new scenario's id as typed, `<service>/<name>.yaml`. */
  readonly id: string;
  readonly saving: boolean;
}

/** `dummy/dummy.yaml` → `dummy/dummy-edited.yaml`: where a saved copy goes unless told otherwise. */
export function saveAsDefault(id: string): string {
  const dot = id.lastIndexOf(".");
  return dot > id.lastIndexOf("/") ? `${id.slice(0, dot)}-edited${id.slice(dot)}` : `${id}-edited.yaml`;
}

export interface StartForm {
  readonly form: StartFormState;
  readonly fields: readonly FormField[];
  /** The rendered task's workloads (the last render that worked). */
  readonly slots: readonly WorkloadSlot[];
  readonly environments: readonly string[];
  readonly verdict: Verdict;
  readonly preview: Preview;
  /** The save-as prompt over the preview, while open: the id typed, and whether it is saving. */
  readonly saveAs: SaveAs | undefined;
  readonly request: StartTaskRequest;
  /** Why the catalog cannot render the arguments typed, while that is so. */
  readonly renderProblem: string | undefined;
  handle(input: string, key: Key): void;
}

/** Runs `task` `delayMs` after the last change of `key`; the cleanup cancels a pending run. */
function useDebounced(key: string, delayMs: number, task: (isCurrent: () => boolean) => void): void {
  const asked = useRef(0);
  const run = useRef(task);
  run.current = task;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new `key` is what starts the wait again.
  useEffect(() => {
    const id = ++asked.current;
    const timer = setTimeout(() => run.current(() => id === asked.current), delayMs);
    return () => clearTimeout(timer);
  }, [key, delayMs]);
}

export function useStartForm(
  deps: Pick<TuiDeps, "clients" | "validateMs">,
  scenario: ScenarioSummary,
  actions: {
    start(request: StartTaskRequest): void;
    close(): void;
    refuse(reason: string): void;
    onPreview?(open: boolean): void;
    /** The save-as prompt opened or closed (the screen's mode follows). */
    onSaveAs?(open: boolean): void;
    /** A scenario was saved: `id` and a line to show. */
    saved?(id: string, message: string): void;
  },
  /** Lines the preview shows at once (a page). */
  previewRows = 10,
): StartForm {
  const envList = useEnvironments(deps.clients.catalog);
  const environments = useMemo(
    () => (envList.value?.environments ?? []).filter((env) => env.error === undefined).map((env) => env.name),
    [envList.value],
  );
  const [form, setForm] = useState(() => initialForm(scenario.args, []));
  const [verdict, setVerdict] = useState<Verdict>({ state: "checking" });
  const [preview, setPreview] = useState<Preview>({ state: "closed" });
  const [saveAs, setSaveAs] = useState<SaveAs | undefined>(undefined);
  const [base, setBase] = useState<RenderScenarioResponse | undefined>(undefined);
  const [renderProblem, setRenderProblem] = useState<string | undefined>(undefined);
  const { runner, catalog } = deps.clients;
  const delay = deps.validateMs ?? 300;

  // Once the environments are known, preselect `local` (the runner's default).
  useEffect(() => {
    const local = environments.indexOf("local");
    if (local >= 0) setForm((current) => ({ ...current, environment: local }));
  }, [environments]);

  // The rendered task for the arguments typed: the runner, contexts and SLA the form starts from.
  const argsRequest = startRequest(scenario.id, scenario.args, { ...form, edits: {} }, []);
  const argsKey = JSON.stringify(argsRequest.args);
  useDebounced(argsKey, delay, (isCurrent) => {
    catalog.renderScenario(scenario.id, { args: argsRequest.args ?? {} }).then(
      (answer) => {
        if (!isCurrent()) return;
        if (answer.task !== undefined) setBase(answer);
        setRenderProblem(
          answer.task === undefined
            ? answer.problems.map((problem) => problem.message).join("; ") || "the task cannot be read"
            : undefined,
        );
      },
      (error: unknown) => {
        if (isCurrent()) setRenderProblem(describeError(error));
      },
    );
  });

  const slots = useMemo(() => workloadSlots(base?.task), [base]);
  const fields = useMemo(() => formFields(scenario.args, slots, form), [scenario.args, slots, form]);
  const request = useMemo(
    () => startRequest(scenario.id, scenario.args, form, environments, slots),
    [scenario, form, environments, slots],
  );
  const requestKey = JSON.stringify(request);

  // biome-ignore lint/correctness/useExhaustiveDependencies: each new request is unjudged until the runner answers.
  useEffect(() => {
    setVerdict({ state: "checking" });
  }, [requestKey]);
  useDebounced(requestKey, delay, (isCurrent) => {
    runner.validateTask(request).then(
      () => {
        if (isCurrent()) setVerdict({ state: "valid" });
      },
      (error: unknown) => {
        if (!isCurrent()) return;
        const problems = (error as { problems?: readonly ProblemDetail[] }).problems ?? [];
        setVerdict({ state: "invalid", message: describeError(error), problems });
      },
    );
  });

  const previewOpen = preview.state !== "closed";
  useDebounced(`${previewOpen}${requestKey}`, previewOpen ? 0 : delay, (isCurrent) => {
    if (!previewOpen) return;
    const { args = {}, overrides = [] } = request;
    catalog.renderScenario(scenario.id, { args, overrides }).then(
      (answer) => {
        if (isCurrent())
          setPreview((current) =>
            current.state === "closed"
              ? current
              : {
                  state: "rendered",
                  scroll: Math.min(
                    Math.max(0, renderedLines(answer).length - previewRows),
                    current.state === "rendering" ? previewStart(renderedLines(answer)) : current.scroll,
                  ),
                  answer,
                },
          );
      },
      (error: unknown) => {
        if (isCurrent())
          setPreview((current) =>
            current.state === "closed"
              ? current
              : { state: "failed", scroll: current.scroll, message: describeError(error) },
          );
      },
    );
  });

  const togglePreview = (open: boolean) => {
    setPreview(open ? { state: "rendering", scroll: 0 } : { state: "closed" });
    actions.onPreview?.(open);
  };

  const toggleSaveAs = (next: SaveAs | undefined) => {
    setSaveAs(next);
    actions.onSaveAs?.(next !== undefined);
  };

  const save = async (current: SaveAs, task: NonNullable<RenderScenarioResponse["task"]>) => {
    const id = current.id.trim();
    setSaveAs({ ...current, saving: true });
    try {
      const saved = await catalog.createScenario(id, `${yamlLines(taskSpecDocument(task)).join("\n")}\n`);
      toggleSaveAs(undefined);
      actions.saved?.(saved.id, `Saved ${saved.id} — the task as previewed, now in the catalog`);
    } catch (error) {
      setSaveAs({ ...current, saving: false });
      actions.refuse(`not saved: ${describeError(error)}`);
    }
  };

  const handleSaveAs = (input: string, key: Key, current: SaveAs) => {
    if (current.saving) return;
    const action = actionOf(MODE_BINDINGS["scenarios.save"], input, key);
    if (action === "cancel") {
      toggleSaveAs(undefined);
      return;
    }
    if (action === "submit") {
      if (preview.state !== "rendered" || preview.answer.task === undefined) return;
      if (current.id.trim() === "") {
        actions.refuse("type the new scenario's id, e.g. dummy/my-test.yaml");
        return;
      }
      void save(current, preview.answer.task);
      return;
    }
    const id = editText(current.id, input, key);
    if (id !== undefined) setSaveAs({ ...current, id });
  };

  const submit = () => {
    const focused = fields.find((field) => field.key === form.focus);
    const slot = slots[form.workload];
    if (focused?.kind === "add" && focused.text.trim() !== "" && slot !== undefined) {
      try {
        setForm((current) => addRows(current, slot, focused.section));
      } catch (error) {
        actions.refuse(`cannot add ${focused.text.trim()}: ${(error as Error).message}`);
      }
      return;
    }
    const missing = scenario.args.find((arg) =>
      localProblem(arg, form.values[arg.name] ?? "")?.startsWith("required"),
    );
    const unreadable = fields.find(
      (field) =>
        (field.kind === "row" || field.kind === "add") && rowProblem(field.text, field.kind === "add"),
    );
    if (missing) actions.refuse(`${missing.name} is required`);
    else if (unreadable && (unreadable.kind === "row" || unreadable.kind === "add"))
      actions.refuse(
        `${unreadable.section} ${unreadable.kind === "row" ? unreadable.name : "+"}: ${rowProblem(unreadable.text, unreadable.kind === "add")}`,
      );
    else if (verdict.state === "invalid") actions.refuse(`not started: ${verdict.message}`);
    else actions.start(request);
  };

  const handlePreview = (input: string, key: Key) => {
    const action = actionOf(MODE_BINDINGS["scenarios.preview"], input, key);
    const scroll = (change: (value: number) => number) =>
      setPreview((current) => {
        if (current.state === "closed") return current;
        const lines = current.state === "rendered" ? renderedLines(current.answer).length : 1;
        const last = Math.max(0, lines - previewRows);
        return { ...current, scroll: Math.max(0, Math.min(last, change(current.scroll))) };
      });
    if (action === "cancel" || action === "preview") togglePreview(false);
    if (action === "submit") submit();
    if (action === "save-as") {
      if (preview.state === "rendered" && preview.answer.task !== undefined && preview.answer.valid) {
        toggleSaveAs({ id: saveAsDefault(scenario.id), saving: false });
      } else actions.refuse("only a task that renders without problems can be saved");
    }
    if (action === "up") scroll((value) => value - 1);
    if (action === "down") scroll((value) => value + 1);
    if (action === "page-up") scroll((value) => value - previewRows);
    if (action === "page-down") scroll((value) => value + previewRows);
  };

  const handle = (input: string, key: Key) => {
    if (saveAs !== undefined) {
      handleSaveAs(input, key, saveAs);
      return;
    }
    if (previewOpen) {
      handlePreview(input, key);
      return;
    }
    const action = actionOf(MODE_BINDINGS["scenarios.form"], input, key);
    const focused = fields.find((field) => field.key === form.focus) ?? fields[0];
    const slot = slots[form.workload];
    switch (action) {
      case "cancel":
        actions.close();
        return;
      case "preview":
        togglePreview(true);
        return;
      case "next-field":
      case "previous-field": {
        const step = action === "next-field" ? 1 : -1;
        setForm((current) => ({ ...current, focus: moveFocus(fields, current.focus, step) }));
        return;
      }
      case "previous-choice":
      case "next-choice": {
        const step = action === "next-choice" ? 1 : -1;
        if (focused?.kind === "environment" && environments.length > 0) {
          setForm((current) => ({
            ...current,
            environment: (current.environment + step + environments.length) % environments.length,
          }));
        }
        if (focused?.kind === "workload" && slots.length > 0) {
          setForm((current) => ({
            ...current,
            workload: (current.workload + step + slots.length) % slots.length,
          }));
        }
        if (focused?.kind === "runner-type" && slot !== undefined) {
          setForm((current) => cycleRunnerType(current, slot, step));
        }
        return;
      }
      case "submit":
        submit();
        return;
      default: {
        if (focused === undefined) return;
        if (focused.kind === "arg") {
          const name = focused.arg.name;
          const next = editText(form.values[name] ?? "", input, key);
          if (next !== undefined)
            setForm((current) => ({ ...current, values: { ...current.values, [name]: next } }));
        } else if (focused.kind === "row" && slot !== undefined) {
          const next = editText(focused.text, input, key);
          if (next !== undefined)
            setForm((current) => editRow(current, slot, focused.section, focused.name, next));
        } else if (focused.kind === "add" && slot !== undefined) {
          const next = editText(focused.text, input, key);
          if (next !== undefined) setForm((current) => editAddition(current, slot, focused.section, next));
        } else if (focused.kind === "tags") {
          const next = editText(form.tags, input, key);
          if (next !== undefined) setForm((current) => ({ ...current, tags: next }));
        }
      }
    }
  };
  return { form, fields, slots, environments, verdict, preview, saveAs, request, renderProblem, handle };
}
