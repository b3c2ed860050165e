/**
 * `/` on a list: the text typed so far and whether it is still being typed. While typing, the
 * screen hands every key to `handle`; Enter keeps the filter, Esc clears it.
 */
import type { Key } from "ink";
import { useCallback, useState } from "react";
import { actionOf, MODE_BINDINGS } from "../keymap.js";
import { editText } from "../text-input.js";

export interface ListFilter {
  readonly query: string;
  /** True while the filter line has the keyboard. */
  readonly editing: boolean;
  begin(): void;
  clear(): void;
  handle(input: string, key: Key): void;
}

export function useListFilter(): ListFilter {
  const [query, setQuery] = useState("");
  const [editing, setEditing] = useState(false);
  const begin = useCallback(() => setEditing(true), []);
  const clear = useCallback(() => {
    setQuery("");
    setEditing(false);
  }, []);
  const handle = useCallback((input: string, key: Key) => {
    const action = actionOf(MODE_BINDINGS.filter, input, key);
    if (action === "submit") setEditing(false);
    else if (action === "cancel") {
      setQuery("");
      setEditing(false);
    } else setQuery((current) => editText(current, input, key) ?? current);
  }, []);
  return { query, editing, begin, clear, handle };
}
