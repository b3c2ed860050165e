/**
 * The `e` form beside the scenario list: owns the form's state and, while open, the keyboard.
 * Enter starts the task the form describes; Ctrl-P previews it (Ctrl-S there saves it as a new
 * scenario); Esc closes it.
 */
import type { ScenarioSummary, StartTaskRequest } from "@paddock/shared/api";
import { useInput } from "ink";
import { StartForm } from "../components/StartForm.js";
import { previewRows, StartPreview } from "../components/StartPreview.js";
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
  /** The preview opened or closed (the screen's mode follows). */
  onPreview(open: boolean): void;
  /** The save-as prompt opened or closed (the screen's mode follows). */
  onSaveAs(open: boolean): void;
  /** A new scenario was saved in the catalog. */
  onSaved(id: string): void;
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
  onPreview,
  onSaveAs,
  onSaved,
}: StartFormPanelProps) {
  const start = useStartForm(
    deps,
    scenario,
    {
      start: onStart,
      close: onClose,
      refuse: (reason) => onMessage({ tone: "error", text: `${scenario.id}: ${reason}` }),
      onPreview,
      onSaveAs,
      saved: (id, text) => {
        onMessage({ tone: "info", text });
        onSaved(id);
      },
    },
    previewRows(height),
  );
  useInput((input, key) => start.handle(input, key), { isActive });
  if (start.preview.state !== "closed") {
    return (
      <StartPreview
        scenario={scenario}
        preview={start.preview}
        saveAs={start.saveAs}
        width={width}
        height={height}
      />
    );
  }
  return (
    <StartForm
      scenario={scenario}
      form={start.form}
      fields={start.fields}
      slots={start.slots}
      environments={start.environments}
      verdict={start.verdict}
      renderProblem={start.renderProblem}
      width={width}
      height={height}
    />
  );
}
