/**
 * The store contract against a real MongoDB: the server at `MONGO_URL` when it is set (it must be
 * a replica set, a single-node one is enough), else a `mongo:7` container started as a single-node
 * replica set when testcontainers finds a container runtime within a few seconds. Otherwise this
 * file prints one line, `SKIPPED mongodb contract: <reason>`, and skips; it never fakes MongoDB.
 * Every store opens its own database (`paddock_contract_<run>_<n>`), dropped at the end.
 */
import { randomBytes } from "node:crypto";
import { freePort } from "@paddock/testkit";
import { MongoClient } from "mongodb";
import type { StartedTestContainer } from "testcontainers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StoreUnavailable } from "../src/errors.js";
import { openMongoStore } from "../src/store/mongo-store.js";
import { describeStoreContract } from "./store-contract.js";

const RUNTIME_TIMEOUT_MS = 3000;
const START_TIMEOUT_MS = 180_000;
const IMAGE = "mongo:7";

/** Whether a container runtime answers within a few seconds (testcontainers' own discovery). */
async function containerRuntime(): Promise<{ ok: true } | { ok: false; why: string }> {
  const { getContainerRuntimeClient } = await import("testcontainers");
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ ok: false; why: string }>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, why: `no answer within ${RUNTIME_TIMEOUT_MS / 1000} s` }),
      RUNTIME_TIMEOUT_MS,
    );
  });
  const probe = getContainerRuntimeClient().then(
    () => ({ ok: true }) as const,
    (error: unknown) => ({ ok: false, why: error instanceof Error ? error.message : String(error) }) as const,
  );
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Starts MongoDB as a single-node replica set (transactions need one); returns its URL. */
async function startMongoContainer(): Promise<{ url: string; container: StartedTestContainer }> {
  const { GenericContainer, Wait } = await import("testcontainers");
  const container = await new GenericContainer(IMAGE)
    .withCommand(["--replSet", "rs0", "--bind_ip_all"])
    .withExposedPorts(27017)
    .withWaitStrategy(Wait.forLogMessage(/Waiting for connections/))
    .start();
  const initiated = await container.exec([
    "mongosh",
    "--quiet",
    "--eval",
    "rs.initiate({ _id: 'rs0', members: [{ _id: 0, host: 'localhost:27017' }] })",
  ]);
  if (initiated.exitCode !== 0) {
    await container.stop();
    throw new Error(`rs.initiate failed in the MongoDB container: ${initiated.output}`);
  }
  const url = `mongodb://${container.getHost()}:${container.getMappedPort(27017)}/?directConnection=true`;
  const client = new MongoClient(url);
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const hello = await client.db("admin").command({ hello: 1 });
      if (hello.isWritablePrimary === true) break;
      if (Date.now() > deadline) throw new Error("the MongoDB container did not become primary within 60 s");
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await client.close();
  }
  return { url, container };
}

type Target = { kind: "url"; url: string } | { kind: "container" } | { kind: "skip"; reason: string };

async function chooseTarget(): Promise<Target> {
  const url = process.env.MONGO_URL;
  if (url) return { kind: "url", url };
  const runtime = await containerRuntime();
  if (runtime.ok) return { kind: "container" };
  return { kind: "skip", reason: `MONGO_URL not set and no container runtime answered (${runtime.why})` };
}

describe("MongoDB store without a server", () => {
  it("fails to open with StoreUnavailable naming the cause", async () => {
    const port = await freePort();
    const opening = openMongoStore(`mongodb://127.0.0.1:${port}/paddock`, { serverSelectionTimeoutMs: 2000 });
    await expect(opening).rejects.toBeInstanceOf(StoreUnavailable);
    await expect(opening).rejects.toThrow(/Cannot open the MongoDB results store: .*ECONNREFUSED/);
  });
});

const target = await chooseTarget();

if (target.kind === "skip") {
  console.log(`SKIPPED mongodb contract: ${target.reason}`);
  describe.skip("ResultStore contract: MongoDB", () => {
    it(`skipped: ${target.reason}`, () => undefined);
  });
} else {
  const run = randomBytes(4).toString("hex");
  const databases: string[] = [];
  let url = target.kind === "url" ? target.url : "";
  let container: StartedTestContainer | undefined;

  beforeAll(async () => {
    if (target.kind === "container") {
      const started = await startMongoContainer();
      url = started.url;
      container = started.container;
    }
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    if (container) {
      await container.stop();
      return;
    }
    const client = new MongoClient(url);
    try {
      for (const name of databases) await client.db(name).dropDatabase();
    } finally {
      await client.close();
    }
  }, 60_000);

  describeStoreContract("MongoDB", async () => {
    const database = `paddock_contract_${run}_${databases.length + 1}`;
    databases.push(database);
    return openMongoStore(url, { database });
  });
}
