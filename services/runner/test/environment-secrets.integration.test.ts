// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is how environments reference secrets.
/**
 * A secret of an environment on a real nats-server, through the shared task queue: the runner
 * resolves `${API_TOKEN}` from its own variables and sends it to the target API, while no message
 * on any NATS subject (events, the queued submission, heartbeats, JetStream's own traffic) and no
 * log line ever holds the value.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import type { NatsConnection, Subscription } from "@nats-io/transport-node";
import { connectBus, createEventPublisher, ensureStreams } from "@paddock/bus";
import type { ServiceApp } from "@paddock/http";
import type { EnvironmentDefinition } from "@paddock/shared/api";
import { ScenarioNotFound } from "@paddock/shared/errors";
import { eventually, startTestNats, type TestNats } from "@paddock/testkit";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.js";
import { systemClock } from "../src/clock.js";
import { createEnvironmentClient } from "../src/environments/environment-client.js";
import { createNatsDispatcher } from "../src/nats-dispatcher.js";
import { createPluginRegistry } from "../src/plugins/index.js";

const SECRET = "tok-9c1d5e-never-published";

const TASK = `
version: 2
title: secret smoke
subtasks:
  - title: http
    scenario: {HttpRequests.check_request: {url: "status", method: GET, status_code: 200}}
    runner: {constant: {times: 4, concurrency: 2}}
`;

describe("an environment's secret on a real nats-server", () => {
  let nats: TestNats;
  let nc: NatsConnection;
  let spy: NatsConnection;
  let everything: Subscription;
  let app: ServiceApp;
  const servers: Server[] = [];
  const messages: string[] = [];
  const lines: string[] = [];
  const authorizations: (string | undefined)[] = [];

  async function serve(
    handler: (request: IncomingMessage, response: ServerResponse) => void,
  ): Promise<string> {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  beforeAll(async () => {
    nats = await startTestNats();
    spy = await connectBus({ url: nats.url, name: "secret-spy" });
    everything = spy.subscribe(">");
    void (async () => {
      for await (const message of everything) messages.push(`${message.subject} ${message.string()}`);
    })();
    await spy.flush();
    nc = await connectBus({ url: nats.url, name: "runner-secrets" });
    await ensureStreams(nc);
    const api = await serve((request, response) => {
      authorizations.push(request.headers.authorization);
      response.writeHead(request.url === "/api/status" ? 200 : 404);
      response.end("ok");
    });
    const environment: EnvironmentDefinition = {
      name: "example-api",
      description: "",
      platform: "http",
      spec: { base_url: `${api}/api/`, headers: { Authorization: "Bearer ${API_TOKEN}" } },
      secrets: ["API_TOKEN"],
      file: "example-api.yaml",
    };
    const catalog = await serve((request, response) => {
      const found = request.url === "/environments/example-api";
      response.writeHead(found ? 200 : 404, { "content-type": "application/json" });
      response.end(
        JSON.stringify(found ? environment : { error: { code: "ENVIRONMENT_NOT_FOUND", message: "no" } }),
      );
    });
    const stream = new Writable({
      write(chunk, _encoding, callback) {
        lines.push(String(chunk));
        callback();
      },
    });
    app = await buildApp({
      publisher: createEventPublisher(nc),
      fetchScenario: async (id) => {
        throw new ScenarioNotFound(id);
      },
      fetchEnvironment: createEnvironmentClient(catalog),
      variables: { API_TOKEN: SECRET },
      plugins: createPluginRegistry(),
      runnerId: "runner-secrets",
      clock: systemClock,
      logger: pino({ level: "trace" }, stream),
      heartbeatIntervalMs: 200,
      shutdownGraceMs: 500,
      dispatch: createNatsDispatcher(nc, { maxTasks: 1, pullExpiresMs: 1000 }),
    });
    await app.ready();
  });

  afterAll(async () => {
    await app?.close();
    await nc?.drain();
    everything?.unsubscribe();
    await spy?.drain();
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    await nats?.dispose();
  });

  it("uses the secret for the requests and never puts it on the bus or in a log line", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/tasks",
      payload: { task: TASK, environment: "example-api" },
    });
    expect(response.statusCode).toBe(202);
    const { taskId } = response.json() as { taskId: string };
    await eventually(
      () => messages.some((message) => message.includes(taskId) && message.includes('"TaskFinished"')),
      30_000,
      "TaskFinished on the bus",
    );
    expect(authorizations).toEqual(Array(4).fill(`Bearer ${SECRET}`));
    const queued = messages.filter((message) => message.includes('"TaskQueued"'));
    expect(queued.some((message) => message.includes('"environment":"example-api"'))).toBe(true);
    expect(messages.some((message) => message.startsWith("paddock.submit.task "))).toBe(true);
    expect(messages.some((message) => message.includes('"passSla":true'))).toBe(true);
    expect(messages.length).toBeGreaterThan(10);
    for (const message of messages) expect(message).not.toContain(SECRET);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).not.toContain(SECRET);
  });
});
