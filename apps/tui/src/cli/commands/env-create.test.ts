// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is how environments reference secrets.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readEnvironment } from "@paddock/catalog/environment-store";
import { tempDir } from "@paddock/testkit";
import { afterEach, describe, expect, it, vi } from "vitest";
import { twinBus, twinClients } from "../../../test/support/twins.js";
import { loadCliConfig } from "../../config.js";
import { memoryIo } from "../io.js";
import { main } from "../router.js";
import { EnvironmentNotCreated, specFromSysenv } from "./env-create.js";

const PASSWORD = "rc-file-pa55word";

/** What `source admin-openrc.sh` sets on a DevStack (Keystone v3). */
const RC = {
  OS_AUTH_URL: "http://10.0.0.5/identity",
  OS_USERNAME: "admin",
  OS_PASSWORD: PASSWORD,
  OS_PROJECT_NAME: "admin",
  OS_USER_DOMAIN_ID: "default",
  OS_PROJECT_DOMAIN_ID: "default",
  OS_REGION_NAME: "RegionOne",
  OS_INTERFACE: "public",
  OS_IDENTITY_API_VERSION: "3",
};

const folders: { remove(): void }[] = [];

afterEach(() => {
  vi.unstubAllEnvs();
  for (const folder of folders.splice(0)) folder.remove();
});

async function run(argv: string[], environ: Record<string, string>) {
  for (const name of Object.keys(process.env).filter((key) => key.startsWith("OS_")))
    vi.stubEnv(name, undefined);
  for (const [name, value] of Object.entries(environ)) vi.stubEnv(name, value);
  const io = memoryIo();
  const code = await main(argv, io, { clients: twinClients(), bus: twinBus(), config: loadCliConfig({}) });
  return { code, out: io.stdout.join("\n"), err: io.stderr.join("\n") };
}

describe("specFromSysenv", () => {
  it("makes Rally's existing@openstack spec from an RC file's variables, the password as ${OS_PASSWORD}", () => {
    expect(specFromSysenv(RC)).toEqual({
      spec: {
        auth_url: "http://10.0.0.5/identity",
        region_name: "RegionOne",
        interface: "public",
        admin: {
          username: "admin",
          password: "${OS_PASSWORD}",
          user_domain_name: "default",
          project_name: "admin",
          project_domain_name: "default",
        },
      },
      notes: [],
    });
  });

  it("takes Rally's older names and options: OS_TENANT_NAME, OS_ENDPOINT_TYPE=publicURL, OS_INSECURE, OS_CACERT", () => {
    const { spec, notes } = specFromSysenv({
      OS_AUTH_URL: "https://keystone.example.org:5000/v3",
      OS_USERNAME: "ops",
      OS_PASSWORD: PASSWORD,
      OS_TENANT_NAME: "ops-project",
      OS_ENDPOINT_TYPE: "internalURL",
      OS_INSECURE: "True",
      OS_CACERT: "/etc/ssl/cloud-ca.pem",
      OS_CERT: "/etc/ssl/me.pem",
    });
    expect(spec).toEqual({
      auth_url: "https://keystone.example.org:5000/v3",
      interface: "internal",
      admin: {
        username: "ops",
        password: "${OS_PASSWORD}",
        user_domain_name: "Default",
        project_name: "ops-project",
        project_domain_name: "Default",
      },
      https_insecure: true,
      https_cacert: "/etc/ssl/cloud-ca.pem",
    });
    expect(notes).toEqual([
      "OS_CERT is set but not written: Paddock's openstack platform has no client certificates",
    ]);
  });

  it("says which variables are missing or wrong", () => {
    const attempt = (environ: Record<string, string>) => {
      try {
        specFromSysenv(environ);
        return "";
      } catch (error) {
        expect(error).toBeInstanceOf(EnvironmentNotCreated);
        return (error as Error).message;
      }
    };
    expect(attempt({ OS_USERNAME: "admin" })).toBe(
      "The following variable(s) are missing: OS_AUTH_URL, OS_PASSWORD (source your OpenStack RC file first)",
    );
    expect(attempt({ ...RC, OS_PROJECT_NAME: "" })).toBe(
      "One of OS_PROJECT_NAME or OS_TENANT_NAME should be specified.",
    );
    expect(attempt({ ...RC, OS_IDENTITY_API_VERSION: "2.0" })).toBe(
      "OS_IDENTITY_API_VERSION is 2.0: Paddock speaks Keystone v3 only (set it to 3 or unset it)",
    );
    expect(attempt({ ...RC, OS_AUTH_URL: "keystone:5000" })).toBe(
      "OS_AUTH_URL must be an http(s) URL, not 'keystone:5000'",
    );
    expect(attempt({ ...RC, OS_INTERFACE: "private" })).toBe(
      "OS_INTERFACE must be public, internal or admin, not 'private'",
    );
  });
});

