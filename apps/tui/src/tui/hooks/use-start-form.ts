/**
 * The `e` start form's state: field values, the environment chosen from the catalog's, tags,
 * focus, and the runner's verdict on what is typed — asked `validateMs` after the last change
 * (`POST /tasks/validate`), older answers dropped. Enter hands the request to `start`.
 */
import type { ScenarioSummary, StartTaskRequest } from "@paddock/shared/api";
import { describeError, type ProblemDetail } from "@paddock/shared/errors";
import type { Key } from "ink";
import { useEffect, useMemo, useRef, useState } from "react";
import type { TuiDeps } from "../deps.js";
import { actionOf, MODE_BINDINGS } from "../keymap.js";
import { initialForm, localProblem, type StartFormState, startRequest } from "../start-form.js";
import { editText } from "../text-input.js";
import { useEnvironments } from "./use-catalog.js";

/** What the runner said about the form's current request. */
export type Verdict =
  | { readonly state: "checking" }
  | { readonly state: "valid" }
  | { readonly state: "invalid"; readonly message: string; readonly problems: readonly ProblemDetail[] };

export interface StartForm {
  readonly form: StartFormState;
  readonly environments: readonly string[];
  readonly verdict: Verdict;
  readonly request: StartTaskRequest;
  handle(input: string, key: Key): void;
}

export function useStartForm(
  deps: Pick<TuiDeps, "clients" | "validateMs">,
  scenario: ScenarioSummary,
  actions: { start(request: StartTaskRequest): void; close(): void; refuse(reason: string): void },
): StartForm {
  const envList = useEnvironments(deps.clients.catalog);
  const environments = useMemo(
    () => (envList.value?.environments ?? []).filter((env) => env.error === undefined).map((env) => env.name),
    [envList.value],
  );
  const [form, setForm] = useState(() => initialForm(scenario.args, []));
  const [verdict, setVerdict] = useState<Verdict>({ state: "checking" });
  const asked = useRef(0);

  // Once the environments are known, preselect `local` (the runner's default).
  useEffect(() => {
    const local = environments.indexOf("local");
    if (local >= 0) setForm((current) => ({ ...current, environment: local }));
  }, [environments]);

  const request = useMemo(
    () => startRequest(scenario.id, scenario.args, form, environments),
    [scenario, form, environments],
  );
  const requestKey = JSON.stringify(request);
  const { runner } = deps.clients;
  const delay = deps.validateMs ?? 300;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `requestKey` stands for `request`.
  useEffect(() => {
    const id = ++asked.current;
    setVerdict({ state: "checking" });
    const timer = setTimeout(() => {
      runner.validateTask(request).then(
        () => {
          if (id === asked.current) setVerdict({ state: "valid" });
        },
        (error: unknown) => {
          if (id !== asked.current) return;
          const problems = (error as { problems?: readonly ProblemDetail[] }).problems ?? [];
          setVerdict({ state: "invalid", message: describeError(error), problems });
        },
      );
    }, delay);
    return () => clearTimeout(timer);
  }, [requestKey, runner, delay]);

  const fieldCount = scenario.args.length + 2;
  const handle = (input: string, key: Key) => {
    const action = actionOf(MODE_BINDINGS["scenarios.form"], input, key);
    const focusedArg = scenario.args[form.focus];
    const onEnvironment = form.focus === scenario.args.length;
    switch (action) {
      case "cancel":
        actions.close();
        return;
      case "next-field":
        setForm((current) => ({ ...current, focus: (current.focus + 1) % fieldCount }));
        return;
      case "previous-field":
        setForm((current) => ({ ...current, focus: (current.focus - 1 + fieldCount) % fieldCount }));
        return;
      case "previous-choice":
      case "next-choice":
        if (onEnvironment && environments.length > 0) {
          const step = action === "next-choice" ? 1 : -1;
          setForm((current) => ({
            ...current,
            environment: (current.environment + step + environments.length) % environments.length,
          }));
        }
        return;
      case "submit": {
        const missing = scenario.args.find((arg) =>
          localProblem(arg, form.values[arg.name] ?? "")?.startsWith("required"),
        );
        if (missing) actions.refuse(`${missing.name} is required`);
        else if (verdict.state === "invalid") actions.refuse(`not started: ${verdict.message}`);
        else actions.start(request);
        return;
      }
      default: {
        if (onEnvironment) return;
        if (focusedArg) {
          const next = editText(form.values[focusedArg.name] ?? "", input, key);
          if (next !== undefined)
            setForm((current) => ({ ...current, values: { ...current.values, [focusedArg.name]: next } }));
          return;
        }
        const next = editText(form.tags, input, key);
        if (next !== undefined) setForm((current) => ({ ...current, tags: next }));
      }
    }
  };
  return { form, environments, verdict, request, handle };
}
