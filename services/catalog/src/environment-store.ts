// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is how environments reference secrets.
/**
 * Environments: `<root>/<name>.yaml` files saying what tasks run against.
 *
 * ```yaml
 * name: devstack                 # optional; must be the file's base name
 * description: The lab's DevStack
 * platform: openstack            # generic (default) | openstack | http | ...
 * spec:                          # checked against the platform's schema (@paddock/shared/api)
 *   auth_url: http://10.0.0.5/identity
 *   admin:
 *     username: admin
 *     password: ${OS_PASSWORD}   # a secret: resolved only by the runner
 *     project_name: admin
 * ```
 *
 * Each problem names the file, the field and (when known) the line. A secret written in clear
 * (a value under a key such as `password`, `token` or `Authorization` without a `${VAR}`
 * reference) is a problem, and is served masked.
 *
 * Files are read on every request (a handful of small files), so edits show at once. `${VAR}`
 * references are returned exactly as written and listed in `secrets`; their values are never
 * read here. A file that cannot be read is listed with its problem.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { EnvironmentDefinition, EnvironmentList, EnvironmentProblem } from "@paddock/shared/api";
import { EnvironmentNotFound } from "@paddock/shared/errors";
import { parseTaskText, yamlLineIndex } from "@paddock/tasks";
import { PLATFORM_SPECS, platformSpecProblems } from "./platform-specs.js";
import { toProblem } from "./scenario-reader.js";
import { listYamlFiles } from "./yaml-folder.js";

export interface EnvironmentStore {
  /** Every environment, sorted by name. */
  list(): Promise<EnvironmentList>;
  /** One environment by name. Throws `EnvironmentNotFound`. */
  get(name: string): Promise<EnvironmentDefinition>;
}

const ENVIRONMENT_KEYS = ["name", "description", "platform", "spec"];
const SECRET_REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const PLATFORM_NAME = /^[a-z][a-z0-9_.-]*$/;

/** Names of the `${VAR}` references anywhere in a value, sorted. */
export function secretReferences(value: unknown): string[] {
  const names = new Set<string>();
  const visit = (item: unknown): void => {
    if (typeof item === "string") {
      for (const match of item.matchAll(SECRET_REFERENCE)) names.add(match[1] ?? "");
    } else if (Array.isArray(item)) {
      for (const child of item) visit(child);
    } else if (typeof item === "object" && item !== null) {
      for (const child of Object.values(item)) visit(child);
    }
  };
  visit(value);
  return [...names].sort();
}

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Keys whose values are secrets: they must be `${VAR}` references. */
const SECRET_KEY = /passw(or)?d|secret|token|api[_-]?key|authorization|private[_-]?key/i;

/** What a secret written in clear is shown as. */
export const MASKED_SECRET = "********";

/**
 * `spec` with every secret written in clear (a value under a secret-looking key without a
 * `${VAR}` reference) replaced by `MASKED_SECRET`, and the fields where that happened.
 */
export function maskClearSecrets(spec: Record<string, unknown>): {
  spec: Record<string, unknown>;
  fields: string[];
} {
  const fields: string[] = [];
  const visit = (value: unknown, path: string, secret: boolean): unknown => {
    if (Array.isArray(value)) return value.map((item, index) => visit(item, `${path}[${index}]`, secret));
    if (isMapping(value)) {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [
          key,
          visit(item, `${path}.${key}`, SECRET_KEY.test(key)),
        ]),
      );
    }
    if (!secret || value === null || value === undefined || value === "") return value;
    if (typeof value === "string" && secretReferences(value).length > 0) return value;
    fields.push(path);
    return MASKED_SECRET;
  };
  return { spec: visit(spec, "spec", false) as Record<string, unknown>, fields };
}

