/**
 * `paddock env list`: the environments the catalog knows (what tasks can run against).
 */
import type { EnvironmentDefinition } from "@paddock/shared/api";
import { renderColumns } from "../../format/text-table.js";
import { type Command, flag } from "../command.js";
import { EXIT } from "../exit-codes.js";

function describe(environment: EnvironmentDefinition): string {
  if (environment.error) {
    const { error } = environment;
    return `BROKEN: ${error.file}${error.line ? `:${error.line}` : ""}: ${error.message}`;
  }
  return environment.description || "—";
}

export const envList: Command = {
  name: "env list",
  args: "",
  summary: "List the environments tasks can run against",
  options: { json: { type: "boolean", description: "Print the catalog's EnvironmentList as JSON" } },
  positionals: { min: 0, max: 0 },
  async run(context, line) {
    const list = await context.clients().catalog.listEnvironments();
    const { io } = context;
    if (flag(line, "json")) {
      io.out(JSON.stringify(list, null, 2));
    } else if (list.environments.length === 0) {
      io.out("No environments (add one as environments/<name>.yaml).");
    } else {
      const lines = renderColumns({
        headers: ["Name", "Platform", "Secrets", "Description"],
        rows: list.environments.map((environment) => [
          environment.name,
          environment.platform,
          environment.secrets.join(",") || "—",
          describe(environment),
        ]),
      });
      for (const text of lines) io.out(text);
    }
    return EXIT.ok;
  },
};
