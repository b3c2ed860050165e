/**
 * Follows one task on NATS (lifecycle and progress; a late join replays the stream first) and
 * exposes its state at a capped frame rate: events update a buffer, a timer renders it at most
 * once per `frameMs`. When following fails (NATS down) it retries every few seconds.
 */
import type { Following } from "@paddock/bus";
import { describeError } from "@paddock/shared/errors";
import { useEffect, useState } from "react";
import type { LiveBus } from "../../live/live-bus.js";
import { applyEvent, initialLiveTask, type LiveTask } from "../../live/live-task-state.js";

export interface LiveTaskView {
  readonly task: LiveTask | undefined;
  /** Why live events are not coming, while that is so. */
  readonly error: string | undefined;
}

export function useLiveTask(
  bus: LiveBus,
  taskId: string | undefined,
  frameMs = 100,
  retryMs = 3000,
): LiveTaskView {
  const [view, setView] = useState<LiveTaskView>({ task: undefined, error: undefined });
  useEffect(() => {
    if (taskId === undefined) {
      setView({ task: undefined, error: undefined });
      return;
    }
    let state = initialLiveTask(taskId);
    let error: string | undefined;
    let dirty = true;
    let stopped = false;
    let following: Following | undefined;
    let retry: NodeJS.Timeout | undefined;
    setView({ task: state, error: undefined });

    const frame = setInterval(() => {
      if (!dirty) return;
      dirty = false;
      setView({ task: state, error });
    }, frameMs);

    const follow = () => {
      // A (re)follow replays the task from the start: begin from a clean state.
      const fresh = initialLiveTask(taskId);
      let started = false;
      bus
        .follow(taskId, (event) => {
          if (!started) {
            started = true;
            state = fresh;
          }
          state = applyEvent(state, event);
          dirty = true;
        })
        .then(
          (handle) => {
            if (stopped) void handle.stop();
            else {
              following = handle;
              error = undefined;
              dirty = true;
            }
          },
          (failure: unknown) => {
            if (stopped) return;
            error = describeError(failure);
            dirty = true;
            retry = setTimeout(follow, retryMs);
          },
        );
    };
    follow();

    return () => {
      stopped = true;
      clearInterval(frame);
      clearTimeout(retry);
      void following?.stop();
    };
  }, [bus, taskId, frameMs, retryMs]);
  return view;
}