describe("paddock env create --from-sysenv", () => {
  it("writes environments/NAME.yaml that the catalog reads as an openstack environment, without the password", async () => {
    const folder = tempDir("paddock-env-create-");
    folders.push(folder);
    const { code, out, err } = await run(
      ["env", "create", "--from-sysenv", "lab", "--dir", folder.path, "--description", "The lab's DevStack"],
      RC,
    );
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toContain(`Created environment lab in `);
    expect(out).toContain("Keystone http://10.0.0.5/identity, admin 'admin' in project 'admin'.");
    const text = readFileSync(join(folder.path, "lab.yaml"), "utf8");
    expect(text).not.toContain(PASSWORD);
    expect(text).toContain("    password: ${OS_PASSWORD}\n");
    const environment = readEnvironment("lab.yaml", text);
    expect(environment).toMatchObject({
      name: "lab",
      description: "The lab's DevStack",
      platform: "openstack",
      secrets: ["OS_PASSWORD"],
      spec: { auth_url: "http://10.0.0.5/identity", admin: { password: "${OS_PASSWORD}" } },
    });
    expect(environment.problems ?? []).toEqual([]);
    expect(environment.error).toBeUndefined();
  });

  it("refuses to replace an existing file unless --force, and refuses without --from-sysenv", async () => {
    const folder = tempDir("paddock-env-create-");
    folders.push(folder);
    writeFileSync(join(folder.path, "lab.yaml"), "platform: generic\n");
    const refused = await run(["env", "create", "--from-sysenv", "lab", "--dir", folder.path], RC);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^paddock: .*lab\.yaml exists \(--force replaces it\)$/);
    expect(readFileSync(join(folder.path, "lab.yaml"), "utf8")).toBe("platform: generic\n");
    const forced = await run(["env", "create", "--from-sysenv", "lab", "--dir", folder.path, "--force"], RC);
    expect(forced.code).toBe(0);
    expect(readFileSync(join(folder.path, "lab.yaml"), "utf8")).toContain("platform: openstack");
    const without = await run(["env", "create", "other", "--dir", folder.path], RC);
    expect(without.code).toBe(1);
    expect(without.err).toContain("paddock env create needs --from-sysenv");
    expect(existsSync(join(folder.path, "other.yaml"))).toBe(false);
  });

  it("names the missing variables and writes nothing", async () => {
    const folder = tempDir("paddock-env-create-");
    folders.push(folder);
    const { code, err } = await run(["env", "create", "--from-sysenv", "lab", "--dir", folder.path], {
      OS_AUTH_URL: "http://10.0.0.5/identity",
    });
    expect(code).toBe(1);
    expect(err).toBe(
      "paddock: The following variable(s) are missing: OS_USERNAME, OS_PASSWORD (source your OpenStack RC file first)",
    );
    expect(existsSync(join(folder.path, "lab.yaml"))).toBe(false);
  });
});
