// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is how environments reference secrets.
/**
 * The platforms an environment can describe, each with the schema of its `spec`, and the check
 * that turns schema errors into one problem per field (`spec.admin.password`). Messages never
 * repeat a field's value, so a password written in clear is not echoed back.
 */
import { HttpPlatformSpec, OpenStackPlatformSpec } from "@paddock/shared/api";
import type { TSchema } from "typebox";
import Compile, { type Validator } from "typebox/compile";
import type { TLocalizedValidationError } from "typebox/error";

/** Platforms whose `spec` is checked; any other platform name (e.g. `generic`) is free-form. */
export const PLATFORM_SPECS = {
  openstack: OpenStackPlatformSpec,
  http: HttpPlatformSpec,
} satisfies Record<string, TSchema>;

export type KnownPlatform = keyof typeof PLATFORM_SPECS;

const validators = new Map<string, Validator>();

/** One problem of a spec: the field (`spec.auth_url`) and what is wrong with it. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

function fieldPath(base: string, instancePath: string, child?: string): string {
  let path = base;
  const segments = instancePath === "" ? [] : instancePath.slice(1).split("/");
  for (const segment of [...segments, ...(child === undefined ? [] : [child])]) {
    const name = segment.replace(/~1/g, "/").replace(/~0/g, "~");
    path += /^\d+$/.test(name) ? `[${name}]` : `.${name}`;
  }
  return path;
}

function describe(error: TLocalizedValidationError, base: string): FieldProblem[] {
  const field = fieldPath(base, error.instancePath);
  switch (error.keyword) {
    case "required":
      return error.params.requiredProperties.map((name) => ({
        field: fieldPath(base, error.instancePath, name),
        message: "is required",
      }));
    case "additionalProperties":
      return error.params.additionalProperties.map((name) => ({
        field: fieldPath(base, error.instancePath, name),
        message: "is not a setting of this platform",
      }));
    case "pattern": {
      const pattern = String(error.params.pattern);
      if (pattern.startsWith("^\\$")) {
        return [
          {
            field,
            message:
              "must be a reference such as ${OS_PASSWORD}: secrets are not written in environment files",
          },
        ];
      }
      if (pattern.startsWith("^https?")) return [{ field, message: "must be an http:// or https:// URL" }];
      return [{ field, message: `must match ${pattern}` }];
    }
    case "type":
      return [{ field, message: `must be of type ${[error.params.type].flat().join(" or ")}` }];
    case "anyOf":
      return [{ field, message: "has a value this setting does not accept" }];
    default:
      return [{ field, message: error.message }];
  }
}

/** Problems of a known platform's spec, one per field; none for other platforms. */
export function platformSpecProblems(platform: string, spec: unknown, base = "spec"): FieldProblem[] {
  const schema = (PLATFORM_SPECS as Record<string, TSchema>)[platform];
  if (schema === undefined) return [];
  let validator = validators.get(platform);
  if (validator === undefined) {
    validator = Compile(schema);
    validators.set(platform, validator);
  }
  if (validator.Check(spec)) return [];
  const errors = validator
    .Errors(spec)
    .filter((error) => !(error.keyword === "boolean" && error.schemaPath.endsWith("/additionalProperties")));
  const unions = errors
    .filter((error) => error.keyword === "anyOf")
    .map((error) => `${error.schemaPath}/anyOf/`);
  const problems = errors
    .filter((error) => !unions.some((prefix) => error.schemaPath.startsWith(prefix)))
    .flatMap((error) => describe(error, base));
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.field}\u0000${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
