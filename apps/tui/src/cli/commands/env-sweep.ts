/**
 * `paddock env sweep NAME`: deletes what Paddock runs left in an OpenStack environment — every
 * image, user, project, role and service named `paddock_…` — after a runner died mid-task and
 * could not clean up. A task still running against the environment would lose its resources, so
 * the sweep is refused while the results service lists one (unless `--force`), and the runner
 * refuses it while it runs a task itself. `--dry-run` only lists.
 */
import { EnvironmentSweep } from "@paddock/shared/api";
import { FINAL_STATUSES, TaskStatus } from "@paddock/shared/task-model";
import { serviceHttpClient } from "../../api/clients.js";
import { renderBorderedTable } from "../../format/text-table.js";
import { type Command, flag } from "../command.js";
import { EXIT } from "../exit-codes.js";

/** Statuses of a task that may still use the cloud. */
const ACTIVE_STATUSES = TaskStatus.anyOf
  .map((literal) => literal.const as string)
  .filter((status) => !(FINAL_STATUSES as readonly string[]).includes(status));

/** What `env sweep` prints: a summary line, the resources, then each problem. */
export function environmentSweepLines(sweep: EnvironmentSweep): string[] {
  const removed = sweep.resources.filter((resource) => resource.removed).length;
  const head = sweep.dryRun
    ? `Dry run: ${sweep.resources.length} resource(s) named ${sweep.prefix}… in ${sweep.environment} would be deleted.`
    : `Swept ${sweep.environment}: ${removed} of ${sweep.resources.length} resource(s) named ${sweep.prefix}… deleted.`;
  const lines = [head];
  if (sweep.resources.length > 0) {
    lines.push(
      ...renderBorderedTable({
        headers: ["Service", "Kind", "Name", "ID", "State"],
        rows: sweep.resources.map((resource) => [
          resource.service,
          resource.kind,
          resource.name,
          resource.id,
          resource.removed ? "deleted" : sweep.dryRun ? "found" : "NOT deleted",
        ]),
      }),
    );
  }
  for (const problem of sweep.problems) lines.push(`problem: ${problem}`);
  return lines;
}

export const envSweep: Command = {
  name: "env sweep",
  args: "NAME",
  summary: "Delete what Paddock runs left in an OpenStack environment (resources named paddock_…)",
  details: [
    "For a runner that died mid-task: its users, projects, roles, services and images stay behind.",
    "Refused while the results service lists a task of this environment that is not over (--force sweeps",
    "anyway, deleting what such a task uses); the runner also refuses while it runs a task itself.",
    "Exit codes: 0 everything found was deleted (or listed, with --dry-run), 1 otherwise or on error.",
  ],
  options: {
    "dry-run": { type: "boolean", description: "List what would be deleted; delete nothing" },
    force: { type: "boolean", description: "Sweep even while tasks of this environment are not over" },
    json: { type: "boolean", description: "Print the runner's EnvironmentSweep as JSON" },
  },
  positionals: { min: 1, max: 1 },
  async run(context, line) {
    const name = line.positionals[0] ?? "";
    const dryRun = flag(line, "dry-run");
    if (!dryRun && !flag(line, "force")) {
      const { results } = context.clients();
      const active = [];
      for (const status of ACTIVE_STATUSES) {
        active.push(...(await results.listTasks({ status, environment: name })).tasks);
      }
      if (active.length > 0) {
        context.io.err(
          `paddock: not sweeping ${name}: ${active.map((task) => `${task.id} (${task.status})`).join(", ")} ${
            active.length === 1 ? "is" : "are"
          } not over and may be using its resources. Wait for ${
            active.length === 1 ? "it" : "them"
          }, or pass --force.`,
        );
        return EXIT.error;
      }
    }
    const runner = serviceHttpClient(context.config(), "runner");
    const sweep = await runner.request(
      "POST",
      `/environments/${encodeURIComponent(name)}/sweep`,
      EnvironmentSweep,
      { body: { dryRun } },
    );
    if (flag(line, "json")) context.io.out(JSON.stringify(sweep, null, 2));
    else for (const text of environmentSweepLines(sweep)) context.io.out(text);
    return sweep.problems.length === 0 ? EXIT.ok : EXIT.error;
  },
};
