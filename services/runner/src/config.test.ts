import { ConfigInvalid } from "@paddock/shared/errors";
import { describe, expect, it } from "vitest";
import { defaultRunnerId, loadRunnerConfig } from "./config.js";

describe("runner config", () => {
  it("has the documented defaults", () => {
    const config = loadRunnerConfig({});
    expect(config).toMatchObject({
      host: "127.0.0.1",
      port: 7402,
      natsUrl: "nats://127.0.0.1:4222",
      catalogUrl: "http://127.0.0.1:7401",
      pluginPaths: [],
      maxTasks: 1,
      heartbeatTtl: 10,
      envCheckTimeoutMs: 10_000,
      logLevel: "info",
    });
    expect(config.natsUser).toBeUndefined();
    expect(config.apiToken).toBeUndefined();
    expect(config.runnerId).toMatch(/^runner-[A-Za-z0-9_-]+-\d+$/);
  });

  it("reads every variable", () => {
    const config = loadRunnerConfig({
      PADDOCK_RUNNER_HOST: "0.0.0.0",
      PADDOCK_RUNNER_PORT: "9000",
      NATS_URL: "nats://nats:4222",
      NATS_USER: "u",
      NATS_PASSWORD: "p",
      NATS_TOKEN: "t",
      NATS_CREDS: "/etc/nats.creds",
      PADDOCK_CATALOG_URL: "http://catalog:7401/",
      PADDOCK_RUNNER_ID: "runner_a-1",
      PADDOCK_PLUGIN_PATHS: "/plugins/a,/plugins/b:/plugins/c",
      PADDOCK_RUNNER_MAX_TASKS: "4",
      PADDOCK_HEARTBEAT_TTL: "30",
      PADDOCK_ENV_CHECK_TIMEOUT_MS: "2500",
      PADDOCK_API_TOKEN: "secret",
      PADDOCK_LOG_LEVEL: "debug",
    });
    expect(config).toEqual({
      host: "0.0.0.0",
      port: 9000,
      natsUrl: "nats://nats:4222",
      natsUser: "u",
      natsPassword: "p",
      natsToken: "t",
      natsCreds: "/etc/nats.creds",
      catalogUrl: "http://catalog:7401",
      runnerId: "runner_a-1",
      pluginPaths: ["/plugins/a", "/plugins/b", "/plugins/c"],
      maxTasks: 4,
      heartbeatTtl: 30,
      envCheckTimeoutMs: 2500,
      apiToken: "secret",
      logLevel: "debug",
    });
  });

  it("lists every bad variable at once", () => {
    let error: unknown;
    try {
      loadRunnerConfig({
        PADDOCK_RUNNER_ID: "runner.one",
        PADDOCK_RUNNER_PORT: "99999",
        PADDOCK_LOG_LEVEL: "loud",
        PADDOCK_RUNNER_MAX_TASKS: "0",
        PADDOCK_HEARTBEAT_TTL: "3",
      });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigInvalid);
    expect((error as ConfigInvalid).problems.map((problem) => problem.path)).toEqual([
      "PADDOCK_RUNNER_PORT",
      "PADDOCK_RUNNER_ID",
      "PADDOCK_RUNNER_MAX_TASKS",
      "PADDOCK_HEARTBEAT_TTL",
      "PADDOCK_LOG_LEVEL",
    ]);
    expect((error as ConfigInvalid).message).toContain(
      "PADDOCK_HEARTBEAT_TTL: '3' is under 5 s (heartbeats go out every 2 s; allow for a late one)",
    );
    expect((error as ConfigInvalid).message).toContain(
      "PADDOCK_RUNNER_MAX_TASKS: '0' is not a whole number ≥ 1",
    );
    expect((error as ConfigInvalid).message).toContain(
      "PADDOCK_RUNNER_ID: 'runner.one' may only contain letters, digits, '_' and '-'",
    );
  });

  it("makes a subject-safe default id from any host name", () => {
    expect(defaultRunnerId("web-1.example.com", 42)).toBe("runner-web-1-example-com-42");
  });
});
