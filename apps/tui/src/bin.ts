/**
 * The `paddock` executable (started by bin/paddock.mjs, or directly by `npm start`'s bootstrap).
 * Ctrl-C aborts the running command; the process exits with the command's code.
 */
import { main } from "./cli/router.js";

const interrupt = new AbortController();
process.once("SIGINT", () => interrupt.abort());

const code = await main(process.argv.slice(2), undefined, { signal: interrupt.signal });
process.exitCode = code;
// Anything still open (a socket closing slowly) must not keep a finished command alive.
setTimeout(() => process.exit(code), 200).unref();
