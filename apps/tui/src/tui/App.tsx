/**
 * The full-screen app: header (screens, stack health, breadcrumbs), the active screen, footer
 * (keys valid here). A screen is state: `screen` picks which one is shown and has the keyboard;
 * the others stay mounted (a followed task keeps following) but hidden and deaf. `?` shows the
 * help and `:` the command palette over the screen.
 */
import { Box, useApp, useInput, useWindowSize } from "ink";
import { useCallback, useEffect, useState } from "react";
import { CommandPalette } from "./components/CommandPalette.js";
import { Footer } from "./components/Footer.js";
import { Header } from "./components/Header.js";
import { HelpOverlay } from "./components/HelpOverlay.js";
import type { TuiDeps } from "./deps.js";
import { usePaletteRunner } from "./hooks/use-command-runner.js";
import { useHealth } from "./hooks/use-health.js";
import { actionOf, GLOBAL_BINDINGS, MODAL_MODES, type Mode, SCREENS, type ScreenId } from "./keymap.js";
import { EnvironmentsScreen } from "./screens/EnvironmentsScreen.js";
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
  envs: "envs.list",
};
const NO_CRUMBS: Record<ScreenId, readonly string[]> = { scenarios: [], live: [], tasks: [], envs: [] };

export function App({ deps, initialScreen, initialTaskId, messageMs = 6000 }: AppProps) {
  const { exit } = useApp();
  const { columns, rows } = useWindowSize();
  const [screen, setScreen] = useState<ScreenId>(initialTaskId ? "live" : (initialScreen ?? "scenarios"));
  const [previous, setPrevious] = useState<ScreenId>("scenarios");
  const [liveTaskId, setLiveTaskId] = useState<string | undefined>(initialTaskId);
  const [openTask, setOpenTask] = useState<{ taskId: string; seq: number } | undefined>(undefined);
  const [compareTasks, setCompareTasks] = useState<{ taskIds: readonly string[]; seq: number } | undefined>(
    undefined,
  );
  const [help, setHelp] = useState(false);
  const [modes, setModes] = useState<Record<ScreenId, Mode>>(INITIAL_MODES);
  const [crumbs, setCrumbs] = useState(NO_CRUMBS);
  const [message, setMessage] = useState<FooterMessage | undefined>(undefined);
  const health = useHealth(deps);

  useEffect(() => {
    if (message === undefined) return;
    const timer = setTimeout(() => setMessage(undefined), messageMs);
    return () => clearTimeout(timer);
  }, [message, messageMs]);

  const go = useCallback(
    (next: ScreenId) => {
      setHelp(false);
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
  const palette = usePaletteRunner(deps, {
    go,
    follow,
    openReport: (taskId) => {
      setOpenTask((current) => ({ taskId, seq: (current?.seq ?? 0) + 1 }));
      go("tasks");
    },
    compare: (taskIds) => {
      setCompareTasks((current) => ({ taskIds, seq: (current?.seq ?? 0) + 1 }));
      go("tasks");
    },
    help: () => setHelp(true),
    quit: () => exit(),
    message: setMessage,
  });
  const mode: Mode = palette.open ? "palette" : modes[screen];

  const reporter = useCallback(
    <T,>(set: (update: (current: Record<ScreenId, T>) => Record<ScreenId, T>) => void, id: ScreenId) =>
      (next: T) =>
        set((current) => (current[id] === next ? current : { ...current, [id]: next })),
    [],
  );
  const [reports] = useState(() =>
    Object.fromEntries(
      SCREENS.map(({ id }) => [
        id,
        { onMode: reporter(setModes, id), onCrumbs: reporter<readonly string[]>(setCrumbs, id) },
      ]),
    ),
  );

  useInput((input, key) => palette.handle(input, key), { isActive: palette.open });
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
      if (action === "help") setHelp(true);
      if (action === "palette") palette.show();
      if (action === "next-screen") go(at(1));
      if (action === "previous-screen") go(at(-1));
      if (action?.startsWith("screen-"))
        go((SCREENS[Number(action.slice(-1)) - 1] as (typeof SCREENS)[number]).id);
    },
    { isActive: !MODAL_MODES.has(mode) },
  );

  const width = Math.max(40, columns);
  const height = Math.max(10, rows);
  const bodyHeight = height - 4;
  const common = { deps, width, height: bodyHeight, onMessage: setMessage };
  const title = SCREENS.find((item) => item.id === screen)?.title ?? "";
  const shown = (id: ScreenId) => !help && screen === id;
  const screenProps = (id: ScreenId) => ({
    ...common,
    ...(reports[id] as { onMode(mode: Mode): void; onCrumbs(crumbs: readonly string[]): void }),
    isActive: shown(id) && !palette.open,
  });
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Header screen={screen} health={health} width={width} crumbs={[title, ...crumbs[screen]]} />
      <Box height={bodyHeight} flexDirection="column" overflow="hidden">
        {palette.open ? <CommandPalette {...palette} width={width} /> : null}
        {help ? <HelpOverlay mode={modes[screen]} width={width} height={bodyHeight} /> : null}
        <Box display={shown("scenarios") ? "flex" : "none"}>
          <ScenariosScreen {...screenProps("scenarios")} onStarted={follow} />
        </Box>
        <Box display={shown("live") ? "flex" : "none"}>
          <LiveTaskScreen
            {...screenProps("live")}
            taskId={liveTaskId}
            onBack={() => go(previous === "live" ? "scenarios" : previous)}
          />
        </Box>
        <Box display={shown("tasks") ? "flex" : "none"}>
          <TasksScreen
            {...screenProps("tasks")}
            onFollow={follow}
            openRequest={openTask}
            compareRequest={compareTasks}
          />
        </Box>
        <Box display={shown("envs") ? "flex" : "none"}>
          <EnvironmentsScreen {...screenProps("envs")} />
        </Box>
      </Box>
      <Footer mode={mode} width={width} message={message} />
    </Box>
  );
}
