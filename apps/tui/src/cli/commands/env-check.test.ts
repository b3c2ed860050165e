import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { EnvironmentCheck } from "@paddock/shared/api";
import { afterEach, describe, expect, it } from "vitest";
import { devstackCheck } from "../../../test/fixtures/index.js";
import { twinBus, twinClients } from "../../../test/support/twins.js";
import { loadCliConfig } from "../../config.js";
import { memoryIo } from "../io.js";
import { main } from "../router.js";

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A runner double on loopback: answers `POST /environments/<name>/check` from `checks`. */
async function runner(checks: Record<string, EnvironmentCheck>, seen: string[] = []): Promise<string> {
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    seen.push(`${request.method} ${request.url}`);
    const match = /^\/environments\/([^/]+)\/check$/.exec(request.url ?? "");
    const check = match?.[1] === undefined ? undefined : checks[decodeURIComponent(match[1])];
    response.writeHead(check === undefined ? 404 : 200, { "content-type": "application/json" });
    response.end(
      JSON.stringify(
        check ?? {
          error: {
            code: "ENVIRONMENT_NOT_FOUND",
            message: `There is no environment '${decodeURIComponent(match?.[1] ?? "")}'`,
          },
        },
      ),
    );
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function run(argv: string[], runnerUrl: string) {
  const io = memoryIo();
  const code = await main(argv, io, {
    clients: twinClients(),
    bus: twinBus(),
    config: loadCliConfig({ PADDOCK_RUNNER_URL: runnerUrl }),
  });
  return { code, out: io.stdout.join("\n"), err: io.stderr.join("\n") };
}

const DEVSTACK_UP = devstackCheck(
  "authenticated 'admin' at http://10.0.0.5/identity in 41 ms; 1 public endpoints in the service catalog",
);

const API_DOWN: EnvironmentCheck = {
  environment: "example-api",
  available: false,
  platforms: [
    {
      platform: "http",
      available: false,
      message: "GET http://127.0.0.1:9/ got no answer: connect ECONNREFUSED 127.0.0.1:9",
      details: { url: "http://127.0.0.1:9/" },
    },
  ],
};

describe("paddock env check", () => {
  it("prints Platform | Available | Message and the service catalog, exit 0 when all are available", async () => {
    const seen: string[] = [];
    const { code, out } = await run(
      ["env", "check", "devstack"],
      await runner({ devstack: DEVSTACK_UP }, seen),
    );
    expect(code).toBe(0);
    expect(seen).toEqual(["POST /environments/devstack/check"]);
    const lines = out.split("\n");
    expect(lines).toContain(
      "| openstack | True      | authenticated 'admin' at http://10.0.0.5/identity in 41 ms; 1 public endpoints in the service catalog |",
    );
    expect(lines.some((text) => /^\| Platform +\| Available \| Message +\|$/.test(text))).toBe(true);
    expect(out).toContain("openstack service catalog:");
    expect(
      lines.some((text) => /^\| Service type \| Interface \| Version \| Available \| URL +\|$/.test(text)),
    ).toBe(true);
    expect(out).toContain("| identity     | public    | v3.14   | True      | http://10.0.0.5/identity |");
    expect(out).toContain("| image        | public    | -       | False     | http://10.0.0.5/image    |");
  });

  it("exits 1 when a platform is unavailable, with its reason", async () => {
    const { code, out } = await run(
      ["env", "check", "example-api"],
      await runner({ "example-api": API_DOWN }),
    );
    expect(code).toBe(1);
    expect(out).toContain(
      "| http     | False     | GET http://127.0.0.1:9/ got no answer: connect ECONNREFUSED 127.0.0.1:9 |",
    );
  });

  it("prints the runner's answer as JSON with --json", async () => {
    const { code, out } = await run(
      ["env", "check", "devstack", "--json"],
      await runner({ devstack: DEVSTACK_UP }),
    );
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual(DEVSTACK_UP);
  });

  it("names an unknown environment and exits 1", async () => {
    const { code, err } = await run(["env", "check", "mars"], await runner({}));
    expect(code).toBe(1);
    expect(err).toContain("There is no environment 'mars'");
  });

  it("says when the runner is not reachable", async () => {
    const { code, err } = await run(["env", "check", "devstack"], "http://127.0.0.1:1");
    expect(code).toBe(1);
    expect(err).toContain("cannot reach the runner at http://127.0.0.1:1");
  });
});
