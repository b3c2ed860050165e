// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is how environments reference secrets.
import type { EnvironmentDefinition } from "@paddock/shared/api";
import { describe, expect, it } from "vitest";
import { twinBus, twinClients } from "../../../test/support/twins.js";
import { loadCliConfig } from "../../config.js";
import { memoryIo } from "../io.js";
import { main } from "../router.js";

const DEVSTACK: EnvironmentDefinition = {
  name: "devstack",
  description: "The lab's DevStack",
  platform: "openstack",
  spec: {
    auth_url: "http://10.0.0.5/identity",
    interface: "public",
    admin: { username: "admin", password: "${OS_PASSWORD}", project_name: "admin" },
    users: [{ username: "demo", password: "${DEMO_PASSWORD}" }],
    https_insecure: false,
  },
  secrets: ["DEMO_PASSWORD", "OS_PASSWORD"],
  file: "devstack.yaml",
};

const LEAKY: EnvironmentDefinition = {
  name: "leaky",
  description: "",
  platform: "http",
  spec: { base_url: "https://x", headers: { "X-Api-Key": "********" } },
  secrets: [],
  file: "leaky.yaml",
  error: { file: "leaky.yaml", line: 4, message: "spec.headers.X-Api-Key: is a secret written in clear" },
  problems: [
    { file: "leaky.yaml", field: "spec.headers.X-Api-Key", line: 4, message: "is a secret written in clear" },
  ],
};

async function run(argv: string[]) {
  const clients = twinClients();
  clients.catalog.listEnvironments = async () => ({ environments: [DEVSTACK, LEAKY] });
  const io = memoryIo();
  const code = await main(argv, io, { clients, bus: twinBus(), config: loadCliConfig({}) });
  return { code, out: io.stdout.join("\n"), err: io.stderr.join("\n") };
}

describe("paddock env show", () => {
  it("prints the platform, the spec and the secrets as references", async () => {
    const { code, out } = await run(["env", "show", "devstack"]);
    expect(code).toBe(0);
    expect(out).toBe(
      [
        "Environment devstack (openstack)",
        "  The lab's DevStack",
        "File: devstack.yaml",
        "Secrets: DEMO_PASSWORD, OS_PASSWORD (references; only the runner reads these variables)",
        "Spec:",
        "  auth_url: http://10.0.0.5/identity",
        "  interface: public",
        "  admin:",
        "    username: admin",
        "    password: ${OS_PASSWORD}",
        "    project_name: admin",
        "  users:",
        "    - username: demo",
        "      password: ${DEMO_PASSWORD}",
        "  https_insecure: false",
      ].join("\n"),
    );
  });

  it("prints JSON with --json", async () => {
    const { code, out } = await run(["env", "show", "devstack", "--json"]);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual(DEVSTACK);
  });

  it("shows a broken environment's problems with file, line and field, and exits 1", async () => {
    const { code, out } = await run(["env", "show", "leaky"]);
    expect(code).toBe(1);
    expect(out).toContain('    X-Api-Key: "********"');
    expect(out).toContain(
      "Problems:\n  - leaky.yaml:4: spec.headers.X-Api-Key: is a secret written in clear",
    );
  });

  it("names an unknown environment and the known ones", async () => {
    const { code, err } = await run(["env", "show", "mars"]);
    expect(code).toBe(1);
    expect(err).toBe("paddock: There is no environment 'mars'\nKnown environments: devstack, leaky");
    expect((await run(["env", "show"])).err).toContain("'paddock env show' needs NAME");
  });
});
