import { freePort } from "@paddock/testkit";
import Type from "typebox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  errorAnswer,
  type LoopbackService,
  startLoopbackService,
} from "../../test/support/loopback-service.js";
import { ServiceError, ServiceUnreachable } from "../errors.js";
import { createHttpClient, networkReason } from "./http-client.js";

let service: LoopbackService;
beforeAll(async () => {
  service = await startLoopbackService(async (request) => {
    if (request.path === "/slow") await new Promise((resolve) => setTimeout(resolve, 1500));
    if (request.path === "/broken-contract") return { status: 200, body: { taskId: 42 } };
    if (request.path === "/proxy") return { status: 502, body: undefined };
    if (request.path === "/problems")
      return errorAnswer(422, "TASK_FILE_INVALID", "x.yaml: the task is invalid", [
        { path: "a", message: "b" },
      ]);
    return { status: 200, body: { taskId: "t", query: request.query.getAll("tag") } };
  });
});
afterAll(() => service.close());

const Answer = Type.Object({ taskId: Type.String() });

describe("createHttpClient", () => {
  it("returns a body that keeps the contract, and sends repeated query values", async () => {
    const client = createHttpClient({ service: "results service", baseUrl: service.url, timeoutMs: 2000 });
    expect(
      await client.request("GET", "/ok", Answer, { query: { tag: ["a", "b"], status: undefined } }),
    ).toEqual({
      taskId: "t",
      query: ["a", "b"],
    });
  });

  it("turns an error body into a ServiceError with its code and problems", async () => {
    const client = createHttpClient({ service: "runner", baseUrl: service.url, timeoutMs: 2000 });
    const error = await client.request("POST", "/problems", Answer).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({
      status: 422,
      code: "TASK_FILE_INVALID",
      message: "x.yaml: the task is invalid",
      problems: [{ path: "a", message: "b" }],
    });
  });

  it("names a body that breaks the contract, and an answer without an error body", async () => {
    const client = createHttpClient({ service: "runner", baseUrl: service.url, timeoutMs: 2000 });
    await expect(client.request("GET", "/broken-contract", Answer)).rejects.toThrow(
      "the runner answered GET /broken-contract with a body that breaks the contract: /taskId must be string",
    );
    await expect(client.request("GET", "/proxy", Answer)).rejects.toThrow(
      "the runner answered GET /proxy with HTTP 502 Bad Gateway",
    );
  });

  it("says why a service does not answer: refused, or too slow", async () => {
    const port = await freePort();
    const refused = createHttpClient({
      service: "catalog",
      baseUrl: `http://127.0.0.1:${port}`,
      timeoutMs: 2000,
    });
    const error = await refused.request("GET", "/scenarios", Answer).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(ServiceUnreachable);
    expect((error as Error).message).toBe(
      `cannot reach the catalog at http://127.0.0.1:${port} (connection refused) — is the stack running? (npm start)`,
    );
    const slow = createHttpClient({ service: "catalog", baseUrl: service.url, timeoutMs: 300 });
    await expect(slow.request("GET", "/slow", Answer)).rejects.toThrow(/\(no answer within 0\.3 s\)/);
    expect(await refused.probe("/readyz")).toBeUndefined();
    expect(await slow.probe("/ok")).toBe(200);
  });

  it("explains a failure that has no error code by its innermost message", () => {
    expect(networkReason(new TypeError("fetch failed", { cause: new TypeError("bad port") }), 1000)).toBe(
      "bad port",
    );
  });
});
