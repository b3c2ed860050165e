/**
 * The full-screen app: header (screens, stack health), the active screen, footer (keys valid
 * here). A screen is state: `screen` picks which one is shown and has the keyboard; the others
 * stay mounted (a followed task keeps following) but hidden and deaf.
 */
import { Box, useApp, useInput, useWindowSize } from "ink";
import { useCallback, useEffect, useState } from "react";
import { Footer } from "./components/Footer.js";
import { Header } from "./components/Header.js";
import { HelpOverlay } from "./components/HelpOverlay.js";
import type { TuiDeps } from "./deps.js";
import { useHealth } from "./hooks/use-health.js";
import { actionOf, GLOBAL_BINDINGS, MODAL_MODES, type Mode, SCREENS, type ScreenId } from "./keymap.js";
import { LiveTaskScreen } from "./screens/LiveTaskScreen.js";
import { ScenariosScreen } from "./screens/ScenariosScreen.js";
import type { FooterMessage } from "./screens/screen-props.js";
import { TasksScreen } from "./screens/TasksScreen.js";

export interface AppProps {
  readonly deps: TuiDeps;
  /** Screen shown first. Default `scenarios`. */
  readonly initialScreen?: ScreenId;
  /** Follow this task from the start (opens on the live screen). */
  readonly initialTaskId?: string;
  /** Milliseconds a footer message stays. Default 6000. */
  readonly messageMs?: number;
}

const INITIAL_MODES: Record<ScreenId, Mode> = {
  scenarios: "scenarios.services",
  live: "live.idle",
  tasks: "tasks.list",
};

export function App({ deps, initialScreen, initialTaskId, messageMs = 6000 }: AppProps) {
  const { exit } = useApp();
  const { columns, rows } = useWindowSize();
  const [screen, setScreen] = useState<ScreenId>(initialTaskId ? "live" : (initialScreen ?? "scenarios"));
  const [previous, setPrevious] = useState<ScreenId>("scenarios");
  const [liveTaskId, setLiveTaskId] = useState<string | undefined>(initialTaskId);
  const [help, setHelp] = useState(false);
  const [modes, setModes] = useState<Record<ScreenId, Mode>>(INITIAL_MODES);
  const [message, setMessage] = useState<FooterMessage | undefined>(undefined);
  const health = useHealth(deps);
  const mode = modes[screen];

  useEffect(() => {
    if (message === undefined) return;
    const timer = setTimeout(() => setMessage(undefined), messageMs);
    return () => clearTimeout(timer);
  }, [message, messageMs]);

  const go = useCallback(
    (next: ScreenId) => {
      if (next === screen) return;
      setPrevious(screen);
      setScreen(next);
    },
    [screen],
  );
  const follow = useCallback(
    (taskId: string) => {
      setLiveTaskId(taskId);
      go("live");
    },
    [go],
  );
  const modeReporter = useCallback(
    (id: ScreenId) => (next: Mode) =>
      setModes((current) => (current[id] === next ? current : { ...current, [id]: next })),
    [],
  );
  const [reportScenarios] = useState(() => modeReporter("scenarios"));
  const [reportLive] = useState(() => modeReporter("live"));
  const [reportTasks] = useState(() => modeReporter("tasks"));

  useInput(
    (input, key) => {
      const action = actionOf(GLOBAL_BINDINGS, input, key);
      if (action === "quit") {
        exit();
        return;
      }
      if (help) {
        if (action === "help" || key.escape) setHelp(false);
        return;
      }
      const index = SCREENS.findIndex((item) => item.id === screen);
      const at = (offset: number) =>
        (SCREENS[(index + offset + SCREENS.length) % SCREENS.length] as (typeof SCREENS)[number]).id;
      switch (action) {
        case "help":
          setHelp(true);
          break;
        case "next-screen":
          go(at(1));
          break;
        case "previous-screen":
          go(at(-1));
          break;
        case "screen-1":
        case "screen-2":
        case "screen-3":
          go((SCREENS[Number(action.slice(-1)) - 1] as (typeof SCREENS)[number]).id);
          break;
        default:
          break;
      }
    },
    { isActive: !MODAL_MODES.has(mode) },
  );

  const width = Math.max(40, columns);
  const height = Math.max(10, rows);
  const bodyHeight = height - 4;
  const common = { deps, width, height: bodyHeight, onMessage: setMessage };
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Header screen={screen} health={health} width={width} />
      <Box height={bodyHeight} flexDirection="column">
        {help ? <HelpOverlay mode={mode} width={width} /> : null}
        <Box display={!help && screen === "scenarios" ? "flex" : "none"}>
          <ScenariosScreen
            {...common}
            isActive={!help && screen === "scenarios"}
            onMode={reportScenarios}
            onStarted={follow}
          />
        </Box>
        <Box display={!help && screen === "live" ? "flex" : "none"}>
          <LiveTaskScreen
            {...common}
            isActive={!help && screen === "live"}
            onMode={reportLive}
            taskId={liveTaskId}
            onBack={() => go(previous === "live" ? "scenarios" : previous)}
          />
        </Box>
        <Box display={!help && screen === "tasks" ? "flex" : "none"}>
          <TasksScreen
            {...common}
            isActive={!help && screen === "tasks"}
            onMode={reportTasks}
            onFollow={follow}
          />
        </Box>
      </Box>
      <Footer mode={mode} width={width} message={message} />
    </Box>
  );
}
