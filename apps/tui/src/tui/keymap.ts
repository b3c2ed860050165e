/**
 * Every key of the TUI in one place. Screens ask `actionOf(bindings, input, key)` what a key
 * means where they are; the footer and the `?` help render these same tables, so what is shown
 * is what works.
 */
import type { Key } from "ink";
import {
  type Action,
  BACK,
  type Binding,
  char,
  DOWN,
  ESC_BACK,
  EXPORT,
  FILTER,
  NEXT_WORKLOAD,
  PAGE_DOWN,
  PAGE_UP,
  RELOAD,
  SWITCH_BUTTON,
  TYPE,
  UP,
  WORKLOADS,
} from "./bindings.js";

export type { Action, Binding } from "./bindings.js";

export type ScreenId = "scenarios" | "live" | "tasks" | "envs";

export const SCREENS: readonly { readonly id: ScreenId; readonly title: string; readonly short: string }[] = [
  { id: "scenarios", title: "Scenarios", short: "Scenarios" },
  { id: "live", title: "Live task", short: "Live" },
  { id: "tasks", title: "Tasks", short: "Tasks" },
  { id: "envs", title: "Environments", short: "Envs" },
];

/** Where the keyboard focus is: a screen and what that screen shows now, or a dialog. */
export type Mode =
  | "scenarios.services"
  | "scenarios.list"
  | "scenarios.form"
  | "scenarios.preview"
  | "scenarios.save"
  | "live.idle"
  | "live.following"
  | "live.confirm"
  | "live.ended"
  | "live.summary"
  | "live.export"
  | "tasks.list"
  | "tasks.summary"
  | "tasks.compare"
  | "tasks.export"
  | "tasks.delete"
  | "envs.list"
  | "filter"
  | "palette";

const screenKey = (digit: 1 | 2 | 3 | 4): Binding => ({
  action: `screen-${digit}`,
  keys: String(digit),
  label: "",
  description: `${(SCREENS[digit - 1] as (typeof SCREENS)[number]).title} screen`,
  matches: char(String(digit)),
});

