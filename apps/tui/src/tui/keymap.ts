/**
 * Every key of the TUI in one place. Screens ask `actionOf(mode, input, key)` what a key means
 * where they are; the footer and the `?` help render these same tables, so what is shown is what
 * works.
 */
import type { Key } from "ink";

export type ScreenId = "scenarios" | "live" | "tasks";

export const SCREENS: readonly { readonly id: ScreenId; readonly title: string }[] = [
  { id: "scenarios", title: "Scenarios" },
  { id: "live", title: "Live task" },
  { id: "tasks", title: "Tasks" },
];

/** Where the keyboard focus is: a screen and what that screen shows now. */
export type Mode =
  | "scenarios.services"
  | "scenarios.list"
  | "live.idle"
  | "live.following"
  | "live.confirm"
  | "live.ended"
  | "live.summary"
  | "tasks.list"
  | "tasks.summary";

export type Action =
  | "next-screen"
  | "previous-screen"
  | "screen-1"
  | "screen-2"
  | "screen-3"
  | "help"
  | "quit"
  | "up"
  | "down"
  | "page-up"
  | "page-down"
  | "open"
  | "back"
  | "start"
  | "reload"
  | "abort"
  | "confirm"
  | "cancel"
  | "previous-workload"
  | "next-workload";

export interface Binding {
  readonly action: Action;
  /** How the keys are written: `↑/↓`, `Enter`, `s`. */
  readonly keys: string;
  /** A word or two for the footer. */
  readonly label: string;
  /** A sentence for the help screen. */
  readonly description: string;
  readonly matches: (input: string, key: Key) => boolean;
}

const char =
  (...chars: string[]) =>
  (input: string, key: Key) =>
    !key.ctrl && !key.meta && chars.includes(input);

const UP: Binding = {
  action: "up",
  keys: "↑/↓",
  label: "move",
  description: "Move the selection up or down (also k/j)",
  matches: (input, key) => key.upArrow || char("k")(input, key),
};
const DOWN: Binding = {
  ...UP,
  matches: (input, key) => key.downArrow || char("j")(input, key),
  action: "down",
};
const PAGE_UP: Binding = {
  action: "page-up",
  keys: "PgUp/PgDn",
  label: "page",
  description: "Move a page up or down",
  matches: (_input, key) => key.pageUp,
};
const PAGE_DOWN: Binding = { ...PAGE_UP, action: "page-down", matches: (_input, key) => key.pageDown };
const BACK: Binding = {
  action: "back",
  keys: "Esc",
  label: "back",
  description: "Go back",
  matches: (_input, key) => key.escape || key.leftArrow,
};
const RELOAD: Binding = {
  action: "reload",
  keys: "r",
  label: "refresh",
  description: "Load again from the service",
  matches: char("r"),
};
const WORKLOADS: Binding = {
  action: "previous-workload",
  keys: "←/→",
  label: "workload",
  description: "Show the previous or next workload's report",
  matches: (input, key) => key.leftArrow || char("h")(input, key),
};
const NEXT_WORKLOAD: Binding = {
  ...WORKLOADS,
  action: "next-workload",
  matches: (input, key) => key.rightArrow || char("l")(input, key),
};

/** Keys valid on every screen (unless a dialog is open). */
export const GLOBAL_BINDINGS: readonly Binding[] = [
  {
    action: "next-screen",
    keys: "Tab",
    label: "screens",
    description: "Next screen (Shift-Tab: previous)",
    matches: (_input, key) => key.tab && !key.shift,
  },
  {
    action: "previous-screen",
    keys: "Shift-Tab",
    label: "",
    description: "Previous screen",
    matches: (_input, key) => key.tab && key.shift,
  },
  { action: "screen-1", keys: "1", label: "", description: "Scenarios screen", matches: char("1") },
  { action: "screen-2", keys: "2", label: "", description: "Live task screen", matches: char("2") },
  { action: "screen-3", keys: "3", label: "", description: "Tasks screen", matches: char("3") },
  { action: "help", keys: "?", label: "help", description: "Show or hide this help", matches: char("?") },
  {
    action: "quit",
    keys: "q",
    label: "quit",
    description: "Quit (Ctrl-C too)",
    matches: (input, key) => char("q")(input, key) || (key.ctrl && input === "c"),
  },
];

export const MODE_BINDINGS: Readonly<Record<Mode, readonly Binding[]>> = {
  "scenarios.services": [
    UP,
    DOWN,
    {
      action: "open",
      keys: "Enter",
      label: "open",
      description: "Show the service's scenarios",
      matches: (input, key) => key.return || key.rightArrow || char("l")(input, key),
    },
    RELOAD,
  ],
  "scenarios.list": [
    UP,
    DOWN,
    {
      action: "start",
      keys: "s",
      label: "start",
      description: "Start the selected scenario with its default arguments",
      matches: char("s"),
    },
    { ...BACK, label: "services", description: "Back to the services" },
    RELOAD,
  ],
  "live.idle": [],
  "live.following": [
    {
      action: "abort",
      keys: "a",
      label: "abort",
      description: "Abort the task softly (asks first)",
      matches: char("a"),
    },
    { ...BACK, matches: (_input, key) => key.escape, description: "Back to the previous screen" },
  ],
  "live.confirm": [
    { action: "confirm", keys: "y", label: "abort", description: "Abort the task", matches: char("y", "Y") },
    {
      action: "cancel",
      keys: "n/Esc",
      label: "keep running",
      description: "Keep the task running",
      matches: (input, key) => key.escape || char("n", "N", "q")(input, key),
    },
  ],
  "live.ended": [
    { ...RELOAD, label: "fetch report", description: "Ask the results service for the report again" },
    { ...BACK, matches: (_input, key) => key.escape, description: "Back to the previous screen" },
  ],
  "live.summary": [
    WORKLOADS,
    NEXT_WORKLOAD,
    { ...BACK, matches: (_input, key) => key.escape, description: "Back to the previous screen" },
  ],
  "tasks.list": [
    UP,
    DOWN,
    PAGE_UP,
    PAGE_DOWN,
    {
      action: "open",
      keys: "Enter",
      label: "open",
      description: "Open the task: its report, or the live view while it runs",
      matches: (_input, key) => key.return,
    },
    RELOAD,
  ],
  "tasks.summary": [
    WORKLOADS,
    NEXT_WORKLOAD,
    RELOAD,
    { ...BACK, matches: (_input, key) => key.escape, description: "Back to the task list" },
  ],
};

/** Modes that own the whole keyboard (a dialog): global keys are off. */
export const MODAL_MODES: ReadonlySet<Mode> = new Set<Mode>(["live.confirm"]);

export function actionOf(bindings: readonly Binding[], input: string, key: Key): Action | undefined {
  return bindings.find((binding) => binding.matches(input, key))?.action;
}

/** The footer's entries: one per distinct label, e.g. `↑/↓ move`. */
export function footerEntries(mode: Mode): { keys: string; label: string }[] {
  const seen = new Set<string>();
  const entries: { keys: string; label: string }[] = [];
  for (const binding of [...MODE_BINDINGS[mode], ...(MODAL_MODES.has(mode) ? [] : GLOBAL_BINDINGS)]) {
    if (!binding.label || seen.has(binding.label)) continue;
    seen.add(binding.label);
    entries.push({ keys: binding.keys, label: binding.label });
  }
  return entries;
}
