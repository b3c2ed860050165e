/**
 * What the TUI alone reads from the environment: the editor `E` opens (`$VISUAL`, else
 * `$EDITOR`, else `vi`), as Unix tools do.
 */
import { loadConfig, parsers, variable } from "@paddock/shared/config";

export const TUI_VARIABLES = {
  visual: variable("VISUAL", parsers.string, "Full-screen editor for `E` (preferred over EDITOR)", ""),
  editor: variable("EDITOR", parsers.string, "Editor for `E` when VISUAL is not set", "vi"),
};

/** The editor command, e.g. `vim` or `code --wait`. */
export function loadEditorCommand(env: Readonly<Record<string, string | undefined>>): string {
  const config = loadConfig(TUI_VARIABLES, env);
  return config.visual || config.editor;
}
