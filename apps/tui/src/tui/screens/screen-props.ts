/**
 * What every screen gets from the App: its dependencies, whether it has the keyboard, its size,
 * and callbacks to report its mode (for the footer and help), where it is (breadcrumbs) and a
 * one-line message.
 */
import type { TuiDeps } from "../deps.js";
import type { Mode } from "../keymap.js";

export interface FooterMessage {
  readonly text: string;
  readonly tone: "info" | "error";
}

export interface ScreenProps {
  readonly deps: TuiDeps;
  /** Only the active screen receives keys. */
  readonly isActive: boolean;
  readonly width: number;
  readonly height: number;
  onMode(mode: Mode): void;
  /** Where the screen is below its title, e.g. `["dummy", "Dummy — the smallest benchmark"]`. */
  onCrumbs(crumbs: readonly string[]): void;
  onMessage(message: FooterMessage): void;
}
