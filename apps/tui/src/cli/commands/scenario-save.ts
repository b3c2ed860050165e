/**
 * `paddock scenario save SCENARIO_ID FILE`: writes a task file into the catalog's library — the
 * catalog checks it loads first (and answers every problem), writes it atomically, and keeps it
 * inside the library. `--new` refuses to replace an existing scenario; `--base-hash` refuses to
 * overwrite a scenario changed since that version.
 */
import { readFileSync } from "node:fs";
import { ScenarioDetail } from "@paddock/shared/api";
import { describeError } from "@paddock/shared/errors";
import { FileUnreadable } from "../../errors.js";
import { type Command, flag, stringOption } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { catalogHttpClient, scenarioPath } from "./scenario-http.js";

function readTaskFile(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new FileUnreadable(`cannot read ${file} (${describeError(error)})`, { cause: error });
  }
}

export const scenarioSave: Command = {
  name: "scenario save",
  args: "SCENARIO_ID FILE",
  summary: "Save a task file as a catalog scenario (checked first, written atomically)",
  details: ["SCENARIO_ID is <service>/<name>.yaml (or .yml, .json), e.g. dummy/my-test.yaml."],
  options: {
    new: { type: "boolean", description: "Only create: refuse if the scenario exists" },
    "base-hash": {
      type: "string",
      value: "SHA256",
      description:
        "Refuse if the scenario changed since this version (its hash in 'paddock scenarios ID --json')",
    },
    json: { type: "boolean", description: "Print the saved ScenarioDetail as JSON" },
  },
  positionals: { min: 2, max: 2 },
  async run(context, line) {
    const [id = "", file = ""] = line.positionals;
    const raw = readTaskFile(file);
    const catalog = catalogHttpClient(context);
    const baseHash = stringOption(line, "base-hash");
    const saved = flag(line, "new")
      ? await catalog.request("POST", "/scenarios", ScenarioDetail, { body: { id, raw } })
      : await catalog.request("PUT", scenarioPath(id), ScenarioDetail, {
          body: baseHash === undefined ? { raw } : { raw, baseHash },
        });
    if (flag(line, "json")) context.io.out(JSON.stringify(saved, null, 2));
    else
      context.io.out(`Saved ${saved.id} — ${saved.title || "untitled"} (sha256 ${saved.hash.slice(0, 12)})`);
    return EXIT.ok;
  },
};
