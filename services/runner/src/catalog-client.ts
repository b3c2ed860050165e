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

export function createCatalogClient(catalogUrl: string, options: CatalogClientOptions = {}): FetchScenario {
  const doFetch = options.fetch ?? fetch;
  const base = catalogUrl.replace(/\/+$/, "");
  return async (id) => {
    const url = `${base}/scenarios/${id.split("/").map(encodeURIComponent).join("/")}`;
    let response: Response;
    try {
      response = await doFetch(url, {
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
      throw new ScenarioNotFound(id);
    }
    if (!response.ok) {
      const text = await response.text().catch(() => "");
      throw new DependencyUnavailable(
        `The catalog at ${base} answered ${response.status} for scenario '${id}': ${text.slice(0, 200)}`,
      );
    }
    const body = (await response.json().catch(() => undefined)) as
      | { raw?: unknown; expanded?: unknown }
      | undefined;
    if (typeof body?.raw !== "string") {
      throw new DependencyUnavailable(
        `The catalog at ${base} sent scenario '${id}' without its text ('raw')`,
      );
    }
    return { raw: body.raw, text: typeof body.expanded === "string" ? body.expanded : body.raw };
  };
}
