import { describe, expect, it } from "vitest";
import { footerEntries, MODAL_MODES, MODE_BINDINGS, type Mode } from "./keymap.js";

const line = (mode: Mode, width?: number) =>
  footerEntries(mode, width)
    .map((entry) => `${entry.keys} ${entry.label}`)
    .join("  ");

describe("the footer", () => {
  it("fits 80 columns in every mode, keeping each mode's own actions and ? for the rest", () => {
    for (const mode of Object.keys(MODE_BINDINGS) as Mode[]) {
      const fitted = line(mode, 80);
      expect([...fitted].length, `${mode}: ${fitted}`).toBeLessThanOrEqual(80);
      if (!MODAL_MODES.has(mode)) expect(fitted, mode).toMatch(/\? (help|more)/);
      for (const binding of MODE_BINDINGS[mode]) {
        if (binding.label && (binding.rank ?? 1) <= 1) {
          expect(fitted, `${mode} lacks ${binding.label}`).toContain(`${binding.keys} ${binding.label}`);
        }
      }
    }
  });

  it("leaves out paging, refreshing and the palette first at 80×24 on the Tasks screen; shows all when there is room", () => {
    expect(line("tasks.list", 80)).toBe(
      "Enter open  Space mark  c compare  x export  d delete  / filter  q quit  ? more",
    );
    expect(line("tasks.list", 200)).toBe(
      "↑/↓ move  PgUp/PgDn page  Enter open  Space mark  c compare  x export  d delete  / filter  r refresh  ? help  : command  q quit",
    );
    expect(line("tasks.list")).toBe(line("tasks.list", 200));
  });
});