/** Reads one environment file's text; never throws, and never returns a secret written in clear. */
export function readEnvironment(file: string, text: string): EnvironmentDefinition {
  const name = file.replace(/\.ya?ml$/i, "");
  const definition: EnvironmentDefinition = {
    name,
    description: "",
    platform: "generic",
    spec: {},
    secrets: [],
    file,
  };
  const invalid = (message: string): EnvironmentDefinition => ({
    ...definition,
    error: { file, message },
    problems: [{ file, field: "", message }],
  });
  let document: unknown;
  try {
    document = parseTaskText(text, file);
  } catch (error) {
    const problem = toProblem(file, error);
    return { ...definition, error: problem, problems: [{ ...problem, field: "" }] };
  }
  if (document === null) return invalid("the file is empty; it needs at least a 'platform'");
  if (!isMapping(document))
    return invalid("an environment must be a mapping (name, description, platform, spec)");
  const problems: { field: string; message: string }[] = [];
  for (const key of Object.keys(document).filter((key) => !ENVIRONMENT_KEYS.includes(key))) {
    problems.push({
      field: key,
      message: `is not a field of an environment (${ENVIRONMENT_KEYS.join(", ")})`,
    });
  }
  if (document.name !== undefined && document.name !== name) {
    problems.push({
      field: "name",
      message: `is ${JSON.stringify(document.name)} but the file is ${file}; they must agree`,
    });
  }
  if (document.description !== undefined && typeof document.description !== "string") {
    problems.push({ field: "description", message: "must be a string" });
  }
  if (
    document.platform !== undefined &&
    (typeof document.platform !== "string" || !PLATFORM_NAME.test(document.platform))
  ) {
    problems.push({
      field: "platform",
      message: "must be a lowercase name such as generic, openstack or http",
    });
  }
  if (document.spec !== undefined && document.spec !== null && !isMapping(document.spec)) {
    problems.push({ field: "spec", message: "must be a mapping of the platform's settings" });
  }
  const platform = typeof document.platform === "string" ? document.platform : "generic";
  const masked = maskClearSecrets(isMapping(document.spec) ? document.spec : {});
  for (const field of masked.fields) {
    problems.push({
      field,
      message:
        "is a secret written in clear; write a reference such as ${OS_PASSWORD} and set the variable where the runner runs",
    });
  }
  if (isMapping(document.spec) || (document.spec == null && platform in PLATFORM_SPECS)) {
    for (const problem of platformSpecProblems(platform, masked.spec)) {
      if (!problems.some((known) => known.field === problem.field)) problems.push(problem);
    }
  }
  const read: EnvironmentDefinition = {
    ...definition,
    description: typeof document.description === "string" ? document.description.trim() : "",
    platform,
    spec: masked.spec,
    secrets: secretReferences(masked.spec),
  };
  if (problems.length === 0) return read;
  const lines = yamlLineIndex(text);
  const located = problems.map((problem): EnvironmentProblem => {
    const line = lines.get(problem.field) ?? lines.get(problem.field.replace(/(\.[^.[]+|\[\d+\])$/, ""));
    return line === undefined ? { file, ...problem } : { file, ...problem, line };
  });
  const lineNumbers = located.flatMap((problem) => (problem.line === undefined ? [] : [problem.line]));
  const first = lineNumbers.length === 0 ? undefined : Math.min(...lineNumbers);
  const message = located.map((problem) => `${problem.field}: ${problem.message}`).join("; ");
  return {
    ...read,
    error: first === undefined ? { file, message } : { file, line: first, message },
    problems: located,
  };
}

/** An environment store over a folder. */
export function createEnvironmentStore(options: { readonly root: string }): EnvironmentStore {
  const list = async (): Promise<EnvironmentList> => {
    const files = await listYamlFiles(options.root);
    if (files === undefined) return { environments: [] };
    const environments: EnvironmentDefinition[] = [];
    const seen = new Set<string>();
    for (const file of files) {
      let text: string;
      try {
        text = await readFile(join(options.root, file), "utf8");
      } catch {
        continue;
      }
      const environment = readEnvironment(file, text);
      if (seen.has(environment.name)) {
        environments.push({
          ...environment,
          error: { file, message: `another file already defines the environment '${environment.name}'` },
        });
        continue;
      }
      seen.add(environment.name);
      environments.push(environment);
    }
    return {
      environments: environments.sort((a, b) => a.name.localeCompare(b.name) || a.file.localeCompare(b.file)),
    };
  };
  return {
    list,
    async get(name) {
      const found = (await list()).environments.find((environment) => environment.name === name);
      if (!found) throw new EnvironmentNotFound(name);
      return found;
    },
  };
}
