// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is how environments reference secrets.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { EnvironmentDefinition } from "@paddock/shared/api";
import { freePort } from "@paddock/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { openstackDefinition } from "../../test/support/openstack-definition.js";
import { checkEnvironment } from "./environment-check.js";

const PASSWORD = "keystone-pa55-word";

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function serve(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function environment(platform: string, spec: Record<string, unknown>): EnvironmentDefinition {
  return { name: "target", description: "", platform, spec, secrets: [], file: "target.yaml" };
}

const variables = { OS_PASSWORD: PASSWORD, API_TOKEN: "tok-123" };

describe("checkEnvironment", () => {
  it("generic: available, nothing to check", async () => {
    await expect(checkEnvironment(environment("generic", {}), {})).resolves.toEqual([
      { platform: "generic", available: true, message: "nothing to check", details: {} },
    ]);
  });

  it("http: GET base_url with the environment's headers, status and latency", async () => {
    const seen: (string | undefined)[] = [];
    const url = await serve((request, response) => {
      seen.push(request.headers.authorization);
      response.writeHead(204);
      response.end();
    });
    const [check] = await checkEnvironment(
      environment("http", { base_url: `${url}/`, headers: { Authorization: "Bearer ${API_TOKEN}" } }),
      variables,
    );
    expect(check).toMatchObject({
      platform: "http",
      available: true,
      details: { status: 204, url: `${url}/` },
    });
    expect(check?.message).toMatch(new RegExp(`^GET ${url}/ answered 204 in \\d+ ms$`));
    expect(typeof check?.details.latencyMs).toBe("number");
    expect(seen).toEqual(["Bearer tok-123"]);
    expect(JSON.stringify(check)).not.toContain("tok-123");
  });

  it("http: an unreachable base_url is unavailable with the reason", async () => {
    const port = await freePort();
    const [check] = await checkEnvironment(
      environment("http", { base_url: `http://127.0.0.1:${port}/` }),
      {},
    );
    expect(check?.available).toBe(false);
    expect(check?.message).toBe(
      `GET http://127.0.0.1:${port}/ got no answer: connect ECONNREFUSED 127.0.0.1:${port}`,
    );
  });

  it("http: 401 and 5xx answers are unavailable", async () => {
    const url = await serve((request, response) => {
      response.writeHead(request.url === "/denied" ? 401 : 503, { "x-request-id": "req-9" });
      response.end();
    });
    const [denied] = await checkEnvironment(environment("http", { base_url: `${url}/denied` }), {});
    expect(denied?.available).toBe(false);
    expect(denied?.message).toBe(
      `GET ${url}/denied answered 401: the credentials in spec.headers were refused (request id req-9)`,
    );
    const [broken] = await checkEnvironment(environment("http", { base_url: `${url}/broken` }), {});
    expect(broken?.available).toBe(false);
    expect(broken?.message).toMatch(/answered 503 \(a server error\) in \d+ ms \(request id req-9\)$/);
  });

  it("a missing variable is unavailable, naming the variable, the field and the file", async () => {
    const [check] = await checkEnvironment(openstackDefinition("http://127.0.0.1:1/identity"), {});
    expect(check).toEqual({
      platform: "openstack",
      available: false,
      message:
        "Environment 'target' (target.yaml): spec.admin.password references ${OS_PASSWORD}, but OS_PASSWORD is not set in the runner's environment",
      details: { variable: "OS_PASSWORD", field: "spec.admin.password" },
    });
  });

  it("a platform Paddock cannot check is unavailable, saying so", async () => {
    const [check] = await checkEnvironment(environment("kubernetes", {}), {});
    expect(check).toMatchObject({
      available: false,
      message: "Paddock cannot check platform 'kubernetes' (it checks generic, http, openstack)",
    });
  });
});