/** Keys valid on every screen (unless a dialog or a text field has the keyboard). */
export const GLOBAL_BINDINGS: readonly Binding[] = [
  {
    action: "help",
    keys: "?",
    label: "help",
    description: "Show or hide this help",
    rank: 0,
    matches: char("?"),
  },
  {
    action: "palette",
    keys: ":",
    label: "command",
    rank: 3,
    description: "Command palette (:scenarios :tasks :envs :start ID :task ID :compare A B :quit)",
    matches: char(":"),
  },
  {
    action: "next-screen",
    keys: "Tab",
    label: "",
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
  screenKey(1),
  screenKey(2),
  screenKey(3),
  screenKey(4),
  {
    action: "quit",
    keys: "q",
    label: "quit",
    description: "Quit (Ctrl-C too)",
    rank: 2,
    matches: (input, key) => char("q")(input, key) || (key.ctrl && input === "c"),
  },
];

/** `]`/`[`: the live detail's sections. */
const LIVE_SECTION_KEYS: readonly Binding[] = [
  {
    action: "next-tab",
    keys: "]/[",
    label: "section",
    description: "Next or previous detail section: latency, histogram, atomics, SLA, runners, errors & hooks",
    matches: char("]"),
  },
  { action: "previous-tab", keys: "[", label: "", description: "Previous section", matches: char("[") },
];

/** A finished task's report: workloads, the sections (tabs), scrolling, export. */
const REPORT_KEYS: readonly Binding[] = [
  WORKLOADS,
  NEXT_WORKLOAD,
  {
    action: "next-tab",
    keys: "]/[",
    label: "section",
    description: "Next or previous section: tables, charts, failures, SLA, hooks, task",
    matches: char("]"),
  },
  { action: "previous-tab", keys: "[", label: "", description: "Previous section", matches: char("[") },
  { ...UP, label: "scroll", description: "Scroll the section (PgUp/PgDn: a page)" },
  { ...DOWN, label: "scroll" },
  PAGE_UP,
  PAGE_DOWN,
  { ...EXPORT, description: "Export this task to a file (json, html, junit-xml, csv)" },
];

/** The export dialog: type with ←/→, the file typed, Enter writes it. */
const EXPORT_DIALOG: readonly Binding[] = [
  TYPE,
  {
    action: "previous-choice",
    keys: "←/→",
    label: "type",
    description: "Choose the export type (json, html, junit-xml, csv)",
    matches: (_input, key) => key.leftArrow || (key.tab && key.shift),
  },
  {
    action: "next-choice",
    keys: "→",
    label: "",
    description: "Next export type",
    matches: (_i, key) => key.rightArrow || (key.tab && !key.shift),
  },
  {
    action: "submit",
    keys: "Enter",
    label: "export",
    description: "Write the file(s)",
    matches: (_input, key) => key.return,
  },
  {
    action: "cancel",
    keys: "Esc",
    label: "cancel",
    description: "Export nothing",
    matches: (_i, key) => key.escape,
  },
];

const ABORT_CONFIRM: readonly Binding[] = [
  {
    action: "confirm",
    keys: "y",
    label: "abort",
    description: "Abort the task (as asked: softly or hard)",
    matches: char("y", "Y"),
  },
  {
    action: "cancel",
    keys: "n/Esc",
    label: "keep running",
    description: "Keep the task running",
    matches: (input, key) => key.escape || char("n", "N", "q")(input, key),
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
    FILTER,
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
    {
      action: "edit",
      keys: "e",
      label: "edit",
      description: "Edit the arguments, environment and tags in a form, then start",
      matches: char("e"),
    },
    {
      action: "edit-in-editor",
      keys: "E",
      label: "$EDITOR",
      description: "Edit a copy of the scenario in $EDITOR, then start the edited task",
      matches: char("E"),
    },
    FILTER,
    { ...BACK, description: "Clear the filter, or back to the services" },
    RELOAD,
  ],
  "scenarios.form": [
    TYPE,
    {
      action: "next-field",
      keys: "Tab/↓",
      label: "next field",
      description: "Next field (Shift-Tab/↑: previous)",
      matches: (_input, key) => (key.tab && !key.shift) || key.downArrow,
    },
    {
      action: "previous-field",
      keys: "Shift-Tab/↑",
      label: "",
      description: "Previous field",
      matches: (_input, key) => (key.tab && key.shift) || key.upArrow,
    },
    {
      action: "previous-choice",
      keys: "←/→",
      label: "choose",
      description: "Choose the workload, the runner type or the environment (on those fields)",
      matches: (_input, key) => key.leftArrow,
    },
    {
      action: "next-choice",
      keys: "→",
      label: "",
      description: "Next choice",
      matches: (_i, key) => key.rightArrow,
    },
    {
      action: "preview",
      keys: "Ctrl-P",
      label: "preview",
      description: "Preview the task the catalog renders from the form, edits applied",
      matches: (input, key) => key.ctrl && input === "p",
    },
    {
      action: "submit",
      keys: "Enter",
      label: "start",
      description: "Start the task with this form (in a + row: add the name: value typed there)",
      matches: (_input, key) => key.return,
    },
    {
      action: "cancel",
      keys: "Esc",
      label: "cancel",
      description: "Close the form",
      matches: (_i, key) => key.escape,
    },
  ],
  "scenarios.preview": [
    { ...UP, label: "scroll", description: "Scroll the rendered task" },
    { ...DOWN, label: "scroll" },
    PAGE_UP,
    PAGE_DOWN,
    {
      action: "submit",
      keys: "Enter",
      label: "start",
      description: "Start the task as previewed",
      matches: (_input, key) => key.return,
    },
    {
      action: "save-as",
      keys: "Ctrl-S",
      label: "save as",
      description: "Save the task as previewed as a new catalog scenario (asks for its id)",
      matches: (input, key) => key.ctrl && input === "s",
    },
    {
      action: "cancel",
      keys: "Esc/Ctrl-P",
      label: "back to the form",
      description: "Back to the form",
      matches: (input, key) => key.escape || (key.ctrl && input === "p"),
    },
  ],
  "scenarios.save": [
    TYPE,
    {
      action: "submit",
      keys: "Enter",
      label: "save",
      description:
        "Save the previewed task under this id (<service>/<name>.yaml); an existing one is never replaced",
      matches: (_input, key) => key.return,
    },
    {
      action: "cancel",
      keys: "Esc",
      label: "back to the preview",
      description: "Back to the preview without saving",
      matches: (_i, key) => key.escape,
    },
  ],
  "live.idle": [],
  "live.following": [
    { ...UP, label: "workload", description: "Select the workload shown in detail" },
    { ...DOWN, label: "workload" },
    ...LIVE_SECTION_KEYS,
    {
      action: "abort",
      keys: "a",
      label: "abort",
      description: "Abort softly: iterations in flight finish (asks first)",
      matches: char("a"),
    },
    {
      action: "abort-hard",
      keys: "A",
      label: "hard abort",
      description: "Abort hard: iterations in flight are interrupted (asks first)",
      matches: char("A"),
    },
    ESC_BACK,
  ],
  "live.confirm": ABORT_CONFIRM,
  "live.ended": [
    { ...UP, label: "workload", description: "Select the workload shown in detail" },
    { ...DOWN, label: "workload" },
    ...LIVE_SECTION_KEYS,
    { ...RELOAD, label: "fetch report", description: "Ask the results service for the report again" },
    ESC_BACK,
  ],
  "live.summary": [...REPORT_KEYS, ESC_BACK],
  "live.export": EXPORT_DIALOG,
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
    {
      action: "mark",
      keys: "Space",
      label: "mark",
      description: "Mark or unmark the task (c, x and d then act on the marked tasks)",
      matches: char(" "),
    },
    {
      action: "compare",
      keys: "c",
      label: "compare",
      description: "Compare the marked tasks side by side (two or more; the first marked is the baseline)",
      matches: char("c"),
    },
    { ...EXPORT, description: "Export the marked tasks (or the selected one) to files" },
    {
      action: "delete",
      keys: "d",
      label: "delete",
      description:
        "Delete the marked tasks (or the selected one), after a confirmation; running tasks are skipped",
      matches: char("d"),
    },
    FILTER,
    { ...ESC_BACK, label: "", description: "Clear the filter, then the marks" },
    RELOAD,
  ],
  "tasks.summary": [...REPORT_KEYS, RELOAD, { ...ESC_BACK, description: "Back to the task list" }],
  "tasks.compare": [
    { ...UP, label: "scroll", description: "Scroll the comparison" },
    { ...DOWN, label: "scroll" },
    PAGE_UP,
    PAGE_DOWN,
    { ...WORKLOADS, description: "Jump to the previous or next workload" },
    { ...NEXT_WORKLOAD },
    { ...RELOAD, description: "Compare again" },
    { ...ESC_BACK, description: "Back to the task list" },
  ],
  "tasks.export": EXPORT_DIALOG,
  "tasks.delete": [
    SWITCH_BUTTON,
    {
      action: "submit",
      keys: "Enter",
      label: "press",
      description: "Press the focused button (focus starts on Cancel)",
      matches: (_input, key) => key.return,
    },
    {
      action: "cancel",
      keys: "Esc",
      label: "cancel",
      description: "Delete nothing",
      matches: (_i, key) => key.escape,
    },
  ],
  "envs.list": [
    UP,
    DOWN,
    FILTER,
    { ...ESC_BACK, label: "", description: "Clear the filter" },
    RELOAD,
    {
      action: "check",
      keys: "c",
      label: "check",
      description: "Check the environment through a runner: reachability, credentials, service catalog",
      rank: 2,
      matches: char("c"),
    },
  ],
  filter: [
    TYPE,
    {
      action: "submit",
      keys: "Enter",
      label: "keep filter",
      description: "Keep the filter and go back to the list",
      matches: (_input, key) => key.return,
    },
    {
      action: "cancel",
      keys: "Esc",
      label: "clear",
      description: "Clear the filter",
      matches: (_input, key) => key.escape,
    },
  ],
  palette: [
    TYPE,
    {
      action: "complete",
      keys: "Tab",
      label: "complete",
      description: "Complete the command or its argument",
      matches: (_input, key) => key.tab,
    },
    { ...UP, matches: (_input, key) => key.upArrow, label: "choose", description: "Choose a suggestion" },
    { ...DOWN, matches: (_input, key) => key.downArrow, label: "choose" },
    {
      action: "submit",
      keys: "Enter",
      label: "run",
      description: "Run the command",
      matches: (_i, key) => key.return,
    },
    {
      action: "cancel",
      keys: "Esc",
      label: "close",
      description: "Close the palette",
      matches: (_i, key) => key.escape,
    },
  ],
};

