/**
 * Runs an async load when its inputs change (and again on `reload`), keeping the last value
 * while a reload is in flight. Results of a superseded run are dropped.
 */
import { describeError } from "@paddock/shared/errors";
import { type DependencyList, useCallback, useEffect, useRef, useState } from "react";

export interface AsyncState<T> {
  readonly value: T | undefined;
  /** One line describing the last failure, if the last run failed. */
  readonly error: string | undefined;
  readonly loading: boolean;
  reload(): void;
}

export function useAsync<T>(
  load: (signal: AbortSignal) => Promise<T>,
  inputs: DependencyList,
  enabled = true,
): AsyncState<T> {
  const [value, setValue] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [loading, setLoading] = useState(enabled);
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `inputs` are the caller's dependencies.
  useEffect(() => {
    if (!enabled) {
      setLoading(false);
      return;
    }
    const controller = new AbortController();
    setLoading(true);
    loadRef.current(controller.signal).then(
      (result) => {
        if (controller.signal.aborted) return;
        setValue(result);
        setError(undefined);
        setLoading(false);
      },
      (failure: unknown) => {
        if (controller.signal.aborted) return;
        setError(describeError(failure));
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [...inputs, enabled, generation]);

  const reload = useCallback(() => setGeneration((current) => current + 1), []);
  return { value, error, loading, reload };
}
