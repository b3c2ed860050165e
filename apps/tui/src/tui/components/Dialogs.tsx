/**
 * The Tasks screen's dialogs: export (type and file) and delete (focus starts on Cancel).
 */
import { Box, Text } from "ink";
import { REPORT_EXPORT_TYPES } from "../../api/reports-client.js";
import { truncate } from "../../format/numbers.js";
import type { ExportRequest } from "../hooks/use-export-dialog.js";

export interface ExportDialogViewProps {
  readonly request: ExportRequest;
  readonly width: number;
}

export function ExportDialogView({ request, width }: ExportDialogViewProps) {
  const inner = Math.max(20, Math.min(width, 100) - 4);
  const what =
    request.taskIds.length === 1 ? `task ${request.taskIds[0]}` : `${request.taskIds.length} marked tasks`;
  return (
    <Box
      flexDirection="column"
      borderStyle="round"
      borderColor="cyan"
      paddingX={1}
      width={Math.min(width, 100)}
    >
      <Text bold wrap="truncate-end">
        Export {what}
      </Text>
      <Text wrap="truncate-end">
        Type{"  "}
        {REPORT_EXPORT_TYPES.map((type) => (
          <Text key={type}>
            <Text inverse={type === request.type} bold={type === request.type}>
              {` ${type} `}
            </Text>{" "}
          </Text>
        ))}
        <Text dimColor>←/→</Text>
      </Text>
      <Text wrap="truncate-start">
        File{"  "}
        <Text color="cyan">{truncate(request.path, inner - 8)}</Text>▏
      </Text>
      {request.taskIds.length > 1 ? <Text dimColor>{"{id}"} is replaced by each task's id</Text> : null}
      <Text dimColor>Enter export · Esc cancel</Text>
    </Box>
  );
}

export interface DeleteDialogViewProps {
  readonly taskIds: readonly string[];
  /** Running tasks among the chosen ones: they are not deleted. */
  readonly skipped: readonly string[];
  readonly focus: "cancel" | "delete";
  readonly width: number;
}

export function DeleteDialogView({ taskIds, skipped, focus, width }: DeleteDialogViewProps) {
  const shown = taskIds.slice(0, 5);
  return (
    <Box
      flexDirection="column"
      borderStyle="round"
      borderColor="red"
      paddingX={1}
      width={Math.min(width, 100)}
    >
      <Text bold wrap="truncate-end">
        Delete {taskIds.length === 1 ? "this task" : `these ${taskIds.length} tasks`} and everything stored
        about {taskIds.length === 1 ? "it" : "them"}?
      </Text>
      {shown.map((id) => (
        <Text key={id} wrap="truncate-end">
          {"  "}
          {id}
        </Text>
      ))}
      {taskIds.length > shown.length ? (
        <Text dimColor> … and {taskIds.length - shown.length} more</Text>
      ) : null}
      {skipped.length > 0 ? (
        <Text color="yellow" wrap="wrap">
          Still running, not deleted: {skipped.join(", ")}
        </Text>
      ) : null}
      <Text>
        <Text inverse={focus === "cancel"} bold>
          {" Cancel "}
        </Text>
        {"  "}
        <Text inverse={focus === "delete"} color="red" bold>
          {" Delete "}
        </Text>
        <Text dimColor>{"  "}←/→ choose · Enter press · Esc cancel</Text>
      </Text>
    </Box>
  );
}
