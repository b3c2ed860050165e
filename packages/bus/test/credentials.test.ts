/**
 * Every way of passing NATS credentials, each against a real nats-server configured to require
 * it: token, user and password (separately and in the URL), and a `.creds` file under an operator
 * (decentralized JWT auth, the JWTs signed here with nkeys as `nsc` would).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type NatsConnection, nkeys } from "@nats-io/transport-node";
import { ConfigInvalid, DependencyUnavailable } from "@paddock/shared/errors";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { busConnectionOptions, connectBus, ensureStreams, redactNatsUrl } from "../src/index.js";
import { findNatsServer } from "../src/server.js";

const dirs: string[] = [];
const servers: ChildProcess[] = [];
const connections: NatsConnection[] = [];

afterEach(async () => {
  for (const nc of connections.splice(0)) if (!nc.isClosed()) await nc.close();
});

afterAll(async () => {
  for (const child of servers) {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
  }
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** Starts nats-server with JetStream and `auth` (config-file text); resolves with its port. */
async function startServer(auth: string): Promise<number> {
  const bin = findNatsServer();
  if (bin === undefined) throw new Error("nats-server is required for these tests");
  const dir = mkdtempSync(join(tmpdir(), "paddock-nats-auth-"));
  dirs.push(dir);
  const port = await freePort();
  const config = join(dir, "server.conf");
  writeFileSync(
    config,
    `listen: "127.0.0.1:${port}"\njetstream: { store_dir: "${join(dir, "js")}" }\n${auth}\n`,
  );
  const child = spawn(bin, ["-c", config], { stdio: ["ignore", "ignore", "pipe"] });
  servers.push(child);
  let log = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nats-server did not start:\n${log}`)), 15_000);
    child.stderr?.on("data", (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes("Server is ready")) {
        clearTimeout(timer);
        child.stderr?.removeAllListeners("data");
        child.stderr?.resume();
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`nats-server exited (${code}):\n${log}`));
    });
  });
  return port;
}

async function connected(options: Parameters<typeof connectBus>[0]): Promise<NatsConnection> {
  const nc = await connectBus({ reconnect: false, timeout: 5000, ...options });
  connections.push(nc);
  // JetStream answers too: the credentials are good for what the services do.
  await ensureStreams(nc);
  return nc;
}

describe("token", () => {
  let port: number;
  it("connects with NATS_TOKEN and with a token in the URL", async () => {
    port = await startServer('authorization: { token: "t0ken-Δ" }');
    await connected({ url: `nats://127.0.0.1:${port}`, name: "token-test", token: "t0ken-Δ" });
    await connected({ url: `nats://${encodeURIComponent("t0ken-Δ")}@127.0.0.1:${port}`, name: "token-url" });
  });

  it("is refused without it or with a wrong one, and the error does not show the token", async () => {
    await expect(
      connectBus({ url: `nats://127.0.0.1:${port}`, name: "no-token", reconnect: false }),
    ).rejects.toBeInstanceOf(DependencyUnavailable);
    const wrong = connectBus({ url: `nats://wrong-token@127.0.0.1:${port}`, name: "bad", reconnect: false });
    await expect(wrong).rejects.toThrow(/Authorization Violation|authorization/i);
    await expect(wrong).rejects.not.toThrow(/wrong-token/);
  });
});

describe("user and password", () => {
  let port: number;
  it("connects with NATS_USER/NATS_PASSWORD and with user:password@ in the URL", async () => {
    port = await startServer('authorization: { users: [ { user: "paddock", password: "p@ss:word" } ] }');
    await connected({
      url: `nats://127.0.0.1:${port}`,
      name: "user-test",
      user: "paddock",
      password: "p@ss:word",
    });
    await connected({
      url: `nats://paddock:${encodeURIComponent("p@ss:word")}@127.0.0.1:${port}`,
      name: "user-url",
    });
  });

  it("is refused with a wrong password, naming the server without the password", async () => {
    const attempt = connectBus({
      url: `nats://paddock:nope-secret@127.0.0.1:${port}`,
      name: "bad",
      reconnect: false,
    });
    await expect(attempt).rejects.toThrow(new RegExp(`nats://paddock:\\*\\*\\*@127.0.0.1:${port}`));
    await expect(attempt).rejects.not.toThrow(/nope-secret/);
  });
});

/** A JWT as nats-server reads it: ed25519-nkey signed by `issuer`. */
function jwt(
  issuer: ReturnType<typeof nkeys.createOperator>,
  subject: string,
  name: string,
  nats: object,
): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const claims: Record<string, unknown> = {
    iat: Math.floor(Date.now() / 1000),
    iss: issuer.getPublicKey(),
    name,
    sub: subject,
    nats: { ...nats, version: 2 },
  };
  claims.jti = createHash("sha256").update(JSON.stringify(claims)).digest("base64url");
  const unsigned = `${encode({ typ: "JWT", alg: "ed25519-nkey" })}.${encode(claims)}`;
  const signature = Buffer.from(issuer.sign(Buffer.from(unsigned))).toString("base64url");
  return `${unsigned}.${signature}`;
}

