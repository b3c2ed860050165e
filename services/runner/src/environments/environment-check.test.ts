// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is how environments reference secrets.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { EnvironmentDefinition } from "@paddock/shared/api";
import { freePort } from "@paddock/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { checkEnvironment, tokensUrl } from "./environment-check.js";

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

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    request.on("data", (chunk) => {
      text += String(chunk);
    });
    request.on("end", () => resolve(text));
  });
}

function environment(platform: string, spec: Record<string, unknown>): EnvironmentDefinition {
  return { name: "target", description: "", platform, spec, secrets: [], file: "target.yaml" };
}

function openstack(authUrl: string): EnvironmentDefinition {
  return environment("openstack", {
    auth_url: authUrl,
    region_name: "RegionOne",
    interface: "public",
    admin: {
      username: "admin",
      password: "${OS_PASSWORD}",
      user_domain_name: "Default",
      project_name: "admin",
      project_domain_name: "Default",
    },
  });
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
    const [check] = await checkEnvironment(openstack("http://127.0.0.1:1/identity"), {});
    expect(check).toEqual({
      platform: "openstack",
      available: false,
      message:
        "Environment 'target' (target.yaml): spec.admin.password references ${OS_PASSWORD}, but OS_PASSWORD is not set in the runner's environment",
      details: { variable: "OS_PASSWORD", field: "spec.admin.password" },
    });
  });

  it("openstack: an unreachable auth_url is a precise message", async () => {
    const port = await freePort();
    const [check] = await checkEnvironment(openstack(`http://127.0.0.1:${port}/identity`), variables);
    expect(check?.available).toBe(false);
    expect(check?.message).toBe(
      `Keystone at http://127.0.0.1:${port}/identity is not reachable (POST http://127.0.0.1:${port}/identity/v3/auth/tokens): connect ECONNREFUSED 127.0.0.1:${port}`,
    );
  });

  it("openstack: 401 names the user and the request id, and never the password", async () => {
    const bodies: unknown[] = [];
    const url = await serve(async (request, response) => {
      bodies.push({ url: request.url, method: request.method, body: JSON.parse(await readBody(request)) });
      response.writeHead(401, {
        "content-type": "application/json",
        "x-openstack-request-id": "req-4e1f0c2a",
      });
      response.end(
        JSON.stringify({
          error: {
            code: 401,
            title: "Unauthorized",
            message: "The request you have made requires authentication.",
          },
        }),
      );
    });
    const [check] = await checkEnvironment(openstack(`${url}/identity/v3`), variables);
    expect(check).toMatchObject({
      platform: "openstack",
      available: false,
      message: `Keystone at ${url}/identity/v3 refused the admin credentials of 'admin' (401: The request you have made requires authentication.) (request id req-4e1f0c2a)`,
      details: { status: 401, requestId: "req-4e1f0c2a", user: "admin", project: "admin" },
    });
    expect(JSON.stringify(check)).not.toContain(PASSWORD);
    expect(bodies).toEqual([
      {
        url: "/identity/v3/auth/tokens",
        method: "POST",
        body: {
          auth: {
            identity: {
              methods: ["password"],
              password: { user: { name: "admin", password: PASSWORD, domain: { name: "Default" } } },
            },
            scope: { project: { name: "admin", domain: { name: "Default" } } },
          },
        },
      },
    ]);
  });

  it("openstack: a token lists the service catalog's endpoints of the chosen interface and region", async () => {
    const url = await serve((_request, response) => {
      response.writeHead(201, { "content-type": "application/json", "x-subject-token": "gAAAA-token" });
      response.end(
        JSON.stringify({
          token: {
            catalog: [
              {
                type: "identity",
                endpoints: [
                  { interface: "public", region: "RegionOne", url: "http://10.0.0.5/identity" },
                  { interface: "admin", region: "RegionOne", url: "http://10.0.0.5/identity-admin" },
                ],
              },
              {
                type: "image",
                endpoints: [
                  { interface: "public", region: "RegionOne", url: "http://10.0.0.5/image" },
                  { interface: "public", region: "RegionTwo", url: "http://10.0.0.9/image" },
                ],
              },
            ],
          },
        }),
      );
    });
    const [check] = await checkEnvironment(openstack(`${url}/identity`), variables);
    expect(check?.available).toBe(true);
    expect(check?.message).toMatch(
      new RegExp(
        `^authenticated 'admin' at ${url}/identity in \\d+ ms; 2 public endpoints in the service catalog$`,
      ),
    );
    expect(check?.details.services).toEqual([
      { type: "identity", interface: "public", url: "http://10.0.0.5/identity" },
      { type: "image", interface: "public", url: "http://10.0.0.5/image" },
    ]);
    expect(JSON.stringify(check)).not.toContain("gAAAA-token");
  });

  it("openstack: a token without a catalog is unavailable", async () => {
    const url = await serve((_request, response) => {
      response.writeHead(201, { "content-type": "application/json", "x-openstack-request-id": "req-77" });
      response.end(JSON.stringify({ token: { catalog: [] } }));
    });
    const [check] = await checkEnvironment(openstack(url), variables);
    expect(check?.available).toBe(false);
    expect(check?.message).toBe(
      `Keystone at ${url} authenticated 'admin' but sent no service catalog (request id req-77)`,
    );
  });

  it("a platform Paddock cannot check is unavailable, saying so", async () => {
    const [check] = await checkEnvironment(environment("kubernetes", {}), {});
    expect(check).toMatchObject({
      available: false,
      message: "Paddock cannot check platform 'kubernetes' (it checks generic, http, openstack)",
    });
  });

  it("tokensUrl accepts auth_url with or without /v3", () => {
    expect(tokensUrl("http://k/identity")).toBe("http://k/identity/v3/auth/tokens");
    expect(tokensUrl("http://k/identity/v3/")).toBe("http://k/identity/v3/auth/tokens");
  });
});
