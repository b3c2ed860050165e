/**
 * What a report shows: which workload, which section, how far a section is scrolled. `handle`
 * applies a report key's action; the screens route their report keys here.
 */
import { useCallback, useState } from "react";
import type { Action } from "../keymap.js";
import { REPORT_SECTIONS, type ReportSection } from "../report-sections.js";

export interface ReportViewState {
  readonly workloadIndex: number;
  readonly section: ReportSection;
  /** First line shown of a scrolled section. */
  readonly scroll: number;
  /** Applies a report action; returns whether it was one. `page` is the lines a page scrolls. */
  handle(action: Action | undefined, workloadCount: number, page: number): boolean;
  reset(): void;
}

export function useReportView(): ReportViewState {
  const [workloadIndex, setWorkloadIndex] = useState(0);
  const [section, setSection] = useState<ReportSection>("tables");
  const [scroll, setScroll] = useState(0);
  const reset = useCallback(() => {
    setWorkloadIndex(0);
    setSection("tables");
    setScroll(0);
  }, []);
  const handle = useCallback((action: Action | undefined, workloadCount: number, page: number) => {
    const step = (offset: number) => {
      setSection((current) => {
        const index = REPORT_SECTIONS.findIndex((item) => item.id === current);
        const next = (index + offset + REPORT_SECTIONS.length) % REPORT_SECTIONS.length;
        return (REPORT_SECTIONS[next] as (typeof REPORT_SECTIONS)[number]).id;
      });
      setScroll(0);
    };
    switch (action) {
      case "previous-workload":
        setWorkloadIndex((index) => Math.max(0, index - 1));
        setScroll(0);
        return true;
      case "next-workload":
        setWorkloadIndex((index) => Math.min(Math.max(0, workloadCount - 1), index + 1));
        setScroll(0);
        return true;
      case "next-tab":
        step(1);
        return true;
      case "previous-tab":
        step(-1);
        return true;
      case "up":
        setScroll((value) => Math.max(0, value - 1));
        return true;
      case "down":
        setScroll((value) => value + 1);
        return true;
      case "page-up":
        setScroll((value) => Math.max(0, value - page));
        return true;
      case "page-down":
        setScroll((value) => value + page);
        return true;
      default:
        return false;
    }
  }, []);
  return { workloadIndex, section, scroll, handle, reset };
}
