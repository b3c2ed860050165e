import type { Key } from "ink";
import { describe, expect, it } from "vitest";
import { editText, matchesQuery } from "./text-input.js";

const none: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

describe("editText", () => {
  it("appends printable input, deletes, clears, and ignores navigation keys", () => {
    expect(editText("du", "m", none)).toBe("dum");
    expect(editText("du", "mmy", none)).toBe("dummy");
    expect(editText("dum", "", { ...none, backspace: true })).toBe("du");
    expect(editText("dum", "", { ...none, delete: true })).toBe("du");
    expect(editText("dum", "u", { ...none, ctrl: true })).toBe("");
    expect(editText("dum", "", { ...none, return: true })).toBeUndefined();
    expect(editText("dum", "", { ...none, upArrow: true })).toBeUndefined();
    expect(editText("dum", "\u0007", none)).toBeUndefined();
  });
});

describe("matchesQuery", () => {
  it("needs every word somewhere in the fields, ignoring case", () => {
    expect(matchesQuery("", ["anything"])).toBe(true);
    expect(matchesQuery("dummy SMOKE", ["dummy/dummy.yaml", "smoke"])).toBe(true);
    expect(matchesQuery("dummy http", ["dummy/dummy.yaml", "smoke"])).toBe(false);
  });
});
