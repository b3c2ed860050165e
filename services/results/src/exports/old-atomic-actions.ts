/**
 * Rally's old results keep an iteration's atomic actions as a flat `{name: seconds}` map of the
 * top-level actions, a repeated name written `name (2)`, `name (3)`... These convert both ways.
 */
import type { AtomicAction } from "@paddock/shared/task-model";

/** Top-level actions → `{name: seconds}`, as Rally's old format writes them. */
export function toOldAtomicActions(actions: readonly AtomicAction[]): Record<string, number> {
  const old: Record<string, number> = {};
  for (const action of actions) {
    const duration = action.finished_at === null ? 0 : action.finished_at - action.started_at;
    let name = action.name;
    for (let repeat = 2; name in old; repeat += 1) name = `${action.name} (${repeat})`;
    old[name] = duration;
  }
  return old;
}

const REPEAT = /^(.*) \((\d+)\)$/;

/**
 * `{name: seconds}` → actions; `name (2)` becomes a second `name`. Rally's old format keeps no
 * start times, so each action is written as starting at 0 and finishing at its duration: the
 * duration (`finished_at − started_at`) then stays exactly the number in the file, which adding
 * it to an epoch timestamp would round away.
 */
export function fromOldAtomicActions(old: Readonly<Record<string, unknown>>): AtomicAction[] {
  const seen = new Set<string>();
  const actions: AtomicAction[] = [];
  for (const [key, value] of Object.entries(old)) {
    const repeat = REPEAT.exec(key);
    const name = repeat && seen.has(repeat[1] as string) ? (repeat[1] as string) : key;
    seen.add(name);
    actions.push({ name, started_at: 0, finished_at: typeof value === "number" ? value : 0, children: [] });
  }
  return actions;
}
