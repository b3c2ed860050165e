import { TaskFileUnloadable } from "@paddock/shared/errors";
import { describe, expect, it } from "vitest";
import { MAX_RANGE_ITEMS } from "./template-globals.js";
import { renderTemplate } from "./template-renderer.js";

const render = (text: string, args: Record<string, unknown> = {}) => renderTemplate(text, args, "t.yaml");

function failure(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error");
}

describe("renderTemplate", () => {
  it("returns text without template syntax unchanged", () => {
    expect(render("a: 1\n")).toBe("a: 1\n");
  });

  it("keeps the file's lines where they are (Jinja2's default whitespace)", () => {
    const output = render("{% set x = x or 1 %}\na: {{ x }}\n{% if true %}\nb: 2\n{% endif %}\nc: 3");
    expect(output.split("\n")).toEqual(["", "a: 1", "", "b: 2", "", "c: 3"]);
  });

  it("honours whitespace control markers", () => {
    expect(render("{%- set x = 1 -%}\n  a: {{ x }}")).toBe("a: 1");
  });

  it("cannot reach JavaScript from a template", () => {
    const error = failure(() => render('{{ range.constructor("return process")() }}'));
    expect(error).toBeInstanceOf(TaskFileUnloadable);
    expect(error.message).toMatch(/^t\.yaml: cannot render the task template: /);
    expect(render("{{ args.constructor }}{{ args.__proto__ }}", { args: {} })).toBe("");
  });

  it("gives Rally's globals Python's results", () => {
    expect(render("{{ round(2.5) }} {{ round(3.5) }} {{ round(-0.5) }} {{ round(2.6) }}")).toBe("2 4 0 3");
    expect(
      render("{{ ceil(1.1) }} {{ min(3, 1, 2) }} {{ max([4, 9, 2]) }} {{ range(1, 7, 2) | join(',') }}"),
    ).toBe("2 1 9 1,3,5");
  });

  it("bounds range() so a template cannot ask for unbounded work", () => {
    const error = failure(() => render(`{% for i in range(${MAX_RANGE_ITEMS + 1}) %}{% endfor %}`));
    expect(error.message).toContain(
      `range() of ${MAX_RANGE_ITEMS + 1} items is more than ${MAX_RANGE_ITEMS}`,
    );
  });

  it("reports a syntax error as unloadable", () => {
    const error = failure(() => render("a: {{ }}"));
    expect(error).toBeInstanceOf(TaskFileUnloadable);
    expect(error.message).toMatch(/^t\.yaml: the task template has a syntax error: /);
  });

  it("renders list and mapping arguments as YAML flow values", () => {
    expect(render("l: {{ l }}\nm: {{ m }}", { l: [1, "a"], m: { k: 2 } })).toBe('l: [1, "a"]\nm: {"k": 2}');
  });
});
