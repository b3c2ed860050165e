/**
 * `paddock scenario delete SCENARIO_ID`: removes a scenario file from the catalog's library;
 * `--base-hash` refuses if it changed since that version.
 */
import { type Command, stringOption } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { catalogHttpClient, scenarioPath } from "./scenario-http.js";

export const scenarioDelete: Command = {
  name: "scenario delete",
  args: "SCENARIO_ID",
  summary: "Delete a scenario file from the catalog's library",
  options: {
    "base-hash": {
      type: "string",
      value: "SHA256",
      description: "Refuse if the scenario changed since this version",
    },
  },
  positionals: { min: 1, max: 1 },
  async run(context, line) {
    const id = line.positionals[0] ?? "";
    const baseHash = stringOption(line, "base-hash");
    await catalogHttpClient(context).requestJson("DELETE", scenarioPath(id), {
      query: { baseHash },
    });
    context.io.out(`Deleted ${id}`);
    return EXIT.ok;
  },
};
