/**
 * Every export format by its `type` name.
 */
import type { ExportType } from "@paddock/shared/api";
import { csvExporter } from "./csv-exporter.js";
import type { Exporter } from "./exporter.js";
import { htmlExporter } from "./html-exporter.js";
import { junitXmlExporter } from "./junit-xml-exporter.js";
import { oldJsonResultsExporter } from "./old-json-results-exporter.js";
import { rallyJsonExporter } from "./rally-json-exporter.js";

export const EXPORTERS = {
  json: rallyJsonExporter,
  "old-json-results": oldJsonResultsExporter,
  "junit-xml": junitXmlExporter,
  csv: csvExporter,
  html: htmlExporter,
} satisfies Record<ExportType, Exporter>;

export const EXPORT_TYPES = Object.keys(EXPORTERS) as ExportType[];

export { type ExportSource, openExportSource } from "./export-source.js";
export type { Exporter } from "./exporter.js";
