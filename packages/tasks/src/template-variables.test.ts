import { describe, expect, it } from "vitest";
import { declaredArgs } from "./template-renderer.js";

describe("declaredArgs", () => {
  it("is empty for a file without template syntax", () => {
    expect(declaredArgs("version: 2\ntitle: plain\n")).toEqual([]);
  });

  it("reads literal defaults of every kind", () => {
    const text = [
      "{% set a = a or 5 %}",
      "{% set b = b or -1.5 %}",
      "{% set c = c or 'text' %}",
      "{% set d = d or [1, 'two'] %}",
      "{% set e = e or {'k': true} %}",
      "{% set f = f or none %}",
      "{{ g | default(False) }} {{ h | d(3) }} {{ i | default }}",
    ].join("\n");
    expect(declaredArgs(text)).toEqual([
      { name: "a", required: false, default: 5 },
      { name: "b", required: false, default: -1.5 },
      { name: "c", required: false, default: "text" },
      { name: "d", required: false, default: [1, "two"] },
      { name: "e", required: false, default: { k: true } },
      { name: "f", required: false, default: null },
      { name: "g", required: false, default: false },
      { name: "h", required: false, default: 3 },
      { name: "i", required: false, default: "" },
    ]);
  });

  it("declares without a default when the default is an expression", () => {
    expect(declaredArgs("{% set n = n or base * 2 %}{{ n }}")).toEqual([
      { name: "n", required: false },
      { name: "base", required: true },
    ]);
    expect(declaredArgs("{% set n = n | int %}{{ n }}")).toEqual([{ name: "n", required: false }]);
  });

  it("does not count names the template assigns, loops over or defines as macros", () => {
    const text = [
      "{% set fixed = 3 %}{{ fixed }}",
      "{% for item in items %}{{ item }} {{ loop.index }}{% endfor %}",
      "{% for k, v in pairs %}{{ k }}={{ v }}{% endfor %}",
      "{% macro show(x, y=limit) %}{{ x }}{{ y }}{{ caller }}{% endmacro %}{{ show(1) }}",
      "{% if flag %}{% set later = 1 %}{% else %}{% set later = 2 %}{% endif %}{{ later }}",
      "{{ min(1, 2) }} {{ max(1, 2) }} {{ round(1.5) }} {{ ceil(1.5) }} {{ range(3) }} {{ true }} {{ None }}",
    ].join("\n");
    expect(declaredArgs(text).map((arg) => arg.name)).toEqual(["items", "pairs", "limit", "flag"]);
    expect(declaredArgs(text).every((arg) => arg.required)).toBe(true);
  });

  it("finds variables inside filters, calls, members, ternaries and literals", () => {
    const text =
      "{{ a | join(sep) }} {{ f(b, key=c) }} {{ d.attr }} {{ e[idx] }} {{ x if y else z }} {{ [w] }}";
    expect(declaredArgs(text).map((arg) => arg.name)).toEqual([
      "a",
      "sep",
      "f",
      "b",
      "c",
      "d",
      "e",
      "idx",
      "y",
      "x",
      "z",
      "w",
    ]);
  });

  it("treats a variable tested with 'is defined' as optional, also inside the guarded branch", () => {
    const text =
      "{% if extra is defined %}extra: {{ extra }}{% endif %}{% if other is not defined %}none{% else %}{{ other }}{% endif %}";
    expect(declaredArgs(text)).toEqual([
      { name: "extra", required: false },
      { name: "other", required: false },
    ]);
  });

  it("keeps a variable required when it is also read outside a default", () => {
    expect(declaredArgs("{{ x }}{% set y = x or 1 %}")).toEqual([{ name: "x", required: true }]);
  });
});