/** Modes that own the whole keyboard (a dialog or a text field): global keys are off. */
export const MODAL_MODES: ReadonlySet<Mode> = new Set<Mode>([
  "live.confirm",
  "scenarios.form",
  "scenarios.preview",
  "scenarios.save",
  "tasks.export",
  "tasks.delete",
  "live.export",
  "filter",
  "palette",
]);

export function actionOf(bindings: readonly Binding[], input: string, key: Key): Action | undefined {
  return bindings.find((binding) => binding.matches(input, key))?.action;
}

export interface FooterEntry {
  readonly keys: string;
  readonly label: string;
}

/** Every footer entry of a mode: one per distinct label, e.g. `↑/↓ move`, with its rank. */
function allFooterEntries(mode: Mode): (FooterEntry & { rank: number })[] {
  const seen = new Set<string>();
  const entries: (FooterEntry & { rank: number })[] = [];
  for (const binding of [...MODE_BINDINGS[mode], ...(MODAL_MODES.has(mode) ? [] : GLOBAL_BINDINGS)]) {
    if (!binding.label || seen.has(binding.label)) continue;
    seen.add(binding.label);
    entries.push({ keys: binding.keys, label: binding.label, rank: binding.rank ?? 1 });
  }
  return entries;
}

/** Two spaces between entries. */
export const FOOTER_GAP = 2;

