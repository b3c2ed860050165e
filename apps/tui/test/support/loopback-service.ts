/**
 * A stand-in for one Paddock service on a loopback port: real HTTP, answers decided by the test.
 * Lets the CLI's integration tests run without the other teams' services (the lead's end-to-end
 * tests run the real ones).
 */
import { createServer, type IncomingMessage } from "node:http";

export interface LoopbackRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: unknown;
  readonly headers: IncomingMessage["headers"];
}

export interface LoopbackAnswer {
  readonly status: number;
  readonly body?: unknown;
}

export interface LoopbackService {
  readonly url: string;
  readonly requests: LoopbackRequest[];
  close(): Promise<void>;
}

export async function startLoopbackService(
  answer: (request: LoopbackRequest) => LoopbackAnswer | Promise<LoopbackAnswer>,
): Promise<LoopbackService> {
  const requests: LoopbackRequest[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const request: LoopbackRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      body: text ? JSON.parse(text) : undefined,
      headers: req.headers,
    };
    requests.push(request);
    const { status, body } = await answer(request);
    res.writeHead(status, { "content-type": "application/json" });
    res.end(body === undefined ? "" : JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The service's error body, as @paddock/http answers it. */
export function errorAnswer(
  status: number,
  code: string,
  message: string,
  problems?: { path?: string; line?: number; message: string }[],
): LoopbackAnswer {
  return { status, body: { error: problems ? { code, message, problems } : { code, message } } };
}
