/**
 * Starts a local nats-server with JetStream: used by `paddock up` (the local stack) and by tests
 * (a fresh server on a random port). Not for deployments, where NATS runs on its own.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { delimiter, join } from "node:path";

export interface NatsServerOptions {
  /** TCP port; 0 picks a free one. Default 0. */
  readonly port?: number;
  readonly host?: string;
  /** JetStream storage folder (created when missing). */
  readonly storeDir: string;
  /** The binary; default `NATS_SERVER_BIN`, else `nats-server` on PATH (or /usr/sbin). */
  readonly bin?: string;
  /** Milliseconds to wait for "Server is ready". Default 10000. */
  readonly startTimeout?: number;
}

export interface NatsServer {
  readonly url: string;
  readonly port: number;
  readonly process: ChildProcess;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s). */
  stop(): Promise<void>;
}

export class NatsServerUnavailable extends Error {
  override name = "NatsServerUnavailable";
}

/** Finds the nats-server binary, or undefined. */
export function findNatsServer(
  env: Readonly<Record<string, string | undefined>> = process.env,
): string | undefined {
  if (env.NATS_SERVER_BIN && existsSync(env.NATS_SERVER_BIN)) return env.NATS_SERVER_BIN;
  const dirs = [...(env.PATH ?? "").split(delimiter), "/usr/sbin", "/usr/local/sbin", "/usr/local/bin"];
  for (const dir of dirs) {
    if (dir && existsSync(join(dir, "nats-server"))) return join(dir, "nats-server");
  }
  return undefined;
}

export async function startNatsServer(options: NatsServerOptions): Promise<NatsServer> {
  const bin = options.bin ?? findNatsServer();
  if (bin === undefined) {
    throw new NatsServerUnavailable(
      "nats-server was not found (looked at NATS_SERVER_BIN, PATH, /usr/sbin). Install it (Debian: apt-get install nats-server) or set NATS_URL.",
    );
  }
  mkdirSync(options.storeDir, { recursive: true });
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 0;
  const args = ["-js", "-sd", options.storeDir, "-a", host, "-p", port === 0 ? "-1" : String(port)];
  const child = spawn(bin, args, { stdio: ["ignore", "ignore", "pipe"] });

  const ready = new Promise<number>((resolve, reject) => {
    let log = "";
    let listening: number | undefined;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new NatsServerUnavailable(`nats-server did not become ready in time:\n${log.slice(-2000)}`));
    }, options.startTimeout ?? 10_000);
    child.stderr?.on("data", (chunk: Buffer) => {
      log += chunk.toString();
      const match = /Listening for client connections on [^\s]+:(\d+)/.exec(log);
      if (match?.[1]) listening = Number(match[1]);
      if (listening !== undefined && log.includes("Server is ready")) {
        clearTimeout(timer);
        child.stderr?.removeAllListeners("data");
        child.stderr?.resume();
        resolve(listening);
      }
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(new NatsServerUnavailable(`nats-server could not start: ${error.message}`));
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      const reason = /\[FTL\][^\n]*/.exec(log)?.[0] ?? log.slice(-500);
      reject(new NatsServerUnavailable(`nats-server exited with code ${code}: ${reason.trim()}`));
    });
  });

  const actualPort = await ready;
  return {
    url: `nats://${host}:${actualPort}`,
    port: actualPort,
    process: child,
    stop: () => stopChild(child),
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
