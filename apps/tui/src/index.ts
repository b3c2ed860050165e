/**
 * `@paddock/tui` as a library: the CLI entry, the TUI, and the report formatting shared by both.
 */
export { type Clients, createClients } from "./api/clients.js";
export { type CliIo, memoryIo, processIo } from "./cli/io.js";
export { type MainOverrides, main } from "./cli/router.js";
export { CLI_VARIABLES, type CliConfig, loadCliConfig } from "./config.js";
export { SUMMARY_COLUMNS, type SummaryRow, summaryRows } from "./format/summary-table.js";
export { taskReport, verdictOf } from "./format/task-report.js";
export { createLiveBus, type LiveBus } from "./live/live-bus.js";
export { applyEvent, initialLiveTask, type LiveTask } from "./live/live-task-state.js";
export { runTui } from "./tui/run-tui.js";
