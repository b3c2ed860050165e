import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { EnvironmentSweep, TaskSummary } from "@paddock/shared/api";
import { afterEach, describe, expect, it } from "vitest";
import { RUNNING_TASK_ID, taskHistory } from "../../../test/fixtures/index.js";
import { twinBus, twinClients } from "../../../test/support/twins.js";
import { loadCliConfig } from "../../config.js";
import { memoryIo } from "../io.js";
import { main } from "../router.js";

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

interface Seen {
  readonly url: string;
  readonly body: unknown;
}

/** A runner double on loopback: answers `POST /environments/<name>/sweep` with `answer(body)`. */
async function runner(
  answer: (body: { dryRun?: boolean }) => { status: number; body: unknown },
  seen: Seen[] = [],
): Promise<string> {
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let text = "";
    request.on("data", (chunk) => {
      text += chunk;
    });
    request.on("end", () => {
      const body = text === "" ? {} : JSON.parse(text);
      seen.push({ url: `${request.method} ${request.url}`, body });
      const { status, body: reply } = answer(body);
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(reply));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function swept(dryRun: boolean, problems: string[] = []): EnvironmentSweep {
  return {
    environment: "devstack",
    dryRun,
    prefix: "paddock_",
    resources: [
      {
        service: "keystone",
        kind: "user",
        name: "paddock_1a2b3c4d_x7k2p9qz",
        id: "u-1",
        removed: !dryRun && problems.length === 0,
      },
      { service: "glance", kind: "image", name: "paddock_5e6f7a8b_img", id: "i-2", removed: !dryRun },
    ],
    problems,
  };
}

/** The task history with the running task moved to `environment`. */
function tasksRunningOn(environment: string): TaskSummary[] {
  return taskHistory().map((task) => (task.id === RUNNING_TASK_ID ? { ...task, environment } : task));
}

async function run(argv: string[], runnerUrl: string, tasks: TaskSummary[] = tasksRunningOn("local")) {
  const io = memoryIo();
  const code = await main(argv, io, {
    clients: twinClients({ tasks }),
    bus: twinBus(),
    config: loadCliConfig({ PADDOCK_RUNNER_URL: runnerUrl }),
  });
  return { code, out: io.stdout.join("\n"), err: io.stderr.join("\n") };
}

describe("paddock env sweep", () => {
  it("lists what would go on --dry-run, even while a task of the environment runs, and exits 0", async () => {
    const seen: Seen[] = [];
    const url = await runner((body) => ({ status: 200, body: swept(body.dryRun === true) }), seen);
    const { code, out } = await run(
      ["env", "sweep", "devstack", "--dry-run"],
      url,
      tasksRunningOn("devstack"),
    );
    expect(code).toBe(0);
    expect(seen).toEqual([{ url: "POST /environments/devstack/sweep", body: { dryRun: true } }]);
    const lines = out.split("\n");
    expect(lines[0]).toBe("Dry run: 2 resource(s) named paddock_… in devstack would be deleted.");
    expect(lines.some((text) => /^\| Service +\| Kind +\| Name +\| ID +\| State +\|$/.test(text))).toBe(true);
    expect(out).toContain("| keystone | user  | paddock_1a2b3c4d_x7k2p9qz | u-1 | found |");
    expect(out).toContain("| glance   | image | paddock_5e6f7a8b_img      | i-2 | found |");
  });

  it("refuses while the results service lists a task of the environment that is not over", async () => {
    const seen: Seen[] = [];
    const url = await runner(() => ({ status: 200, body: swept(false) }), seen);
    const { code, err } = await run(["env", "sweep", "devstack"], url, tasksRunningOn("devstack"));
    expect(code).toBe(1);
    expect(seen).toEqual([]);
    expect(err).toBe(
      `paddock: not sweeping devstack: ${RUNNING_TASK_ID} (running) is not over and may be using its resources. Wait for it, or pass --force.`,
    );
  });

  it("sweeps when only other environments have tasks running, or with --force, and prints what went", async () => {
    const seen: Seen[] = [];
    const url = await runner((body) => ({ status: 200, body: swept(body.dryRun === true) }), seen);
    const quiet = await run(["env", "sweep", "devstack"], url, tasksRunningOn("local"));
    expect(quiet.code).toBe(0);
    expect(quiet.out.split("\n")[0]).toBe("Swept devstack: 2 of 2 resource(s) named paddock_… deleted.");
    expect(quiet.out).toContain("| keystone | user  | paddock_1a2b3c4d_x7k2p9qz | u-1 | deleted |");
    const forced = await run(["env", "sweep", "devstack", "--force"], url, tasksRunningOn("devstack"));
    expect(forced.code).toBe(0);
    expect(seen.map((request) => request.body)).toEqual([{ dryRun: false }, { dryRun: false }]);
  });

  it("exits 1 and prints each problem when something could not be deleted; --json prints the answer", async () => {
    const answer = swept(false, ["user paddock_1a2b3c4d_x7k2p9qz: Keystone answered 403 Forbidden"]);
    const url = await runner(() => ({ status: 200, body: answer }));
    const { code, out } = await run(["env", "sweep", "devstack"], url);
    expect(code).toBe(1);
    expect(out).toContain("Swept devstack: 1 of 2 resource(s) named paddock_… deleted.");
    expect(out).toContain("| NOT deleted |");
    expect(out.split("\n").at(-1)).toBe(
      "problem: user paddock_1a2b3c4d_x7k2p9qz: Keystone answered 403 Forbidden",
    );
    const json = await run(["env", "sweep", "devstack", "--json"], url);
    expect(JSON.parse(json.out)).toEqual(answer);
  });

  it("shows the runner's refusal (it runs a task itself) and exits 1", async () => {
    const url = await runner(() => ({
      status: 409,
      body: {
        error: {
          code: "CONFLICT",
          message:
            "Runner runner-a is running t-1: a sweep would delete resources in use. Sweep when it is idle (or list them with dryRun).",
        },
      },
    }));
    const { code, err } = await run(["env", "sweep", "devstack"], url);
    expect(code).toBe(1);
    expect(err).toContain("Runner runner-a is running t-1: a sweep would delete resources in use.");
  });
});
