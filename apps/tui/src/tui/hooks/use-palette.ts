/**
 * The `:` palette's state: the line typed, the suggestions for it (scenario and task ids are
 * loaded when the palette opens) and which one is chosen. Enter hands a parsed command to `run`.
 */
import type { Key } from "ink";
import { useCallback, useMemo, useState } from "react";
import type { TuiDeps } from "../deps.js";
import { actionOf, MODE_BINDINGS } from "../keymap.js";
import {
  type Completions,
  type ParsedCommand,
  parseCommand,
  type Suggestion,
  suggest,
} from "../palette-commands.js";
import { editText } from "../text-input.js";
import { useAsync } from "./use-async.js";

export interface Palette {
  readonly open: boolean;
  readonly line: string;
  readonly suggestions: readonly Suggestion[];
  readonly selected: number;
  /** Why the last Enter did not run anything. */
  readonly problem: string | undefined;
  show(): void;
  handle(input: string, key: Key): void;
}

export function usePalette(
  deps: Pick<TuiDeps, "clients">,
  run: (command: Extract<ParsedCommand, { ok: true }>) => void,
): Palette {
  const [open, setOpen] = useState(false);
  const [line, setLine] = useState("");
  const [selected, setSelected] = useState(-1);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const { catalog, results } = deps.clients;
  const scenarios = useAsync(() => catalog.listScenarios(), [catalog], open);
  const tasks = useAsync(() => results.listTasks(), [results], open);
  const completions: Completions = useMemo(
    () => ({
      scenarios: (scenarios.value?.services ?? []).flatMap((group) =>
        group.scenarios.filter((item) => item.error === undefined).map((item) => item.id),
      ),
      tasks: (tasks.value?.tasks ?? []).map((task) => ({ id: task.id, title: task.title })),
    }),
    [scenarios.value, tasks.value],
  );
  const suggestions = useMemo(() => suggest(line, completions), [line, completions]);

  const close = useCallback(() => {
    setOpen(false);
    setLine("");
    setSelected(-1);
    setProblem(undefined);
  }, []);
  const show = useCallback(() => {
    setOpen(true);
    setLine("");
    setSelected(-1);
    setProblem(undefined);
  }, []);

  const handle = (input: string, key: Key) => {
    const action = actionOf(MODE_BINDINGS.palette, input, key);
    const chosen = suggestions[selected];
    switch (action) {
      case "cancel":
        close();
        return;
      case "up":
        setSelected((index) => (suggestions.length === 0 ? -1 : Math.max(0, index - 1)));
        return;
      case "down":
        setSelected((index) => Math.min(suggestions.length - 1, index + 1));
        return;
      case "complete": {
        const target = chosen ?? suggestions[0];
        if (target) setLine(target.line);
        setSelected(-1);
        return;
      }
      case "submit": {
        const parsed = parseCommand(chosen?.line ?? line);
        if (!parsed.ok) {
          setProblem(parsed.message);
          return;
        }
        close();
        run(parsed);
        return;
      }
      default: {
        const next = editText(line, input, key);
        if (next === undefined) return;
        setLine(next);
        setSelected(-1);
        setProblem(undefined);
      }
    }
  };
  return { open, line, suggestions, selected, problem, show, handle };
}
