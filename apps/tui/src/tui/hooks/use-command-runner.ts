/**
 * Runs what the `:` palette parsed: switch screens, start a scenario with its defaults (then
 * follow it), open a task (its report once it has ended, the live view while it runs), compare
 * tasks, help, quit.
 */
import { describeError } from "@paddock/shared/errors";
import { isFinal } from "../../live/task-detail-waiter.js";
import type { TuiDeps } from "../deps.js";
import type { ScreenId } from "../keymap.js";
import type { FooterMessage } from "../screens/screen-props.js";
import { type Palette, usePalette } from "./use-palette.js";

export interface CommandTargets {
  go(screen: ScreenId): void;
  follow(taskId: string): void;
  openReport(taskId: string): void;
  /** Compare these tasks (the first is the baseline). */
  compare(taskIds: readonly string[]): void;
  help(): void;
  quit(): void;
  message(message: FooterMessage): void;
}

export function usePaletteRunner(deps: Pick<TuiDeps, "clients">, targets: CommandTargets): Palette {
  const { runner, results } = deps.clients;
  return usePalette(deps, (command) => {
    const id = command.argument ?? "";
    switch (command.name) {
      case "scenarios":
      case "live":
      case "tasks":
      case "envs":
        targets.go(command.name);
        return;
      case "help":
        targets.help();
        return;
      case "quit":
        targets.quit();
        return;
      case "start":
        runner.startTask({ scenarioId: id }).then(
          (started) => {
            targets.message({ tone: "info", text: `Started task ${started.taskId} (${id})` });
            targets.follow(started.taskId);
          },
          (error: unknown) =>
            targets.message({ tone: "error", text: `Cannot start ${id}: ${describeError(error)}` }),
        );
        return;
      case "compare":
        targets.compare(id.split(/[\s,]+/).filter(Boolean));
        return;
      case "task":
        results.getTask(id).then(
          (detail) => (isFinal(detail) ? targets.openReport(id) : targets.follow(id)),
          (error: unknown) =>
            targets.message({ tone: "error", text: `Cannot open task ${id}: ${describeError(error)}` }),
        );
        return;
    }
  });
}
