/**
 * Every CLI command by the words that select it.
 */
import type { Command } from "../command.js";
import { envCheck } from "./env-check.js";
import { envCreate } from "./env-create.js";
import { envList } from "./env-list.js";
import { envShow } from "./env-show.js";
import { envSweep } from "./env-sweep.js";
import { scenarioDelete } from "./scenario-delete.js";
import { scenarioRender } from "./scenario-render.js";
import { scenarioSave } from "./scenario-save.js";
import { scenarios } from "./scenarios.js";
import { taskAbort } from "./task-abort.js";
import { taskCompare } from "./task-compare.js";
import { taskDelete } from "./task-delete.js";
import { taskDetailed } from "./task-detailed.js";
import { taskExport } from "./task-export.js";
import { taskImport } from "./task-import.js";
import { taskList } from "./task-list.js";
import { taskReport } from "./task-report.js";
import { taskSlaCheck } from "./task-sla-check.js";
import { taskStart } from "./task-start.js";
import { taskStatus } from "./task-status.js";
import { taskTrends } from "./task-trends.js";
import { taskValidate } from "./task-validate.js";
import { tui } from "./tui.js";

export const COMMANDS = {
  "task start": taskStart,
  "task status": taskStatus,
  "task list": taskList,
  "task abort": taskAbort,
  "task validate": taskValidate,
  "task detailed": taskDetailed,
  "task report": taskReport,
  "task export": taskExport,
  "task import": taskImport,
  "task delete": taskDelete,
  "task sla-check": taskSlaCheck,
  "task trends": taskTrends,
  "task compare": taskCompare,
  scenarios,
  "scenario render": scenarioRender,
  "scenario save": scenarioSave,
  "scenario delete": scenarioDelete,
  "env list": envList,
  "env show": envShow,
  "env check": envCheck,
  "env sweep": envSweep,
  "env create": envCreate,
  tui,
} satisfies Record<string, Command>;

export type CommandName = keyof typeof COMMANDS;

/** Words that only group subcommands (`paddock task ...`). */
export const GROUPS: Readonly<Record<string, string>> = {
  task: "Start, follow, list, abort and validate tasks; report, export, import, compare them",
  env: "Environments tasks run against",
  scenario: "Preview, save and delete the catalog's scenarios",
};
