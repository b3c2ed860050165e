import { defineScenario, Type } from "../../plugin.js";
import { CheckedRequestSchema, checkRequest, RequestOptions } from "./check-request.js";

const RandomRequest = Type.Object(
  {
    url: CheckedRequestSchema.properties.url,
    method: CheckedRequestSchema.properties.method,
    status_code: Type.Optional(Type.Integer({ description: "Expected status code of this request." })),
    ...RequestOptions,
  },
  { additionalProperties: false },
);

/** `HttpRequests.check_random_request`: a random request of the list each iteration. */
export const httpRequestsCheckRandomRequest = defineScenario({
  name: "HttpRequests.check_random_request",
  description: "Executes random HTTP requests from provided list.",
  args: Type.Object(
    {
      requests: Type.Array(RandomRequest, { minItems: 1, description: "The requests to choose from." }),
      status_code: Type.Integer({
        default: 200,
        description: "Expected status code of a request that does not give its own.",
      }),
    },
    { additionalProperties: false },
  ),
  run(ctx, { requests, status_code }) {
    const request = requests[Math.floor(Math.random() * requests.length)] as (typeof requests)[number];
    return checkRequest(ctx, request, request.status_code ?? status_code);
  },
});
