/**
 * `paddock tui` (and `paddock` alone in a terminal): the full-screen terminal UI.
 */
import { UsageError } from "../../errors.js";
import type { Command } from "../command.js";

export const tui: Command = {
  name: "tui",
  args: "",
  summary: "Open the full-screen terminal UI (also: 'paddock' alone in a terminal)",
  details: ["Keys: Tab or 1-3 switch screens, ? lists the keys of the current screen, q quits."],
  options: {},
  positionals: { min: 0, max: 0 },
  async run(context) {
    if (!context.io.stdinIsTty || !context.io.stdoutIsTty) {
      throw new UsageError("the TUI needs a terminal (stdin and stdout must be a TTY)", "tui");
    }
    const { runTui } = await import("../../tui/run-tui.js");
    return runTui({ config: context.config(), clients: context.clients(), bus: context.bus() });
  },
};
