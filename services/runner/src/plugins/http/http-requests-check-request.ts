import { defineScenario } from "../../plugin.js";
import { CheckedRequestSchema, checkRequest } from "./check-request.js";

/** `HttpRequests.check_request`: one request, failing unless it answers `status_code`. */
export const httpRequestsCheckRequest = defineScenario({
  name: "HttpRequests.check_request",
  description: "Standard way for testing web services using HTTP requests.",
  args: CheckedRequestSchema,
  run: (ctx, request) => checkRequest(ctx, request, request.status_code),
});
