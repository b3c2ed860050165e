/**
 * Starting tasks from the Scenarios screen: with the defaults (`s`), with the form's request
 * (`e`), or with a copy edited in `$EDITOR` (`E`: the TUI suspends, the editor has the terminal,
 * the TUI resumes and starts the edited text). One start at a time; the outcome goes to the footer.
 */
import type { ScenarioDetail, ScenarioSummary, StartTaskRequest } from "@paddock/shared/api";
import { describeError } from "@paddock/shared/errors";
import { useApp } from "ink";
import { useRef } from "react";
import { problemOf } from "../../cli/commands/scenarios.js";
import type { TuiDeps } from "../deps.js";
import { argsComment, editInEditor } from "../editor-session.js";
import type { FooterMessage } from "../screens/screen-props.js";

export interface ScenarioStarter {
  /** Says in the footer why a broken scenario cannot start; true when it is broken. */
  refuseBroken(target: ScenarioSummary): boolean;
  start(target: ScenarioSummary, request?: StartTaskRequest): void;
  editAndStart(target: ScenarioSummary, detail: ScenarioDetail | undefined): void;
}

export function useScenarioStart(
  deps: Pick<TuiDeps, "clients" | "editor">,
  onMessage: (message: FooterMessage) => void,
  onStarted: (taskId: string) => void,
): ScenarioStarter {
  const { suspendTerminal } = useApp();
  const busy = useRef(false);

  const submit = (request: StartTaskRequest, label: string) => {
    if (busy.current) return;
    busy.current = true;
    deps.clients.runner.startTask(request).then(
      (started) => {
        busy.current = false;
        onMessage({ tone: "info", text: `Started task ${started.taskId} (${label})` });
        onStarted(started.taskId);
      },
      (error: unknown) => {
        busy.current = false;
        onMessage({ tone: "error", text: `Cannot start ${label}: ${describeError(error)}` });
      },
    );
  };

  const refuseBroken = (target: ScenarioSummary): boolean => {
    const problem = problemOf(target);
    if (problem) onMessage({ tone: "error", text: `${target.id} is broken and cannot start: ${problem}` });
    return problem !== undefined;
  };

  return {
    refuseBroken,
    start(target, request) {
      if (refuseBroken(target)) return;
      submit(request ?? { scenarioId: target.id }, target.id);
    },
    editAndStart(target, detail) {
      if (refuseBroken(target) || busy.current) return;
      if (detail === undefined || detail.id !== target.id) {
        onMessage({ tone: "error", text: `${target.id} is still loading; try again in a moment` });
        return;
      }
      const text = argsComment(detail.args) + (detail.expanded ?? detail.raw);
      const editor = deps.editor ?? "vi";
      let outcome: Awaited<ReturnType<typeof editInEditor>> | undefined;
      suspendTerminal(async () => {
        outcome = await editInEditor(editor, target.id, text);
      }).then(
        () => {
          if (outcome?.kind === "emptied") {
            onMessage({ tone: "info", text: `The edited copy of ${target.id} is empty: nothing started` });
          } else if (outcome?.kind === "edited") {
            submit(
              { task: outcome.text, path: target.id },
              `${target.id}${outcome.changed ? ", edited" : ", unchanged"}`,
            );
          }
        },
        (error: unknown) => onMessage({ tone: "error", text: describeError(error) }),
      );
    },
  };
}
