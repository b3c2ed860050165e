/**
 * `paddock task start FILE_OR_SCENARIO_ID`: submits a task to the runner; with `--wait`,
 * follows it live and prints Rally's report. Exit 0 ok, 1 error, 2 SLA failed or aborted.
 *
 * Edit before start: `--overrides` (a `WorkloadOverrides` list as JSON, YAML or `@file`, checked
 * here against the contract) and `--context-preset NAME` (the catalog's preset, applied to every
 * workload) go to the runner as the request's `overrides`; the stored task is the edited one.
 */
import type { Distribute } from "@paddock/shared/api";
import { UsageError } from "../../errors.js";
import { type Command, flag, stringOption } from "../command.js";
import { EXIT, exitCodeOfTask } from "../exit-codes.js";
import { followTaskToEnd, printReport } from "../follow-task.js";
import { TASK_INPUT_OPTIONS, taskRequestOf } from "../task-input.js";
import { OVERRIDE_OPTIONS, overridesOf } from "../workload-overrides.js";

export const taskStart: Command = {
  name: "task start",
  args: "FILE_OR_SCENARIO_ID",
  summary: "Start a task from a task file or a catalog scenario",
  details: [
    "An argument naming an existing file sends that file; anything else is a catalog scenario id",
    "(see 'paddock scenarios'). Without --wait the task id is printed and the command returns.",
    "Edit before start: --context-preset NAME attaches the catalog's context preset to every",
    "workload (GET /contexts/NAME); --overrides takes WorkloadOverrides (JSON, YAML or @FILE), e.g.",
    '  --overrides \'[{"workload": "*", "runner": {"type": "constant", "config": {"times": 5}}}]\'',
    "Presets apply first, then overrides, each in order (a later edit of the same field wins).",
    "--distribute N|all shares each workload's load between N runner replicas (or every idle one);",
    "a workload's own runner option 'distribute' wins (see docs/distribution.md).",
    "Exit codes: 0 ok, 1 error, 2 SLA failed or task aborted.",
  ],
  options: {
    ...TASK_INPUT_OPTIONS,
    tag: { type: "string", multiple: true, value: "TAG", description: "Tag the task; repeatable" },
    ...OVERRIDE_OPTIONS,
    "abort-on-sla-failure": {
      type: "boolean",
      description: "Stop the task as soon as an SLA criterion fails (its report shows aborted_on_sla)",
    },
    distribute: {
      type: "string",
      value: "N|all",
      description: "Share each workload's load between N runner replicas, or all idle ones",
    },
    wait: {
      type: "boolean",
      description: "Follow the task live, then print its report (Response Times, SLA)",
    },
  },
  positionals: { min: 1, max: 1 },
  async run(context, line) {
    const request = taskRequestOf(line.positionals[0] as string, line);
    if (flag(line, "abort-on-sla-failure")) request.abortOnSlaFailure = true;
    const distribute = distributeOf(stringOption(line, "distribute"));
    if (distribute !== undefined) request.distribute = distribute;
    const overrides = await overridesOf(context, line);
    if (overrides.length > 0) request.overrides = overrides;
    const { runner, results } = context.clients();
    const started = await runner.startTask(request);
    const { io } = context;
    if (!flag(line, "wait")) {
      io.out(started.taskId);
      if (io.stdoutIsTty) {
        io.err(
          `Task ${started.taskId}: ${started.status}. Follow it with: paddock task status ${started.taskId}`,
        );
      }
      return EXIT.ok;
    }
    io.out(`Task ${started.taskId}: submitted (${started.status})`);
    const detail = await followTaskToEnd(
      {
        io,
        bus: context.bus(),
        results,
        resultsTimeoutMs: context.config().resultsWaitSeconds * 1000,
        signal: context.signal,
      },
      started.taskId,
    ).catch((error: unknown) => {
      if (context.signal.aborted) return undefined;
      throw error;
    });
    if (detail === undefined) {
      io.err(
        `paddock: stopped following task ${started.taskId}; it keeps running (abort it with: paddock task abort ${started.taskId})`,
      );
      return EXIT.interrupted;
    }
    printReport(io, detail);
    return exitCodeOfTask(detail.status, detail.passSla);
  },
};

/** `--distribute`: a whole number of replicas ≥ 1, or `all`. */
function distributeOf(value: string | undefined): Distribute | undefined {
  if (value === undefined) return undefined;
  if (value === "all") return "all";
  if (/^[1-9][0-9]*$/.test(value)) return Number(value);
  throw new UsageError(
    `--distribute takes a number of runner replicas (1 or more) or 'all', not '${value}'`,
    "task start",
  );
}