const entryWidth = (entry: FooterEntry) => [...entry.keys].length + 1 + [...entry.label].length;

/**
 * The footer's entries for a line `width` wide. When they do not all fit, the least important
 * ones (highest rank) are left out, keeping the keymap's order, and `?` says `more`: the help
 * lists every key.
 */
export function footerEntries(mode: Mode, width = Number.POSITIVE_INFINITY): FooterEntry[] {
  const all = allFooterEntries(mode);
  const widthOf = (entries: readonly FooterEntry[]) =>
    entries.reduce((sum, entry) => sum + entryWidth(entry), 0) + FOOTER_GAP * Math.max(0, entries.length - 1);
  if (widthOf(all) <= width) return all.map(({ keys, label }) => ({ keys, label }));
  // In a dialog or a text field `?` is a character, not the help.
  const more: FooterEntry[] = all.some((entry) => entry.keys === "?") ? [{ keys: "?", label: "more" }] : [];
  const kept = new Set<(typeof all)[number]>();
  let used = more.length > 0 ? entryWidth({ keys: "?", label: "more" }) : -FOOTER_GAP;
  for (let rank = 0; rank <= 3; rank += 1) {
    for (const entry of all) {
      if (entry.rank !== rank || entry.keys === "?") continue;
      const cost = entryWidth(entry) + FOOTER_GAP;
      if (used + cost > width) continue;
      kept.add(entry);
      used += cost;
    }
  }
  return [...all.filter((entry) => kept.has(entry)).map(({ keys, label }) => ({ keys, label })), ...more];
}
