// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is how environments reference secrets.
import { describe, expect, it } from "vitest";
import { readEnvironment, secretReferences } from "./environment-store.js";

describe("readEnvironment", () => {
  it("reads name, description, platform and spec, listing secrets without resolving them", () => {
    const text = [
      "description: lab",
      "platform: openstack",
      "spec:",
      "  auth_url: http://10.0.0.5/identity",
      "  users:",
      "    - {username: demo, password: '${OS_PASSWORD}'}",
      "  token: prefix-${API_TOKEN}-suffix",
    ].join("\n");
    expect(readEnvironment("lab.yaml", text)).toEqual({
      name: "lab",
      description: "lab",
      platform: "openstack",
      spec: {
        auth_url: "http://10.0.0.5/identity",
        users: [{ username: "demo", password: "${OS_PASSWORD}" }],
        token: "prefix-${API_TOKEN}-suffix",
      },
      secrets: ["API_TOKEN", "OS_PASSWORD"],
      file: "lab.yaml",
    });
  });

  it("defaults the platform to generic", () => {
    expect(readEnvironment("x.yml", "description: d\n")).toMatchObject({
      name: "x",
      platform: "generic",
      spec: {},
    });
  });

  it("lists every problem of a wrong file", () => {
    const environment = readEnvironment("a.yaml", "name: b\nplatform: Open Stack\nspec: [1]\nextra: 1\n");
    expect(environment.error).toEqual({
      file: "a.yaml",
      message:
        "Additional properties are not allowed ('extra' was unexpected); 'name' is \"b\" but the file is a.yaml; they must agree; 'platform' must be a lowercase name such as generic, openstack or http; 'spec' must be a mapping of the platform's settings",
    });
  });

  it("names the line of a YAML error", () => {
    const environment = readEnvironment("a.yaml", "platform: generic\nspec: {a: 1\n");
    expect(environment.error?.file).toBe("a.yaml");
    expect(environment.error?.line).toBeGreaterThanOrEqual(2);
  });
});

describe("secretReferences", () => {
  it("finds ${VAR} anywhere, once, sorted", () => {
    expect(secretReferences({ a: "${B} ${A}", b: ["${A}", { c: "$NOT {this}" }] })).toEqual(["A", "B"]);
  });
});
