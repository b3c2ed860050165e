/**
 * The HTTP target every client in the `http` benchmark hits: a tiny keep-alive Node server on a
 * free loopback port, run as its own process. It prints its port on stdout and answers every
 * request `200 ok`.
 */
import { createServer } from "node:http";

const body = Buffer.from("ok");
const server = createServer((_request, response) => {
  response.writeHead(200, { "content-type": "text/plain", "content-length": body.length });
  response.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  console.log(String(server.address().port));
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
