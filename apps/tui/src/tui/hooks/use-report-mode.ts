/**
 * Tells the App which mode a screen is in while it is active, so the footer and the help show
 * the keys valid there.
 */
import { useEffect } from "react";
import type { Mode } from "../keymap.js";

export function useReportMode(mode: Mode, isActive: boolean, onMode: (mode: Mode) => void): void {
  useEffect(() => {
    if (isActive) onMode(mode);
  }, [mode, isActive, onMode]);
}
