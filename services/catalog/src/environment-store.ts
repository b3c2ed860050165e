/**
 * Environments: `<root>/<name>.yaml` files saying what tasks run against.
 *
 * ```yaml
 * name: devstack                 # optional; must be the file's base name
 * description: The lab's DevStack
 * platform: openstack            # generic (default) | openstack | http | ...
 * spec:
 *   auth_url: http://10.0.0.5/identity
 *   username: admin
 *   password: ${OS_PASSWORD}     # a secret: resolved only by the runner
 * ```
 *
 * Files are read on every request (a handful of small files), so edits show at once. `${VAR}`
 * references are returned exactly as written and listed in `secrets`; their values are never
 * read here. A file that cannot be read is listed with its problem.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { EnvironmentDefinition, EnvironmentList } from "@paddock/shared/api";
import { EnvironmentNotFound } from "@paddock/shared/errors";
import { parseTaskText } from "@paddock/tasks";
import { toProblem } from "./scenario-reader.js";

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

/** Reads one environment file's text; never throws. */
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
  const invalid = (message: string): EnvironmentDefinition => ({ ...definition, error: { file, message } });
  let document: unknown;
  try {
    document = parseTaskText(text, file);
  } catch (error) {
    return { ...definition, error: toProblem(file, error) };
  }
  if (document === null) return invalid("the file is empty; it needs at least a 'platform'");
  if (!isMapping(document))
    return invalid("an environment must be a mapping (name, description, platform, spec)");
  const problems: string[] = [];
  const extra = Object.keys(document).filter((key) => !ENVIRONMENT_KEYS.includes(key));
  if (extra.length > 0) {
    problems.push(
      `Additional properties are not allowed (${extra.map((key) => `'${key}'`).join(", ")} ${extra.length === 1 ? "was" : "were"} unexpected)`,
    );
  }
  if (document.name !== undefined && document.name !== name) {
    problems.push(`'name' is ${JSON.stringify(document.name)} but the file is ${file}; they must agree`);
  }
  if (document.description !== undefined && typeof document.description !== "string") {
    problems.push("'description' must be a string");
  }
  if (
    document.platform !== undefined &&
    (typeof document.platform !== "string" || !PLATFORM_NAME.test(document.platform))
  ) {
    problems.push("'platform' must be a lowercase name such as generic, openstack or http");
  }
  if (document.spec !== undefined && document.spec !== null && !isMapping(document.spec)) {
    problems.push("'spec' must be a mapping of the platform's settings");
  }
  const spec = isMapping(document.spec) ? document.spec : {};
  const read: EnvironmentDefinition = {
    ...definition,
    description: typeof document.description === "string" ? document.description : "",
    platform: typeof document.platform === "string" ? document.platform : "generic",
    spec,
    secrets: secretReferences(spec),
  };
  return problems.length === 0 ? read : { ...read, error: { file, message: problems.join("; ") } };
}

/** An environment store over a folder. */
export function createEnvironmentStore(options: { readonly root: string }): EnvironmentStore {
  const list = async (): Promise<EnvironmentList> => {
    let files: string[];
    try {
      const items = await readdir(options.root, { withFileTypes: true });
      files = items
        .filter((item) => item.isFile() && !item.name.startsWith(".") && /\.ya?ml$/i.test(item.name))
        .map((item) => item.name)
        .sort();
    } catch {
      return { environments: [] };
    }
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
