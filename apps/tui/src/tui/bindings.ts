/**
 * What a key binding is, and the bindings several modes share (move, page, back, refresh,
 * filter). The tables themselves are in `keymap.ts`.
 */
import type { Key } from "ink";

export type Action =
  | "next-screen"
  | "previous-screen"
  | "screen-1"
  | "screen-2"
  | "screen-3"
  | "screen-4"
  | "help"
  | "palette"
  | "quit"
  | "up"
  | "down"
  | "page-up"
  | "page-down"
  | "open"
  | "back"
  | "start"
  | "edit"
  | "edit-in-editor"
  | "reload"
  | "filter"
  | "abort"
  | "abort-hard"
  | "confirm"
  | "cancel"
  | "previous-workload"
  | "next-workload"
  | "next-field"
  | "previous-field"
  | "previous-choice"
  | "next-choice"
  | "submit"
  | "complete"
  | "type"
  | "mark"
  | "compare"
  | "export"
  | "delete"
  | "next-tab"
  | "previous-tab"
  | "preview"
  | "save-as"
  | "check";

export interface Binding {
  readonly action: Action;
  /** How the keys are written: `↑/↓`, `Enter`, `s`. */
  readonly keys: string;
  /** A word or two for the footer; empty to leave it out of the footer. */
  readonly label: string;
  /** A sentence for the help screen. */
  readonly description: string;
  /**
   * Footer priority when the footer is short of room: entries of rank 2, then 1, are left out
   * first (`?` then lists them all). Default 1.
   */
  readonly rank?: 0 | 1 | 2 | 3;
  readonly matches: (input: string, key: Key) => boolean;
}

export const char =
  (...chars: string[]) =>
  (input: string, key: Key) =>
    !key.ctrl && !key.meta && chars.includes(input);

export const UP: Binding = {
  action: "up",
  keys: "↑/↓",
  label: "move",
  description: "Move the selection up or down (also k/j)",
  rank: 2,
  matches: (input, key) => key.upArrow || char("k")(input, key),
};
export const DOWN: Binding = {
  ...UP,
  matches: (input, key) => key.downArrow || char("j")(input, key),
  action: "down",
};
export const PAGE_UP: Binding = {
  action: "page-up",
  keys: "PgUp/PgDn",
  label: "page",
  description: "Move a page up or down",
  rank: 3,
  matches: (_input, key) => key.pageUp,
};
export const PAGE_DOWN: Binding = { ...PAGE_UP, action: "page-down", matches: (_input, key) => key.pageDown };
export const BACK: Binding = {
  action: "back",
  keys: "Esc",
  label: "back",
  description: "Clear the filter, or go back",
  matches: (_input, key) => key.escape || key.leftArrow,
};
export const ESC_BACK: Binding = {
  ...BACK,
  matches: (_input, key) => key.escape,
  description: "Back to the previous screen",
};
export const RELOAD: Binding = {
  action: "reload",
  keys: "r",
  label: "refresh",
  description: "Load again from the service",
  rank: 2,
  matches: char("r"),
};
export const FILTER: Binding = {
  action: "filter",
  keys: "/",
  label: "filter",
  description: "Filter the list as you type (Enter keeps the filter, Esc clears it)",
  matches: char("/"),
};
export const WORKLOADS: Binding = {
  action: "previous-workload",
  keys: "←/→",
  label: "workload",
  description: "Show the previous or next workload's report",
  matches: (input, key) => key.leftArrow || char("h")(input, key),
};
export const NEXT_WORKLOAD: Binding = {
  ...WORKLOADS,
  action: "next-workload",
  matches: (input, key) => key.rightArrow || char("l")(input, key),
};
/** Documents typing in a text field; the keys themselves are handled by `editText`. */
export const TYPE: Binding = {
  action: "type",
  keys: "letters",
  label: "",
  description: "Type; Backspace deletes, Ctrl-U clears",
  matches: () => false,
};

/** Export the marked tasks, or the one shown or selected (asks the format and the file). */
export const EXPORT: Binding = {
  action: "export",
  keys: "x",
  label: "export",
  description: "Export to a file: json, html, junit-xml or csv (asks the type and the path)",
  matches: char("x"),
};
/** ←/→ (or Tab) between the buttons of a confirmation dialog. */
export const SWITCH_BUTTON: Binding = {
  action: "next-choice",
  keys: "←/→",
  label: "choose",
  description: "Move between Cancel and the action",
  matches: (_input, key) => key.leftArrow || key.rightArrow || key.tab,
};
