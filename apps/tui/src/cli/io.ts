/**
 * Where the CLI writes and what it knows about its terminal; the process's streams in
 * production, strings in tests.
 */

export interface CliIo {
  /** Writes one line to stdout. */
  out(line: string): void;
  /** Writes one line to stderr. */
  err(line: string): void;
  /** Replaces the current stdout line (only meaningful when `stdoutIsTty`). */
  status(line: string): void;
  readonly stdoutIsTty: boolean;
  readonly stdinIsTty: boolean;
  /** Terminal width in columns (80 when unknown). */
  readonly columns: number;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export function processIo(): CliIo {
  let statusShown = false;
  const clearStatus = () => {
    if (statusShown) process.stdout.write("\r\x1b[2K");
    statusShown = false;
  };
  return {
    out(line) {
      clearStatus();
      process.stdout.write(`${line}\n`);
    },
    err(line) {
      clearStatus();
      process.stderr.write(`${line}\n`);
    },
    status(line) {
      const width = process.stdout.columns ?? 80;
      process.stdout.write(`\r\x1b[2K${line.length >= width ? `${line.slice(0, width - 2)}…` : line}`);
      statusShown = true;
    },
    stdoutIsTty: process.stdout.isTTY === true,
    stdinIsTty: process.stdin.isTTY === true,
    columns: process.stdout.columns ?? 80,
    env: process.env,
  };
}

/** An `CliIo` that records what is written, for tests. */
export function memoryIo(
  options: { env?: Record<string, string | undefined>; tty?: boolean; columns?: number } = {},
): CliIo & { readonly stdout: string[]; readonly stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (line) => stdout.push(line),
    err: (line) => stderr.push(line),
    status: (line) => stdout.push(line),
    stdoutIsTty: options.tty ?? false,
    stdinIsTty: options.tty ?? false,
    columns: options.columns ?? 80,
    env: options.env ?? {},
  };
}
