// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is how environments reference secrets.
/**
 * `env check` of an openstack environment against loopback peers that answer as Keystone and
 * Glance do (statuses, bodies, request ids); the same check against the real local Keystone and
 * Glance is in `test/openstack-errors.test.ts`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { freePort } from "@paddock/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { openstackDefinition } from "../../test/support/openstack-definition.js";
import { checkEnvironment } from "../environments/environment-check.js";
import { currentVersionOf } from "./openstack-check.js";

const PASSWORD = "keystone-pa55-word";
const variables = { OS_PASSWORD: PASSWORD };
const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    request.on("data", (chunk) => {
      text += String(chunk);
    });
    request.on("end", () => resolve(text));
  });
}

async function serve(
  handler: (request: IncomingMessage, response: ServerResponse, base: string) => void | Promise<void>,
): Promise<string> {
  let base = "";
  const server = createServer((request, response) => void handler(request, response, base));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return base;
}

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify(body));
}

/** A Keystone + Glance on one loopback port; `glanceList` answers `GET /image/v2/images`. */
function cloud(
  glanceList: (response: ServerResponse) => void = (response) => json(response, 200, { images: [] }),
) {
  return serve(async (request, response, base) => {
    const url = request.url ?? "";
    if (request.method === "POST" && url === "/identity/v3/auth/tokens") {
      await readBody(request);
      json(
        response,
        201,
        {
          token: {
            expires_at: new Date(Date.now() + 3_600_000).toISOString(),
            user: { id: "u1" },
            project: { id: "p1" },
            catalog: [
              {
                type: "identity",
                endpoints: [
                  { interface: "public", region_id: "RegionOne", url: `${base}/identity/v3` },
                  { interface: "admin", region_id: "RegionOne", url: `${base}/identity-admin` },
                ],
              },
              {
                type: "image",
                endpoints: [
                  { interface: "public", region_id: "RegionOne", url: `${base}/image` },
                  { interface: "public", region_id: "RegionTwo", url: "http://10.0.0.9/image" },
                ],
              },
            ],
          },
        },
        { "x-subject-token": "gAAAA-token" },
      );
    } else if (url === "/identity/v3" || url === "/identity-admin/v3") {
      json(response, 200, { version: { id: "v3.14", status: "stable" } });
    } else if (url === "/image/") {
      json(response, 300, {
        versions: [
          { id: "v2.16", status: "CURRENT" },
          { id: "v2.15", status: "SUPPORTED" },
        ],
      });
    } else if (url === "/image/v2/images?limit=1") glanceList(response);
    else json(response, 404, { error: { message: "not here" } });
  });
}

