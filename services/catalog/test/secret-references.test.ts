// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is how environments reference secrets.
/**
 * Secrets in environments are `${VAR}` references. Even when the variables are set in the
 * catalog's own environment, no response of any route contains their values.
 */
import { createLogger } from "@paddock/http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.js";
import { createContextPresetStore } from "../src/context-presets.js";
import { createEnvironmentStore } from "../src/environment-store.js";
import { openScenarioLibrary, type ScenarioLibrary } from "../src/scenario-library.js";
import { type LibraryFixture, libraryFixture } from "./library-fixture.js";

const logger = createLogger("catalog-test", "silent");
const VALUES = {
  OS_PASSWORD: "resolved-os-password-4417",
  DEMO_PASSWORD: "resolved-demo-password-9902",
  API_TOKEN: "resolved-api-token-3318",
};

describe("secret references", () => {
  let fixture: LibraryFixture;
  let library: ScenarioLibrary;
  let app: Awaited<ReturnType<typeof buildApp>>;

  beforeEach(async () => {
    Object.assign(process.env, VALUES);
    fixture = libraryFixture();
    fixture.write(
      "environments/devstack.yaml",
      [
        "description: DevStack",
        "platform: openstack",
        "spec:",
        "  auth_url: http://10.0.0.5/identity",
        "  admin: {username: admin, password: '${OS_PASSWORD}', project_name: admin}",
        "  users:",
        "    - {username: demo, password: '${DEMO_PASSWORD}'}",
      ].join("\n"),
    );
    fixture.write(
      "environments/api.yaml",
      "platform: http\nspec:\n  base_url: https://api.example.com\n  headers: {Authorization: 'Bearer ${API_TOKEN}'}\n",
    );
    fixture.write(
      "environments/leaky.yaml",
      "platform: http\nspec:\n  base_url: https://x\n  headers: {X-Api-Key: plain-leaked-key-5521}\n",
    );
    library = await openScenarioLibrary({ root: fixture.scenarios, logger, watch: false });
    app = await buildApp({
      library,
      environments: createEnvironmentStore({ root: fixture.environments }),
      contexts: createContextPresetStore({ root: fixture.contexts }),
      logger,
    });
  });

  afterEach(async () => {
    for (const name of Object.keys(VALUES)) delete process.env[name];
    await app.close();
    await library.close();
    fixture.remove();
  });

  it("shows references, never their values, on every route", async () => {
    const urls = [
      "/environments",
      "/environments/devstack",
      "/environments/api",
      "/environments/leaky",
      "/environments/missing",
      "/scenarios",
      "/services",
      "/contexts",
      "/openapi.json",
    ];
    const bodies = await Promise.all(
      urls.map(async (url) => (await app.inject({ method: "GET", url })).body),
    );
    const devstack = JSON.parse(bodies[1] ?? "{}");
    expect(devstack.spec.admin.password).toBe("${OS_PASSWORD}");
    expect(devstack.spec.users[0].password).toBe("${DEMO_PASSWORD}");
    expect(devstack.secrets).toEqual(["DEMO_PASSWORD", "OS_PASSWORD"]);
    expect(JSON.parse(bodies[2] ?? "{}").spec.headers.Authorization).toBe("Bearer ${API_TOKEN}");
    const leaky = JSON.parse(bodies[3] ?? "{}");
    expect(leaky.spec.headers["X-Api-Key"]).toBe("********");
    expect(leaky.problems).toEqual([
      expect.objectContaining({ file: "leaky.yaml", field: "spec.headers.X-Api-Key", line: 4 }),
    ]);
    for (const body of bodies) {
      for (const value of [...Object.values(VALUES), "plain-leaked-key-5521"])
        expect(body).not.toContain(value);
    }
  });
});
