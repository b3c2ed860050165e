import { describe, expect, it } from "vitest";
import { loadResultsConfig } from "./config.js";

describe("results configuration", () => {
  it("has defaults for everything", () => {
    const config = loadResultsConfig({}, "/srv/paddock");
    expect(config).toEqual({
      host: "127.0.0.1",
      port: 7403,
      nats: {
        url: "nats://127.0.0.1:4222",
        user: undefined,
        password: undefined,
        token: undefined,
        credsFile: undefined,
      },
      dataDir: "/srv/paddock/.paddock",
      sqlitePath: "/srv/paddock/.paddock/results.sqlite",
      apiToken: undefined,
      logLevel: "info",
      heartbeatTimeoutSeconds: 15,
    });
  });

  it("reads every variable", () => {
    const config = loadResultsConfig(
      {
        PADDOCK_RESULTS_HOST: "0.0.0.0",
        PADDOCK_RESULTS_PORT: "9000",
        NATS_URL: "nats://bus:4222",
        NATS_USER: "paddock",
        NATS_PASSWORD: "secret",
        PADDOCK_DATA_DIR: "/data",
        PADDOCK_API_TOKEN: "t0ken",
        PADDOCK_LOG_LEVEL: "debug",
        PADDOCK_HEARTBEAT_TIMEOUT: "2.5",
        MONGO_URL: "",
      },
      "/ignored",
    );
    expect(config).toMatchObject({
      host: "0.0.0.0",
      port: 9000,
      nats: { url: "nats://bus:4222", user: "paddock", password: "secret" },
      sqlitePath: "/data/results.sqlite",
      apiToken: "t0ken",
      logLevel: "debug",
      heartbeatTimeoutSeconds: 2.5,
    });
  });

  it("lists every bad variable at once", () => {
    expect(() =>
      loadResultsConfig({
        PADDOCK_RESULTS_PORT: "70000",
        PADDOCK_HEARTBEAT_TIMEOUT: "0",
        PADDOCK_LOG_LEVEL: "loud",
      }),
    ).toThrow(
      /PADDOCK_RESULTS_PORT.*\n.*PADDOCK_LOG_LEVEL.*\n.*PADDOCK_HEARTBEAT_TIMEOUT: '0' is not a number of seconds/,
    );
  });

  it("selects MongoDB when MONGO_URL is set, SQLite otherwise", () => {
    expect(loadResultsConfig({ MONGO_URL: "mongodb://db:27017/paddock" }, "/srv").mongoUrl).toBe(
      "mongodb://db:27017/paddock",
    );
    expect(loadResultsConfig({}, "/srv").mongoUrl).toBeUndefined();
  });
});