describe("creds file (operator, account and user JWTs)", () => {
  it("connects with NATS_CREDS, and a missing or foreign creds file is refused by name", async () => {
    const operator = nkeys.createOperator();
    const account = nkeys.createAccount();
    const system = nkeys.createAccount();
    const user = nkeys.createUser();
    const operatorJwt = jwt(operator, operator.getPublicKey(), "paddock-op", { type: "operator" });
    const unlimited = {
      subs: -1,
      data: -1,
      payload: -1,
      imports: -1,
      exports: -1,
      wildcards: true,
      conn: -1,
      leaf: -1,
    };
    const accountJwt = jwt(operator, account.getPublicKey(), "PADDOCK", {
      type: "account",
      limits: { ...unlimited, mem_storage: -1, disk_storage: -1, streams: -1, consumer: -1 },
      default_permissions: { pub: {}, sub: {} },
    });
    const systemJwt = jwt(operator, system.getPublicKey(), "SYS", {
      type: "account",
      limits: unlimited,
      default_permissions: { pub: {}, sub: {} },
    });
    const userJwt = jwt(account, user.getPublicKey(), "runner", {
      type: "user",
      pub: {},
      sub: {},
      subs: -1,
      data: -1,
      payload: -1,
    });
    const port = await startServer(
      [
        `operator: ${operatorJwt}`,
        `system_account: ${system.getPublicKey()}`,
        "resolver: MEMORY",
        `resolver_preload: { ${account.getPublicKey()}: ${accountJwt}, ${system.getPublicKey()}: ${systemJwt} }`,
      ].join("\n"),
    );
    const dir = mkdtempSync(join(tmpdir(), "paddock-creds-"));
    dirs.push(dir);
    const creds = join(dir, "runner.creds");
    writeFileSync(
      creds,
      `-----BEGIN NATS USER JWT-----\n${userJwt}\n------END NATS USER JWT------\n\n` +
        `-----BEGIN USER NKEY SEED-----\n${new TextDecoder().decode(user.getSeed())}\n------END USER NKEY SEED------\n`,
    );
    await connected({ url: `nats://127.0.0.1:${port}`, name: "creds-test", credsFile: creds });

    await expect(
      connectBus({ url: `nats://127.0.0.1:${port}`, name: "no-creds", reconnect: false }),
    ).rejects.toBeInstanceOf(DependencyUnavailable);
    expect(() =>
      busConnectionOptions({ url: "nats://127.0.0.1:1", name: "x", credsFile: join(dir, "missing.creds") }),
    ).toThrow(/NATS creds file .*missing\.creds cannot be read/);

    // A user signed by another account's key is not accepted.
    const stranger = nkeys.createAccount();
    const foreign = join(dir, "foreign.creds");
    writeFileSync(
      foreign,
      `-----BEGIN NATS USER JWT-----\n${jwt(stranger, user.getPublicKey(), "x", { type: "user", pub: {}, sub: {} })}\n------END NATS USER JWT------\n\n` +
        `-----BEGIN USER NKEY SEED-----\n${new TextDecoder().decode(user.getSeed())}\n------END USER NKEY SEED------\n`,
    );
    await expect(
      connectBus({ url: `nats://127.0.0.1:${port}`, name: "foreign", credsFile: foreign, reconnect: false }),
    ).rejects.toBeInstanceOf(DependencyUnavailable);
  });
});

describe("connection options", () => {
  it("refuses two ways of authenticating at once, naming both", () => {
    expect(() => busConnectionOptions({ url: "nats://u:p@127.0.0.1:4222", name: "x", token: "t" })).toThrow(
      ConfigInvalid,
    );
    expect(() =>
      busConnectionOptions({ url: "nats://127.0.0.1:4222", name: "x", token: "t", credsFile: "/c" }),
    ).toThrow(/not a token \(NATS_TOKEN or the URL\) and a creds file \(NATS_CREDS\)/);
    expect(() => busConnectionOptions({ url: "nats://127.0.0.1:4222", name: "x", user: "u" })).toThrow(
      /NATS_USER and NATS_PASSWORD go together/,
    );
  });

  it("takes credentials out of the server URLs and lets NATS_USER/NATS_PASSWORD override them", () => {
    const fromUrl = busConnectionOptions({ url: "nats://a:b@h1:4222, nats://a:b@h2:4223", name: "x" });
    expect(fromUrl).toMatchObject({ servers: ["nats://h1:4222", "nats://h2:4223"], user: "a", pass: "b" });
    const overridden = busConnectionOptions({
      url: "nats://a:b@h1:4222",
      name: "x",
      user: "c",
      password: "d",
    });
    expect(overridden).toMatchObject({ user: "c", pass: "d" });
    expect(() => busConnectionOptions({ url: "nats://a:b@h1,nats://a:c@h2", name: "x" })).toThrow(
      /carry different credentials/,
    );
  });

  it("redacts passwords and tokens from URLs", () => {
    expect(redactNatsUrl("nats://paddock:s3cret@nats:4222,nats://tok@other:4222,nats://plain:4222")).toBe(
      "nats://paddock:***@nats:4222,nats://***@other:4222,nats://plain:4222",
    );
  });
});
