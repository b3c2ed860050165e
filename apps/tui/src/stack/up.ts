/**
 * `paddock up`: the whole stack on this machine. Starts nats-server (JetStream, data under
 * `.paddock/nats`) unless NATS_URL is given, then catalog, runner and results as separate
 * processes, waits until each answers `/readyz`, and opens the TUI. Without a TTY, or with
 * `--no-tui`, it stays in the foreground printing each service's URL. Ctrl-C (or quitting the
 * TUI) stops everything it started: runner first, NATS last.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { type NatsServer, startNatsServer } from "@paddock/bus/server";
import { describeError } from "@paddock/shared/errors";
import { type ServiceProcess, startService, waitReady } from "./service-process.js";
import { loadStackConfig } from "./stack-config.js";

const USAGE = `Usage: paddock up [--no-tui]

Starts nats-server, catalog, runner and results on this machine and opens the TUI.
  --no-tui   stay in the foreground and print the services' URLs (default without a TTY)
Ports: NATS 4222, catalog 7401, runner 7402, results 7403 (PADDOCK_NATS_PORT,
PADDOCK_CATALOG_PORT, PADDOCK_RUNNER_PORT, PADDOCK_RESULTS_PORT); NATS_URL uses a running server.`;

/** The repository root: the nearest folder above this file whose package.json is "paddock". */
export function findRepoRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    const manifest = join(dir, "package.json");
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "paddock"
    )
      return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the Paddock repository above ${from}`);
    dir = parent;
  }
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

export async function up(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { "no-tui": { type: "boolean" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    say(USAGE);
    return 0;
  }
  const config = loadStackConfig(process.env);
  const root = findRepoRoot();
  const dataDir = resolve(config.dataDir || join(root, ".paddock"));
  const logDir = join(dataDir, "logs");
  mkdirSync(logDir, { recursive: true });
  const withTui = !values["no-tui"] && process.stdout.isTTY === true && process.stdin.isTTY === true;

  let nats: NatsServer | undefined;
  const services: ServiceProcess[] = [];
  let stopping: Promise<void> | undefined;
  const stopAll = (): Promise<void> => {
    stopping ??= (async () => {
      // Runner first (it flushes its events), then the rest, NATS last.
      for (const service of [...services].reverse()) await service.stop();
      await nats?.stop();
    })();
    return stopping;
  };

  // A signal stops everything, in order, however many arrive: the handlers stay installed so a
  // second Ctrl-C (or npm forwarding the same SIGTERM again) cannot kill the launcher half-way
  // and orphan the services, which run in their own process groups.
  let received: string | undefined;
  const signalled = new Promise<string>((resolveSignal) => {
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
      process.on(signal, () => {
        if (received === undefined) {
          received = signal;
          resolveSignal(signal);
        } else {
          say("still stopping…");
        }
      });
    }
  });
  const interrupted = signalled.then((signal) => ({ signal }));

  // Last resort if the launcher ends without stopping them.
  process.once("exit", () => {
    for (const service of services) if (service.child.exitCode === null) service.child.kill("SIGKILL");
    if (nats && nats.process.exitCode === null) nats.process.kill("SIGKILL");
  });

  try {
    let natsUrl = config.natsUrl;
    if (!natsUrl) {
      try {
        nats = await startNatsServer({ port: config.natsPort, storeDir: join(dataDir, "nats") });
      } catch (error) {
        const message = describeError(error);
        if (/address already in use/i.test(message)) {
          throw new Error(
            `port ${config.natsPort} is already in use (another nats-server?). Set NATS_URL=nats://127.0.0.1:${config.natsPort} to use it, or PADDOCK_NATS_PORT to start ours on another port.`,
          );
        }
        throw error;
      }
      natsUrl = nats.url;
    }
    const urls = {
      catalog: `http://${config.catalogHost}:${config.catalogPort}`,
      runner: `http://${config.runnerHost}:${config.runnerPort}`,
      results: `http://${config.resultsHost}:${config.resultsPort}`,
    };
    const env = {
      ...process.env,
      NATS_URL: natsUrl,
      PADDOCK_DATA_DIR: dataDir,
      PADDOCK_SCENARIOS: process.env.PADDOCK_SCENARIOS ?? join(root, "scenarios"),
      PADDOCK_ENVIRONMENTS: process.env.PADDOCK_ENVIRONMENTS ?? join(root, "environments"),
      PADDOCK_CATALOG_URL: urls.catalog,
      PADDOCK_RUNNER_URL: urls.runner,
      PADDOCK_RESULTS_URL: urls.results,
    };
    for (const name of ["catalog", "results", "runner"] as const) {
      services.push(
        startService({
          name,
          script: join(root, "services", name, "dist", "main.js"),
          url: urls[name],
          env,
          logFile: join(logDir, `${name}.log`),
        }),
      );
    }
    const ready = await Promise.race([
      Promise.all(services.map((service) => waitReady(service, 30_000))).then(() => ({
        ready: true as const,
      })),
      interrupted,
    ]);
    if ("signal" in ready) {
      await stopAll();
      return 130;
    }

    say(`Paddock is up (state in ${dataDir}, logs in ${logDir})`);
    say(`  nats     ${natsUrl}${nats ? "" : " (given by NATS_URL)"}`);
    for (const service of services) say(`  ${service.spec.name.padEnd(8)} ${service.spec.url}`);

    const crashed = Promise.race(
      services.map((service) => service.exited.then((code) => ({ service, code }))),
    );

    if (withTui) {
      const tui = spawn(process.execPath, [join(root, "apps", "tui", "bin", "paddock.mjs"), "tui"], {
        stdio: "inherit",
        env,
      });
      const tuiExit = new Promise<number>((resolveExit) =>
        tui.once("exit", (code) => resolveExit(code ?? 0)),
      );
      const outcome = await Promise.race([
        tuiExit.then((code) => ({ tui: code })),
        crashed.then((crash) => ({ crash })),
        interrupted,
      ]);
      if ("signal" in outcome) {
        tui.kill("SIGTERM");
        await tuiExit;
        await stopAll();
        return 0;
      }
      if ("crash" in outcome) {
        tui.kill("SIGTERM");
        await tuiExit;
        await stopAll();
        process.stderr.write(
          `paddock: ${outcome.crash.service.spec.name} stopped unexpectedly (code ${outcome.crash.code}):\n${outcome.crash.service.tail()}\n`,
        );
        return 1;
      }
      await stopAll();
      return outcome.tui;
    }

    say("Press Ctrl-C to stop.");
    const outcome = await Promise.race([interrupted, crashed.then((crash) => ({ crash }))]);
    if ("crash" in outcome) {
      process.stderr.write(
        `paddock: ${outcome.crash.service.spec.name} stopped unexpectedly (code ${outcome.crash.code}):\n${outcome.crash.service.tail()}\n`,
      );
      await stopAll();
      return 1;
    }
    say("stopping…");
    await stopAll();
    say("stopped");
    return 0;
  } catch (error) {
    process.stderr.write(`paddock: ${describeError(error)}\n`);
    await stopAll();
    return 1;
  }
}
