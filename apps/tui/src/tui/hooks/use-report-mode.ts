/**
 * Tells the App which mode a screen is in, and where it is (breadcrumbs), while it is active, so
 * the header, the footer and the help follow.
 */
import { useEffect } from "react";
import type { Mode } from "../keymap.js";

export function useReportMode(mode: Mode, isActive: boolean, onMode: (mode: Mode) => void): void {
  useEffect(() => {
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
  useEffect(() => {
    if (isActive) onCrumbs(crumbs);
  }, [joined, isActive, onCrumbs]);
}
