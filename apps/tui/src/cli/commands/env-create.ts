// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is how environments reference secrets.
/**
 * `paddock env create --from-sysenv NAME` (Rally's `rally env create --from-sysenv`): writes
 * `environments/NAME.yaml`, an `openstack` environment made from the `OS_*` variables of this
 * shell — the ones an OpenStack RC file sets. The password is never written: the file says
 * `${OS_PASSWORD}`, which only the runner resolves, from its own environment. The catalog picks
 * the file up by itself (it watches the folder).
 *
 * Read: OS_AUTH_URL, OS_USERNAME, OS_PASSWORD (required), OS_PROJECT_NAME or OS_TENANT_NAME,
 * OS_USER_DOMAIN_NAME, OS_PROJECT_DOMAIN_NAME (default Default), OS_REGION_NAME,
 * OS_INTERFACE or OS_ENDPOINT_TYPE, OS_INSECURE, OS_CACERT, OS_IDENTITY_API_VERSION (3 only).
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { OpenStackPlatformSpec } from "@paddock/shared/api";
import { PaddockError } from "@paddock/shared/errors";
import Compile from "typebox/compile";
import { type Command, flag, stringOption } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { specLines } from "./env-show.js";

/** The OS_* variables cannot make an environment, or the file cannot be written. */
export class EnvironmentNotCreated extends PaddockError {
  readonly code = "ENVIRONMENT_NOT_CREATED";
  readonly status = 400;
}

