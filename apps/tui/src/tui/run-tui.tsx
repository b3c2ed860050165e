/**
 * Starts the full-screen TUI on the terminal: alternate screen (the shell's content comes back
 * on exit), live data drawn at most 10 times a second, keys answered within a 60 fps frame, keys
 * handed over one by one (`PacedStdin`), interactive even when CI=true is set.
 */
import { render } from "ink";
import { type Clients, SERVICE_LABELS } from "../api/clients.js";
import { createReportsClient } from "../api/reports-client.js";
import type { CliConfig } from "../config.js";
import type { LiveBus } from "../live/live-bus.js";
import { App } from "./App.js";
import { PacedStdin } from "./paced-stdin.js";
import { loadEditorCommand } from "./tui-config.js";

export interface RunTuiOptions {
  readonly config: CliConfig;
  readonly clients: Clients;
  readonly bus: LiveBus;
}

/** Resolves with the exit code once the user has quit (q or Ctrl-C). */
export async function runTui({ config, clients, bus }: RunTuiOptions): Promise<number> {
  const editor = loadEditorCommand(process.env);
  const reports = createReportsClient({
    service: SERVICE_LABELS.results,
    baseUrl: config.resultsUrl,
    ...(config.apiToken ? { token: config.apiToken } : {}),
    timeoutMs: config.httpTimeoutMs,
  });
  const instance = render(
    <App
      deps={{
        clients: { ...clients, reports },
        bus,
        resultsWaitMs: config.resultsWaitSeconds * 1000,
        editor,
      }}
    />,
    {
      // One key at a time: a burst in one read (a fast typist, tmux send-keys) is applied in full.
      stdin: new PacedStdin(process.stdin) as unknown as NodeJS.ReadStream,
      interactive: true,
      alternateScreen: true,
      // Live data renders at most 10 times a second (`frameMs`); a key's answer must not wait
      // behind them for a 100 ms slot, so the terminal may take up to 60 frames a second.
      maxFps: 60,
      exitOnCtrlC: true,
      patchConsole: true,
    },
  );
  await instance.waitUntilExit();
  return 0;
}
