// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is how environments reference secrets.
import { describe, expect, it } from "vitest";
import { MASKED_SECRET, maskClearSecrets, readEnvironment, secretReferences } from "./environment-store.js";

const OPENSTACK = [
  "description: lab",
  "platform: openstack",
  "spec:",
  "  auth_url: https://10.0.0.5/identity",
  "  region_name: RegionOne",
  "  interface: public",
  "  endpoint_type: internal",
  "  https_insecure: false",
  "  https_cacert: /etc/ssl/lab.pem",
  "  admin:",
  "    username: admin",
  "    password: ${OS_PASSWORD}",
  "    user_domain_name: Default",
  "    project_name: admin",
  "    project_domain_name: Default",
  "  users:",
  "    - {username: demo, password: '${DEMO_PASSWORD}', project_name: demo}",
].join("\n");

describe("readEnvironment", () => {
  it("reads a complete openstack environment, listing secrets without resolving them", () => {
    const environment = readEnvironment("lab.yaml", OPENSTACK);
    expect(environment.error).toBeUndefined();
    expect(environment).toMatchObject({
      name: "lab",
      description: "lab",
      platform: "openstack",
      secrets: ["DEMO_PASSWORD", "OS_PASSWORD"],
      file: "lab.yaml",
    });
    expect(environment.spec.admin).toEqual({
      username: "admin",
      password: "${OS_PASSWORD}",
      user_domain_name: "Default",
      project_name: "admin",
      project_domain_name: "Default",
    });
  });

  it("reads an http environment whose headers hold references", () => {
    const environment = readEnvironment(
      "api.yaml",
      "platform: http\nspec:\n  base_url: https://api.example.com/v1\n  headers:\n    Authorization: Bearer ${API_TOKEN}\n    Accept: application/json\n",
    );
    expect(environment.error).toBeUndefined();
    expect(environment.spec).toEqual({
      base_url: "https://api.example.com/v1",
      headers: { Authorization: "Bearer ${API_TOKEN}", Accept: "application/json" },
    });
    expect(environment.secrets).toEqual(["API_TOKEN"]);
  });

  it("names each bad field of an openstack spec with its line", () => {
    const text = [
      "platform: openstack",
      "spec:",
      "  auth_url: 10.0.0.5/identity",
      "  interface: outer",
      "  regio_name: RegionOne",
      "  admin:",
      "    password: ${OS_PASSWORD}",
      "  users:",
      "    - {username: demo, password: 7}",
    ].join("\n");
    const environment = readEnvironment("lab.yaml", text);
    expect(environment.problems).toEqual(
      expect.arrayContaining([
        { file: "lab.yaml", field: "spec.auth_url", line: 3, message: "must be an http:// or https:// URL" },
        {
          file: "lab.yaml",
          field: "spec.interface",
          line: 4,
          message: "has a value this setting does not accept",
        },
        { file: "lab.yaml", field: "spec.regio_name", line: 5, message: "is not a setting of this platform" },
        { file: "lab.yaml", field: "spec.admin.username", line: 6, message: "is required" },
        expect.objectContaining({ file: "lab.yaml", field: "spec.users[0].password", line: 9 }),
      ]),
    );
    expect(environment.error?.line).toBe(3);
    expect(environment.error?.message).toContain("spec.auth_url: must be an http:// or https:// URL");
  });

  it("requires an auth_url for openstack and a base_url for http", () => {
    expect(readEnvironment("o.yaml", "platform: openstack\n").problems).toEqual([
      { file: "o.yaml", field: "spec.auth_url", message: "is required" },
    ]);
    expect(readEnvironment("h.yaml", "platform: http\nspec: {}\n").problems).toEqual([
      { file: "h.yaml", field: "spec.base_url", line: 2, message: "is required" },
    ]);
  });

  it("masks a secret written in clear and says where it is, without repeating it", () => {
    const text =
      "platform: openstack\nspec:\n  auth_url: http://x/identity\n  admin: {username: admin, password: hunter2}\n";
    const environment = readEnvironment("lab.yaml", text);
    expect(environment.spec.admin).toEqual({ username: "admin", password: MASKED_SECRET });
    expect(environment.problems).toEqual([
      {
        file: "lab.yaml",
        field: "spec.admin.password",
        line: 4,
        message:
          "is a secret written in clear; write a reference such as ${OS_PASSWORD} and set the variable where the runner runs",
      },
    ]);
    expect(JSON.stringify(environment)).not.toContain("hunter2");
  });

  it("defaults the platform to generic, whose spec is free-form", () => {
    expect(readEnvironment("x.yml", "description: d\nspec: {anything: [1, 2]}\n")).toMatchObject({
      name: "x",
      platform: "generic",
      spec: { anything: [1, 2] },
    });
  });

  it("lists every problem of a wrong file with its field", () => {
    const environment = readEnvironment("a.yaml", "name: b\nplatform: Open Stack\nspec: [1]\nextra: 1\n");
    expect(environment.problems?.map((problem) => [problem.field, problem.line])).toEqual([
      ["extra", 4],
      ["name", 1],
      ["platform", 2],
      ["spec", 3],
    ]);
    expect(environment.error?.message).toContain('name: is "b" but the file is a.yaml; they must agree');
  });

  it("names the line of a YAML error", () => {
    const environment = readEnvironment("a.yaml", "platform: generic\nspec: {a: 1\n");
    expect(environment.error?.file).toBe("a.yaml");
    expect(environment.error?.line).toBeGreaterThanOrEqual(2);
  });
});

describe("maskClearSecrets", () => {
  it("keeps references and non-secret fields, masks clear secrets at any depth", () => {
    expect(
      maskClearSecrets({
        token: "prefix-${API_TOKEN}-suffix",
        api_key: "abc",
        nested: [{ private_key: 12, name: "n" }],
        password: "",
      }),
    ).toEqual({
      spec: {
        token: "prefix-${API_TOKEN}-suffix",
        api_key: MASKED_SECRET,
        nested: [{ private_key: MASKED_SECRET, name: "n" }],
        password: "",
      },
      fields: ["spec.api_key", "spec.nested[0].private_key"],
    });
  });
});

describe("secretReferences", () => {
  it("finds ${VAR} anywhere, once, sorted", () => {
    expect(secretReferences({ a: "${B} ${A}", b: ["${A}", { c: "$NOT {this}" }] })).toEqual(["A", "B"]);
  });
});
