import { describe, expect, it } from "vitest";
import { loadEditorCommand } from "./tui-config.js";

describe("loadEditorCommand", () => {
  it("prefers VISUAL, then EDITOR, then vi", () => {
    expect(loadEditorCommand({ VISUAL: "code --wait", EDITOR: "nano" })).toBe("code --wait");
    expect(loadEditorCommand({ EDITOR: "nano" })).toBe("nano");
    expect(loadEditorCommand({})).toBe("vi");
  });
});
