import { ScenarioNotFound } from "@paddock/shared/errors";
import Type from "typebox";
import { describe, expect, it } from "vitest";
import { createLogger } from "../src/logger.js";
import { createService } from "../src/service.js";

async function build(apiToken?: string, ready = true) {
  const app = await createService({
    name: "test",
    version: "0.0.0",
    description: "test service",
    logger: createLogger("test", "silent"),
    apiToken,
    readiness: () => ({ nats: ready }),
  });
  app.get("/missing/:id", async (request) => {
    throw new ScenarioNotFound((request.params as { id: string }).id);
  });
  app.get("/boom", async () => {
    throw new Error("secret internals at /etc/passwd");
  });
  app.post(
    "/things",
    { schema: { body: Type.Object({ count: Type.Integer({ minimum: 1 }) }) } },
    async (request) => request.body,
  );
  return app;
}

describe("createService", () => {
  it("maps a PaddockError to its status and code", async () => {
    const app = await build();
    const response = await app.inject({ method: "GET", url: "/missing/nope.yaml" });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      error: { code: "SCENARIO_NOT_FOUND", message: "There is no scenario 'nope.yaml' in the catalog" },
    });
  });

  it("never leaks the internals of a 5xx", async () => {
    const app = await build();
    const response = await app.inject({ method: "GET", url: "/boom" });
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain("passwd");
    expect(response.json().error.code).toBe("INTERNAL");
  });

  it("names the field a request body got wrong", async () => {
    const app = await build();
    const response = await app.inject({ method: "POST", url: "/things", payload: { count: 0 } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.problems[0].path).toBe("body/count");
  });

  it("answers readiness from the dependency checks", async () => {
    const down = await build(undefined, false);
    const response = await down.inject({ method: "GET", url: "/readyz" });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ status: "unavailable", service: "test", checks: { nats: false } });
  });

  it("requires the bearer token on every route but health when one is set", async () => {
    const app = await build("s3cret");
    expect((await app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    expect((await app.inject({ method: "GET", url: "/missing/x" })).statusCode).toBe(401);
    const authorised = await app.inject({
      method: "GET",
      url: "/missing/x",
      headers: { authorization: "Bearer s3cret" },
    });
    expect(authorised.statusCode).toBe(404);
  });

  it("serves an OpenAPI document", async () => {
    const app = await build();
    const response = await app.inject({ method: "GET", url: "/openapi.json" });
    expect(response.json().openapi).toBe("3.1.0");
    expect(Object.keys(response.json().paths)).toContain("/things");
  });
});
