/**
 * Tells the App which mode a screen is in, and where it is (breadcrumbs), while it is active, so
 * the header, the footer and the help follow. Reported in a layout effect: the App knows the new
 * mode (a text field has the keyboard, global keys are off) in the same commit, before the next
 * key of a burst arrives — a passive effect's update would come a turn later, after that key.
 */
import { useLayoutEffect } from "react";
import type { Mode } from "../keymap.js";

export function useReportMode(mode: Mode, isActive: boolean, onMode: (mode: Mode) => void): void {
  useLayoutEffect(() => {
    if (isActive) onMode(mode);
  }, [mode, isActive, onMode]);
}

export function useReportCrumbs(
  crumbs: readonly string[],
  isActive: boolean,
  onCrumbs: (crumbs: readonly string[]) => void,
): void {
  const joined = crumbs.join("\u0000");
  // biome-ignore lint/correctness/useExhaustiveDependencies: `joined` stands for `crumbs`' content.
  useLayoutEffect(() => {
    if (isActive) onCrumbs(crumbs);
  }, [joined, isActive, onCrumbs]);
}
