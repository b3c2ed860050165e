/**
 * `paddock task import --file F [--tag T]...`: a Rally JSON report (format 1.2) or old Rally
 * results JSON becomes Paddock tasks, with their iterations and recomputed statistics.
 */
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { ImportResponse } from "@paddock/shared/api";
import Compile from "typebox/compile";
import { FileUnreadable, ServiceError, UsageError } from "../../errors.js";
import { type Command, flag, stringList, stringOption } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { resultsRequest } from "./task-export.js";

const checkResponse = Compile(ImportResponse);

export const taskImport: Command = {
  name: "task import",
  args: "",
  summary: "Import a Rally JSON report or old Rally results as tasks",
  options: {
    file: { type: "string", value: "FILE", description: "The file to import (required)" },
    tag: {
      type: "string",
      multiple: true,
      value: "TAG",
      description: "Tag every imported task (repeatable)",
    },
    json: { type: "boolean", description: "Print the results service's answer as JSON" },
  },
  positionals: { min: 0, max: 0 },
  async run(context, line) {
    const file = stringOption(line, "file");
    if (file === undefined) throw new UsageError("--file FILE is required", "task import");
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      throw new FileUnreadable(
        `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
        {
          cause: error,
        },
      );
    }
    const response = await resultsRequest(context, "/tasks/import", {
      method: "POST",
      query: { name: basename(file), tag: stringList(line, "tag") },
      body: text,
      contentType: "application/json",
    });
    const answer: unknown = await response.json();
    if (!checkResponse.Check(answer)) {
      throw new ServiceError(
        "results service",
        502,
        "RESPONSE_INVALID",
        "the results service's import answer breaks the contract",
      );
    }
    if (flag(line, "json")) {
      context.io.out(JSON.stringify(answer, null, 2));
      return EXIT.ok;
    }
    for (const task of answer.tasks) {
      context.io.out(
        `Imported task ${task.id}${task.title ? ` "${task.title}"` : ""}: ${task.workloads} workload(s), ${task.iterations} iteration(s) (${answer.format})`,
      );
    }
    return EXIT.ok;
  },
};
