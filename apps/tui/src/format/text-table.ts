/**
 * Plain-text tables for the CLI: bordered like Rally's (prettytable) or borderless columns.
 */

export interface TextTable {
  /** Centered in its own row above the header, like Rally's "Response Times (sec)". */
  readonly title?: string;
  readonly headers: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Per column; default left. */
  readonly align?: readonly ("left" | "right")[];
}

function widthsOf(table: TextTable): number[] {
  return table.headers.map((header, column) =>
    Math.max(header.length, ...table.rows.map((row) => (row[column] ?? "").length)),
  );
}

function pad(text: string, width: number, align: "left" | "right" = "left"): string {
  return align === "right" ? text.padStart(width) : text.padEnd(width);
}

/** A bordered table: `+---+` lines, `| a | b |` rows. */
export function renderBorderedTable(table: TextTable): string[] {
  const widths = widthsOf(table);
  const rule = `+${widths.map((width) => "-".repeat(width + 2)).join("+")}+`;
  const line = (cells: readonly string[], header = false) =>
    `| ${widths.map((width, column) => pad(cells[column] ?? "", width, header ? "left" : table.align?.[column])).join(" | ")} |`;
  const lines: string[] = [];
  if (table.title !== undefined) {
    const inner = rule.length - 2;
    const left = Math.floor((inner - table.title.length) / 2);
    lines.push(`+${"-".repeat(inner)}+`);
    lines.push(
      `|${" ".repeat(Math.max(0, left))}${table.title}${" ".repeat(Math.max(0, inner - left - table.title.length))}|`,
    );
  }
  lines.push(rule, line(table.headers, true), rule);
  for (const row of table.rows) lines.push(line(row));
  lines.push(rule);
  return lines;
}

/** Columns separated by two spaces, no borders; the last column is not padded. */
export function renderColumns(table: TextTable): string[] {
  const widths = widthsOf(table);
  const line = (cells: readonly string[]) =>
    widths
      .map((width, column) =>
        column === widths.length - 1 && table.align?.[column] !== "right"
          ? (cells[column] ?? "")
          : pad(cells[column] ?? "", width, table.align?.[column]),
      )
      .join("  ")
      .trimEnd();
  return [line(table.headers), ...table.rows.map(line)];
}
