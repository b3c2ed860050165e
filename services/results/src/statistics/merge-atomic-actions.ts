/**
 * Rally's `merge_atomic_actions`: the atomic actions of one iteration, with repeats of the same
 * name merged (durations summed, repeats counted) and children merged the same way, down to
 * three levels. Maps keep Rally's first-seen order (object keys would reorder numeric names).
 */
import type { AtomicAction } from "@paddock/shared/task-model";

/** One atomic action name within one iteration. Durations in seconds. */
export interface MergedAtomic {
  /** Sum of the durations of every action with this name at this level. */
  duration: number;
  /** How many actions with this name ran at this level in the iteration. */
  count: number;
  /** True when any of them failed. */
  failed: boolean;
  children: Map<string, MergedAtomic>;
}

/** Rally processes nested actions this many levels below the top one. */
const DEPTH_OF_PROCESSING = 2;

export function mergeAtomicActions(
  actions: readonly AtomicAction[],
  into: Map<string, MergedAtomic> = new Map(),
  depth = 0,
): Map<string, MergedAtomic> {
  for (const action of actions) {
    let merged = into.get(action.name);
    if (merged === undefined) {
      merged = { duration: 0, count: 0, failed: false, children: new Map() };
      into.set(action.name, merged);
    }
    // An action that never finished (interrupted) counts as taking no time, as one without a start does in Rally.
    merged.duration += action.finished_at === null ? 0 : action.finished_at - action.started_at;
    merged.count += 1;
    if (action.failed) merged.failed = true;
    if (action.children.length > 0 && depth < DEPTH_OF_PROCESSING) {
      mergeAtomicActions(action.children, merged.children, depth + 1);
    }
  }
  return into;
}