/** What `--from-sysenv` made: the spec and what the user should know about it. */
export interface SysenvEnvironment {
  readonly spec: OpenStackPlatformSpec;
  /** Variables that were set but are not written (with why). */
  readonly notes: readonly string[];
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const checkSpec = Compile(OpenStackPlatformSpec);

/** oslo's `bool_from_string`: true for 1/t/true/on/y/yes, false otherwise. */
function truthy(value: string): boolean {
  return /^(1|t|true|on|y|yes)$/i.test(value.trim());
}

/**
 * The `openstack` spec Rally's `create_spec_from_sys_environ` would make from `environ`, with the
 * password as a `${OS_PASSWORD}` reference. Throws `EnvironmentNotCreated` naming the variables.
 */
export function specFromSysenv(environ: Readonly<Record<string, string | undefined>>): SysenvEnvironment {
  const value = (name: string) => {
    const found = environ[name];
    return found === undefined || found === "" ? undefined : found;
  };
  const missing = ["OS_AUTH_URL", "OS_USERNAME", "OS_PASSWORD"].filter((name) => value(name) === undefined);
  if (missing.length > 0) {
    throw new EnvironmentNotCreated(
      `The following variable(s) are missing: ${missing.join(", ")} (source your OpenStack RC file first)`,
    );
  }
  const project = value("OS_PROJECT_NAME") ?? value("OS_TENANT_NAME");
  if (project === undefined) {
    throw new EnvironmentNotCreated("One of OS_PROJECT_NAME or OS_TENANT_NAME should be specified.");
  }
  const version = value("OS_IDENTITY_API_VERSION") ?? value("IDENTITY_API_VERSION");
  if (version !== undefined && version.replace(/\.0$/, "") !== "3") {
    throw new EnvironmentNotCreated(
      `OS_IDENTITY_API_VERSION is ${version}: Paddock speaks Keystone v3 only (set it to 3 or unset it)`,
    );
  }
  const authUrl = value("OS_AUTH_URL") as string;
  if (!/^https?:\/\//.test(authUrl)) {
    throw new EnvironmentNotCreated(`OS_AUTH_URL must be an http(s) URL, not '${authUrl}'`);
  }
  const endpointType = (value("OS_INTERFACE") ?? value("OS_ENDPOINT_TYPE"))?.replace(/URL$/, "");
  if (endpointType !== undefined && !["public", "internal", "admin"].includes(endpointType)) {
    throw new EnvironmentNotCreated(
      `${value("OS_INTERFACE") === undefined ? "OS_ENDPOINT_TYPE" : "OS_INTERFACE"} must be public, internal or admin, not '${endpointType}'`,
    );
  }
  const insecure = value("OS_INSECURE");
  const caFile = value("OS_CACERT");
  const region = value("OS_REGION_NAME");
  const spec = {
    auth_url: authUrl,
    ...(region === undefined ? {} : { region_name: region }),
    ...(endpointType === undefined ? {} : { interface: endpointType as "public" | "internal" | "admin" }),
    admin: {
      username: value("OS_USERNAME") as string,
      password: "${OS_PASSWORD}",
      user_domain_name: value("OS_USER_DOMAIN_NAME") ?? value("OS_USER_DOMAIN_ID") ?? "Default",
      project_name: project,
      project_domain_name: value("OS_PROJECT_DOMAIN_NAME") ?? value("OS_PROJECT_DOMAIN_ID") ?? "Default",
    },
    ...(insecure === undefined ? {} : { https_insecure: truthy(insecure) }),
    ...(caFile === undefined ? {} : { https_cacert: caFile }),
  };
  if (!checkSpec.Check(spec)) {
    throw new EnvironmentNotCreated(
      `the OS_* variables do not make a valid openstack spec: ${[...checkSpec.Errors(spec)]
        .map((error) => `${error.instancePath || "spec"} ${error.message}`)
        .join("; ")}`,
    );
  }
  const notes = ["OS_CERT", "OS_KEY"]
    .filter((name) => value(name) !== undefined)
    .map((name) => `${name} is set but not written: Paddock's openstack platform has no client certificates`);
  return { spec, notes };
}

/** The environment file's text. */
export function environmentFile(name: string, description: string, spec: OpenStackPlatformSpec): string {
  return [
    "# Made by `paddock env create --from-sysenv` from this shell's OS_* variables. The password is a",
    "# reference: the runner reads OS_PASSWORD from its own environment (never this file).",
    `name: ${name}`,
    ...specLines({ description }, ""),
    "platform: openstack",
    "spec:",
    ...specLines(spec),
    "",
  ].join("\n");
}

export const envCreate: Command = {
  name: "env create",
  args: "NAME",
  summary: "Create environments/NAME.yaml from the OS_* variables (--from-sysenv), secrets as ${VAR}",
  details: [
    "Reads OS_AUTH_URL, OS_USERNAME, OS_PASSWORD, OS_PROJECT_NAME (or OS_TENANT_NAME), OS_USER_DOMAIN_NAME,",
    "OS_PROJECT_DOMAIN_NAME, OS_REGION_NAME, OS_INTERFACE (or OS_ENDPOINT_TYPE), OS_INSECURE, OS_CACERT,",
    "as Rally's 'env create --from-sysenv'. The password is written as ${OS_PASSWORD}: set OS_PASSWORD",
    "where the runner runs. The catalog serves the new environment at once (it watches the folder).",
  ],
  options: {
    "from-sysenv": {
      type: "boolean",
      description: "Make the environment from the OS_* variables (required)",
    },
    description: { type: "string", value: "TEXT", description: "The environment's description" },
    dir: {
      type: "string",
      value: "DIR",
      description: "The catalog's environments folder (default ./environments)",
    },
    force: { type: "boolean", description: "Replace an existing environment file" },
    json: { type: "boolean", description: "Print the environment (file, spec) as JSON" },
  },
  positionals: { min: 1, max: 1 },
  async run(context, line) {
    const name = line.positionals[0] ?? "";
    if (!flag(line, "from-sysenv")) {
      throw new EnvironmentNotCreated(
        "paddock env create needs --from-sysenv (or write environments/<name>.yaml by hand: see environments/devstack.yaml)",
      );
    }
    if (!NAME.test(name)) {
      throw new EnvironmentNotCreated(
        `'${name}' cannot name an environment file: use letters, digits, '.', '_' and '-'`,
      );
    }
    // The OS_* variables of this shell are this command's input.
    const { spec, notes } = specFromSysenv(process.env);
    const dir = stringOption(line, "dir") ?? join(process.cwd(), "environments");
    const file = join(dir, `${name}.yaml`);
    const shown = relative(process.cwd(), file) || file;
    if (existsSync(file) && !flag(line, "force")) {
      throw new EnvironmentNotCreated(`${shown} exists (--force replaces it)`);
    }
    const description =
      stringOption(line, "description") ?? `OpenStack at ${spec.auth_url} (from the OS_* variables)`;
    try {
      mkdirSync(dir, { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, environmentFile(name, description, spec), { mode: 0o644 });
      renameSync(temporary, file);
    } catch (error) {
      throw new EnvironmentNotCreated(`cannot write ${shown}: ${(error as Error).message}`, { cause: error });
    }
    for (const note of notes) context.io.err(`paddock: ${note}`);
    if (flag(line, "json")) {
      context.io.out(
        JSON.stringify({ name, file: shown, description, platform: "openstack", spec }, null, 2),
      );
    } else {
      context.io.out(
        `Created environment ${name} in ${shown}: Keystone ${spec.auth_url}, admin '${spec.admin?.username}' in project '${spec.admin?.project_name}'.`,
      );
      context.io.out(
        `The runner reads OS_PASSWORD from its own environment; check it with: paddock env check ${name}`,
      );
    }
    return EXIT.ok;
  },
};
