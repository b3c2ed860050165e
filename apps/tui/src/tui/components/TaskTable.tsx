/**
 * The task history: status, SLA verdict, title, scenarios, environment, tags, start and
 * duration (UTC) per row, scrolled to keep the selection visible; narrow terminals drop columns.
 * A marked task (Space) shows `●` after the selection arrow.
 */
import type { TaskSummary } from "@paddock/shared/api";
import { Box, Text } from "ink";
import { formatDuration, formatTime, truncate } from "../../format/numbers.js";
import { windowStart } from "./SelectList.js";
import { statusColor } from "./status-colors.js";

export interface TaskTableProps {
  readonly tasks: readonly TaskSummary[];
  readonly selected: number;
  /** Ids of the tasks marked with Space. */
  readonly marked?: ReadonlySet<string>;
  readonly width: number;
  readonly height: number;
}

function verdict(task: TaskSummary): { mark: string; color: string } {
  if (task.status !== "finished") return { mark: "·", color: "gray" };
  return task.passSla ? { mark: "✓", color: "green" } : { mark: "✗", color: "red" };
}

export function taskColumns(width: number) {
  const status = 11;
  const started = 11;
  const duration = 8;
  const env = 8;
  const tags = width >= 100 ? 12 : 0;
  const fixed = 2 + 2 + status + 1 + started + 1 + duration + 1 + env + 1 + (tags ? tags + 1 : 0);
  const flexible = Math.max(10, width - fixed);
  const title = Math.ceil(flexible * 0.55);
  const scenarios = flexible - title - 1;
  return { status, title, scenarios, env, tags, started, duration };
}

export function TaskTable({ tasks, selected, marked, width, height }: TaskTableProps) {
  const columns = taskColumns(width);
  const rows = Math.max(1, height - 1);
  const start = windowStart(tasks.length, selected, rows);
  const cell = (text: string, size: number) => truncate(text, size).padEnd(size);
  const headerText = `    ${cell("Status", columns.status)} ${cell("Title", columns.title)} ${cell("Scenarios", columns.scenarios)} ${cell("Env", columns.env)} ${columns.tags ? `${cell("Tags", columns.tags)} ` : ""}${cell("Started", columns.started)} ${"Duration".padStart(columns.duration)}`;
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate-end">
        {headerText}
      </Text>
      {tasks.slice(start, start + rows).map((task, offset) => {
        const index = start + offset;
        const isSelected = index === selected;
        const { mark, color } = verdict(task);
        const isMarked = marked?.has(task.id) ?? false;
        return (
          <Text key={task.id} wrap="truncate-end" inverse={isSelected}>
            <Text color="magenta" bold>
              {isSelected ? "›" : " "}
              {isMarked ? "●" : " "}
            </Text>
            <Text color={color}>{mark}</Text>{" "}
            <Text color={statusColor(task.status, task.passSla)}>{cell(task.status, columns.status)}</Text>{" "}
            {cell(task.title || "untitled", columns.title)}{" "}
            {cell(task.scenarios.join(",") || "—", columns.scenarios)} {cell(task.environment, columns.env)}{" "}
            {columns.tags ? `${cell(task.tags.join(",") || "—", columns.tags)} ` : ""}
            {cell(formatTime(task.createdAt).slice(5, 16), columns.started)}{" "}
            {formatDuration(task.duration).padStart(columns.duration)}
          </Text>
        );
      })}
    </Box>
  );
}
