/**
 * The catalog's HTTP API for the `paddock scenario ...` commands (render, save, delete), which
 * need routes the shared catalog client does not cover.
 */
import { serviceHttpClient } from "../../api/clients.js";
import type { HttpClient } from "../../api/http-client.js";
import type { CommandContext } from "../command.js";

/** An HTTP client for the catalog configured like the CLI's other clients. */
export function catalogHttpClient(context: CommandContext): HttpClient {
  return serviceHttpClient(context.config(), "catalog");
}

/** `/scenarios/<id>` with each path segment encoded. */
export function scenarioPath(id: string): string {
  return `/scenarios/${id.split("/").map(encodeURIComponent).join("/")}`;
}