describe("env check of an openstack environment", () => {
  it("reports each service of the catalog (interface and region chosen) with its version", async () => {
    const url = await cloud();
    const [check] = await checkEnvironment(openstackDefinition(`${url}/identity`), variables);
    expect(check?.available).toBe(true);
    expect(check?.message).toMatch(
      new RegExp(
        `^authenticated 'admin' at ${url}/identity in \\d+ ms; identity v3.14 at ${url}/identity/v3; image v2.16 at ${url}/image$`,
      ),
    );
    expect(check?.details.services).toEqual([
      {
        type: "identity",
        interface: "public",
        region: "RegionOne",
        url: `${url}/identity/v3`,
        version: "v3.14",
        available: true,
      },
      {
        type: "image",
        interface: "public",
        region: "RegionOne",
        url: `${url}/image`,
        version: "v2.16",
        available: true,
      },
    ]);
    expect(JSON.stringify(check)).not.toContain("gAAAA-token");
    expect(JSON.stringify(check)).not.toContain(PASSWORD);
  });

  it("an unreachable auth_url is a precise message", async () => {
    const port = await freePort();
    const [check] = await checkEnvironment(
      openstackDefinition(`http://127.0.0.1:${port}/identity`),
      variables,
    );
    expect(check?.available).toBe(false);
    expect(check?.message).toBe(
      `Keystone at http://127.0.0.1:${port}/identity is not reachable (POST http://127.0.0.1:${port}/identity/v3/auth/tokens): connect ECONNREFUSED 127.0.0.1:${port}`,
    );
  });

  it("401 names the user and the request id, and never the password", async () => {
    const bodies: unknown[] = [];
    const url = await serve(async (request, response) => {
      bodies.push({ url: request.url, method: request.method, body: JSON.parse(await readBody(request)) });
      json(
        response,
        401,
        {
          error: {
            code: 401,
            title: "Unauthorized",
            message: "The request you have made requires authentication.",
          },
        },
        { "x-openstack-request-id": "req-4e1f0c2a" },
      );
    });
    const [check] = await checkEnvironment(openstackDefinition(`${url}/identity/v3`), variables);
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

  for (const [status, reason, message] of [
    [409, "Conflict", "Conflict occurred attempting to store token."],
    [413, "Request Entity Too Large", "Request is too large."],
    [503, "Service Unavailable", "The Keystone service is temporarily unavailable."],
  ] as const) {
    it(`a ${status} from Keystone names the call, the status, Keystone's message and the request id`, async () => {
      const url = await serve(async (request, response) => {
        await readBody(request);
        json(
          response,
          status,
          { error: { code: status, message } },
          { "x-openstack-request-id": `req-${status}` },
        );
      });
      const [check] = await checkEnvironment(openstackDefinition(url), variables);
      expect(check).toMatchObject({
        available: false,
        message: `Keystone answered POST /v3/auth/tokens with ${status} ${reason}: ${message} (request id req-${status})`,
        details: { status, requestId: `req-${status}` },
      });
    });
  }

  it("a 503 from Glance makes the environment unavailable, with Glance's words", async () => {
    const url = await cloud((response) => {
      response.writeHead(503, { "content-type": "text/html; charset=UTF-8" });
      response.end(
        "<html>\n <head>\n  <title>503 Service Unavailable</title>\n </head>\n <body>\n  <h1>503 Service Unavailable</h1>\n  The server is currently unavailable. Please try again at a later time.<br /><br />\n\n\n\n </body>\n</html>",
      );
    });
    const [check] = await checkEnvironment(openstackDefinition(`${url}/identity`), variables);
    expect(check?.available).toBe(false);
    expect(check?.message).toMatch(
      /; image: Glance answered GET \/v2\/images with 503 Service Unavailable: The server is currently unavailable\. Please try again at a later time\.$/,
    );
  });

  it("a region the catalog does not have is unavailable, listing what the catalog has", async () => {
    const url = await cloud();
    const [check] = await checkEnvironment(
      openstackDefinition(`${url}/identity`, { region_name: "RegionThree" }),
      variables,
    );
    expect(check?.available).toBe(false);
    expect(check?.message).toBe(
      `Keystone at ${url}/identity authenticated 'admin' but its service catalog has no public endpoint in region 'RegionThree' (it lists: identity admin RegionOne, identity public RegionOne, image public RegionOne, image public RegionTwo)`,
    );
  });

  it("a catalog without Glance is available, saying Glance scenarios cannot run", async () => {
    const url = await cloud();
    const [check] = await checkEnvironment(
      openstackDefinition(`${url}/identity`, { interface: "admin" }),
      variables,
    );
    expect(check?.available).toBe(true);
    expect(check?.message).toMatch(
      /; no 'image' service in the catalog \(Glance scenarios cannot run here\)$/,
    );
  });

  it("a token without a catalog is unavailable", async () => {
    const url = await serve(async (request, response) => {
      await readBody(request);
      json(response, 201, { token: { catalog: [] } }, { "x-subject-token": "t" });
    });
    const [check] = await checkEnvironment(openstackDefinition(url), variables);
    expect(check?.available).toBe(false);
    expect(check?.message).toBe(`Keystone at ${url} authenticated 'admin' but sent no service catalog`);
  });

  it("a spec the client cannot use names the file and the field", async () => {
    const [check] = await checkEnvironment(
      openstackDefinition("http://127.0.0.1:1", { https_insecure: "sometimes" }),
      variables,
    );
    expect(check?.message).toBe(
      "target.yaml: environment 'target': spec.https_insecure must be true or false, not 'sometimes'",
    );
  });
});

describe("currentVersionOf", () => {
  it("reads Keystone's version, Glance's CURRENT one, and Keystone's root list", () => {
    expect(currentVersionOf('{"version":{"id":"v3.14"}}')).toBe("v3.14");
    expect(
      currentVersionOf('{"versions":[{"id":"v2.1","status":"SUPPORTED"},{"id":"v2.16","status":"CURRENT"}]}'),
    ).toBe("v2.16");
    expect(currentVersionOf('{"versions":{"values":[{"id":"v3.14","status":"stable"}]}}')).toBe("v3.14");
    expect(currentVersionOf("<html>")).toBeUndefined();
  });
});
