/**
 * The `e` form beside the scenario list: owns the form's state and, while open, the keyboard.
 * Enter starts the task the form describes; Esc closes it.
 */
import type { ScenarioSummary, StartTaskRequest } from "@paddock/shared/api";
import { useInput } from "ink";
import { StartForm } from "../components/StartForm.js";
import type { TuiDeps } from "../deps.js";
import { useStartForm } from "../hooks/use-start-form.js";
import type { FooterMessage } from "./screen-props.js";

export interface StartFormPanelProps {
  readonly deps: TuiDeps;
  readonly scenario: ScenarioSummary;
  readonly isActive: boolean;
  readonly width: number;
  readonly height: number;
  onStart(request: StartTaskRequest): void;
  onClose(): void;
  onMessage(message: FooterMessage): void;
}

export function StartFormPanel({
  deps,
  scenario,
  isActive,
  width,
  height,
  onStart,
  onClose,
  onMessage,
}: StartFormPanelProps) {
  const start = useStartForm(deps, scenario, {
    start: onStart,
    close: onClose,
    refuse: (reason) => onMessage({ tone: "error", text: `${scenario.id}: ${reason}` }),
  });
  useInput((input, key) => start.handle(input, key), { isActive });
  return (
    <StartForm
      scenario={scenario}
      form={start.form}
      environments={start.environments}
      verdict={start.verdict}
      width={width}
      height={height}
    />
  );
}
