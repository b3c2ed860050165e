/**
 * Fetching a scenario's task file from the catalog (`GET /scenarios/<id>`): its text (`raw`) and,
 * for a file with `{% include %}`s, the text with the includes expanded (`expanded`), which is
 * what can be rendered away from the scenario's folder.
 */
import { DependencyUnavailable, describeError, ScenarioNotFound } from "@paddock/shared/errors";

export interface ScenarioText {
  /** The file's text as stored in the catalog. */
  readonly raw: string;
  /** The text to render: `expanded` when the catalog sent one, else `raw`. */
  readonly text: string;
}

/** Returns the task file of catalog scenario `id`. */
export type FetchScenario = (id: string) => Promise<ScenarioText>;

export interface CatalogClientOptions {
  /** Milliseconds before the catalog counts as down. Default 10000. */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

/**
 * `GET {catalogUrl}{path}` as JSON: the catalog being down, a 404 (`notFound()`), and any other
 * error status each become one precise error naming the catalog and `what` was asked for.
 */
export async function getFromCatalog(
  catalogUrl: string,
  path: string,
  what: string,
  notFound: () => Error,
  options: CatalogClientOptions = {},
): Promise<unknown> {
  const base = catalogUrl.replace(/\/+$/, "");
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(`${base}${path}`, {
      headers: { accept: "application/json" },
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
  } catch (error) {
    throw new DependencyUnavailable(
      `The catalog is not reachable at ${base} (${describeError(error)}). Start it or set PADDOCK_CATALOG_URL.`,
      { cause: error },
    );
  }
  if (response.status === 404) {
    await response.body?.cancel();
    throw notFound();
  }
  if (!response.ok) {
    const text = await response.text().catch(() => "");
    throw new DependencyUnavailable(
      `The catalog at ${base} answered ${response.status} for ${what}: ${text.slice(0, 200)}`,
    );
  }
  return response.json().catch(() => undefined);
}

export function createCatalogClient(catalogUrl: string, options: CatalogClientOptions = {}): FetchScenario {
  return async (id) => {
    const path = `/scenarios/${id.split("/").map(encodeURIComponent).join("/")}`;
    const body = (await getFromCatalog(
      catalogUrl,
      path,
      `scenario '${id}'`,
      () => new ScenarioNotFound(id),
      options,
    )) as { raw?: unknown; expanded?: unknown } | undefined;
    if (typeof body?.raw !== "string") {
      throw new DependencyUnavailable(
        `The catalog at ${catalogUrl} sent scenario '${id}' without its text ('raw')`,
      );
    }
    return { raw: body.raw, text: typeof body.expanded === "string" ? body.expanded : body.raw };
  };
}
