import { describe, expect, it } from "vitest";
import { bearerFetch } from "../src/bearer-fetch.js";
import { createLogger } from "../src/logger.js";
import { createMetricsRegistry } from "../src/metrics.js";
import { createService } from "../src/service.js";

describe("bearerFetch", () => {
  it("reaches a service that requires the token, keeping the caller's headers", async () => {
    const app = await createService({
      name: "peer",
      version: "0.0.0",
      description: "peer",
      logger: createLogger("peer", "silent"),
      apiToken: "peer-token",
      readiness: () => ({}),
      metrics: createMetricsRegistry(),
    });
    app.get("/echo", async (request) => ({ accept: request.headers.accept }));
    await app.listen({ host: "127.0.0.1", port: 0 });
    try {
      const address = app.server.address();
      const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/echo`;
      expect((await fetch(url)).status).toBe(401);
      const response = await bearerFetch("peer-token")(url, { headers: { accept: "application/json" } });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ accept: "application/json" });
      expect((await bearerFetch("wrong")(url)).status).toBe(401);
      expect(bearerFetch(undefined)).toBe(fetch);
    } finally {
      await app.close();
    }
  });
});
