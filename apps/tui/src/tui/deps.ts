/**
 * What the TUI talks to, passed in from `runTui` (real clients) or from tests (in-memory twins).
 */
import type { Clients } from "../api/clients.js";
import type { ReportsApi } from "../api/reports-client.js";
import type { LiveBus } from "../live/live-bus.js";

/** The service clients plus the results service's report endpoints (iterations, compare, export). */
export type TuiClients = Clients & { readonly reports: ReportsApi };

export interface TuiDeps {
  readonly clients: TuiClients;
  readonly bus: LiveBus;
  /** Milliseconds to wait for the results service's final report of a task that has ended. */
  readonly resultsWaitMs: number;
  /** Milliseconds between health probes of NATS and the services. Default 3000. */
  readonly healthIntervalMs?: number;
  /** Milliseconds between refreshes of the task list while it is shown. Default 5000. */
  readonly refreshMs?: number;
  /** Milliseconds between two renders of live progress (≤ 10 renders/s by default: 100). */
  readonly frameMs?: number;
  /** Milliseconds after the last keystroke before the start form asks the runner to validate. Default 300. */
  readonly validateMs?: number;
  /** Directory export paths are relative to. Default: the working directory. */
  readonly cwd?: string;
  /** The editor `E` opens a scenario copy in (`$VISUAL`/`$EDITOR`, e.g. `vim` or `code --wait`). Default `vi`. */
  readonly editor?: string;
}
