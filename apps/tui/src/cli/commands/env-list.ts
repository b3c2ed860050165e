/**
 * `paddock env list`: the environments the catalog knows (what tasks can run against).
 */
import { renderColumns } from "../../format/text-table.js";
import { type Command, flag } from "../command.js";
import { EXIT } from "../exit-codes.js";

export const envList: Command = {
  name: "env list",
  args: "",
  summary: "List the environments tasks can run against",
  options: { json: { type: "boolean", description: "Print the environments as JSON" } },
  positionals: { min: 0, max: 0 },
  async run(context, line) {
    const environments = await context.clients().catalog.listEnvironments();
    const { io } = context;
    if (flag(line, "json")) {
      io.out(JSON.stringify({ environments }, null, 2));
    } else if (environments.length === 0) {
      io.out("No environments (add one as environments/<name>.yaml).");
    } else {
      const lines = renderColumns({
        headers: ["Name", "Kind", "Description"],
        rows: environments.map((environment) => [
          environment.name,
          environment.kind ?? "—",
          environment.description || "—",
        ]),
      });
      for (const text of lines) io.out(text);
    }
    return EXIT.ok;
  },
};
