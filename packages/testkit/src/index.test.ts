import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { connect } from "@nats-io/transport-node";
import { describe, expect, it } from "vitest";
import { eventually, freePort, startTestNats, tempDir } from "./index.js";

describe("testkit", () => {
  it("starts a JetStream-enabled nats-server on a free port and removes its store on dispose", async () => {
    const nats = await startTestNats();
    const nc = await connect({ servers: nats.url });
    const info = nc.info;
    expect(info?.jetstream).toBe(true);
    await nc.close();
    await nats.dispose();
    await expect(connect({ servers: nats.url, reconnect: false, timeout: 500 })).rejects.toThrow();
  });

  it("gives a port nothing listens on, which can then be bound", async () => {
    const port = await freePort();
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
    server.close();
    expect(port).toBeGreaterThan(0);
  });

  it("eventually returns the first truthy value, and names what it waited for on timeout", async () => {
    let calls = 0;
    await expect(eventually(() => (++calls >= 3 ? calls : undefined), 2000)).resolves.toBe(3);
    await expect(eventually(() => false, 100, "the impossible")).rejects.toThrow(
      /100 ms waiting for the impossible/,
    );
  });

  it("removes a temporary folder", () => {
    const dir = tempDir();
    expect(existsSync(dir.path)).toBe(true);
    dir.remove();
    expect(existsSync(dir.path)).toBe(false);
  });
});
