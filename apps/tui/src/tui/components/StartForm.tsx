/**
 * The start form: one row per template argument (its typed value, the value's type, and any
 * problem with it right below); the workload chosen (when the task has several), its runner type
 * and options, contexts and SLA, each section ending in a `+` row; the environment (←/→) and the
 * tags; then the runner's verdict with the problems no field claims. Scrolls to keep the focused
 * field in sight. Ctrl-P shows the preview (`StartPreview`) instead.
 */
import type { ScenarioSummary } from "@paddock/shared/api";
import type { ProblemDetail } from "@paddock/shared/errors";
import { Box, Text } from "ink";
import type { ReactElement } from "react";
import { truncate } from "../../format/numbers.js";
import type { Verdict } from "../hooks/use-start-form.js";
import {
  type FormField,
  localProblem,
  parseArgValue,
  problemsOf,
  type StartFormState,
  typeName,
} from "../start-form.js";
import { problemPlace, rowProblem, runnerTypeOf, type WorkloadSlot } from "../workload-edits.js";

export interface StartFormProps {
  readonly scenario: ScenarioSummary;
  readonly form: StartFormState;
  readonly fields: readonly FormField[];
  readonly slots: readonly WorkloadSlot[];
  readonly environments: readonly string[];
  readonly verdict: Verdict;
  /** Why the catalog cannot render the arguments typed, while that is so. */
  readonly renderProblem: string | undefined;
  readonly width: number;
  readonly height: number;
}

function problemText(problem: ProblemDetail): string {
  return `${problem.path ? `${problem.path}: ` : ""}${problem.message}`;
}

const ADD_LABELS = { runner: "+ option", contexts: "+ context", sla: "+ criterion" } as const;
const ADD_HINTS = {
  runner: "option: value",
  contexts: "name: {config}",
  sla: "criterion: value",
} as const;

function Field(props: {
  label: string;
  value: string;
  focused: boolean;
  hint: string;
  width: number;
  labelWidth: number;
  indent?: boolean;
  /** A ‹ choice › (←/→), not typed text. */
  choice?: boolean;
}) {
  const { label, value, focused, hint, width, labelWidth, indent = false, choice = false } = props;
  const shownLabel = `${indent ? "  " : ""}${label}`;
  // A long row name (an SLA criterion) is shown whole as long as a value still fits beside it.
  const labelSpace = Math.min(Math.max(labelWidth, shownLabel.length), Math.max(labelWidth, width - 24));
  const valueWidth = Math.max(
    6,
    width - 2 - labelSpace - 1 - (hint ? hint.length + 1 : 0) - (focused ? 1 : 0),
  );
  // While typing, the end of a long value is what matters; a choice keeps its start.
  const shown =
    focused && !choice && value.length > valueWidth
      ? `…${value.slice(-(valueWidth - 1))}`
      : truncate(value, valueWidth);
  return (
    <Text wrap="truncate-end">
      <Text color={focused ? "cyan" : undefined} bold={focused}>
        {focused ? "› " : "  "}
        {truncate(shownLabel, labelSpace).padEnd(labelSpace)}
      </Text>{" "}
      <Text underline={focused}>{shown}</Text>
      {focused && !choice ? <Text inverse> </Text> : null}
      {hint ? <Text dimColor> {hint}</Text> : null}
    </Text>
  );
}

function Problems({ messages }: { messages: readonly string[] }) {
  return (
    <>
      {messages.map((message) => (
        <Text key={message} color="red" wrap="truncate-end">
          {"    ✗ "}
          {message}
        </Text>
      ))}
    </>
  );
}

/** A block of lines the form shows, and whether it holds the focus. */
interface Block {
  readonly key: string;
  readonly lines: number;
  readonly focused: boolean;
  readonly element: ReactElement;
}

export function StartForm(props: StartFormProps) {
  const { scenario, form, fields, slots, environments, verdict, renderProblem, width, height } = props;
  const labelWidth = Math.min(18, Math.max(15, ...scenario.args.map((arg) => arg.name.length)));
  const problems = verdict.state === "invalid" ? verdict.problems : [];
  const claimed = new Set<ProblemDetail>();
  const slot = slots[form.workload];
  const edit = form.edits[form.workload];
  const placed = problems.map((problem) => ({ problem, place: problemPlace(problem, slots) }));
  // A problem about a section the user edited is that row's alone: the arguments no longer feed it.
  const ownedByEdits = new Set(
    placed
      .filter(({ place }) => {
        const edited = place ? form.edits[place.workload] : undefined;
        return (
          place !== undefined &&
          (edited?.[place.section] !== undefined ||
            (place.section === "runner" && edited?.runnerType !== undefined))
        );
      })
      .map(({ problem }) => problem),
  );
  const argProblems = problems.filter((problem) => !ownedByEdits.has(problem));
  /** The runner's problems about a section row (`name` empty: the section as a whole) of the shown workload. */
  const sectionProblems = (section: string, name: string) =>
    placed
      .filter(
        ({ place }) => place?.workload === form.workload && place.section === section && place.name === name,
      )
      .map(({ problem }) => {
        claimed.add(problem);
        return problem.message;
      });

  const blocks: Block[] = [];
  const header = (key: string, text: string) =>
    blocks.push({
      key,
      lines: 1,
      focused: false,
      element: (
        <Text key={key} dimColor wrap="truncate-end">
          {"  "}
          {text}
        </Text>
      ),
    });

  for (const field of fields) {
    const focused = form.focus === field.key;
    const common = { focused, width, labelWidth };
    let element: ReactElement;
    let messages: string[] = [];
    switch (field.kind) {
      case "arg": {
        const text = form.values[field.arg.name] ?? "";
        const mine = problemsOf(field.arg.name, argProblems);
        for (const problem of mine) claimed.add(problem);
        const local = localProblem(field.arg, text);
        const hint =
          text.trim() === "" ? (field.arg.required ? "required" : "default") : typeName(parseArgValue(text));
        messages = [...(local ? [local] : []), ...mine.map((problem) => problem.message)];
        element = <Field label={field.arg.name} value={text} hint={hint} {...common} />;
        break;
      }
      case "workload": {
        const shown = slot ? `${slot.subtaskIndex + 1}.${slot.position + 1} ${slot.spec.scenario}` : "…";
        element = (
          <Field
            label="workload"
            value={`‹ ${shown} ›`}
            hint={`${form.workload + 1} of ${slots.length}`}
            choice
            {...common}
          />
        );
        break;
      }
      case "runner-type": {
        const type = runnerTypeOf(edit, slot?.spec);
        const edited = edit?.runner !== undefined || edit?.runnerType !== undefined;
        messages = sectionProblems("runner", "");
        element = (
          <Field
            label="runner"
            value={`‹ ${type} ›`}
            hint={edited ? "edited" : "as rendered"}
            choice
            {...common}
          />
        );
        break;
      }
      case "row": {
        const local = rowProblem(field.text);
        messages = [...(local ? [local] : []), ...sectionProblems(field.section, field.name)];
        const hint = field.text.trim() === "" ? (field.section === "runner" ? "default" : "removed") : "";
        element = <Field label={field.name} value={field.text} hint={hint} indent {...common} />;
        break;
      }
      case "add": {
        if (field.section !== "runner") {
          header(`${field.section}-header`, field.section === "contexts" ? "contexts" : "sla");
        }
        const local = rowProblem(field.text, true);
        messages = [
          ...(local ? [local] : []),
          ...(field.section === "runner" ? [] : sectionProblems(field.section, "")),
        ];
        element = (
          <Field
            label={ADD_LABELS[field.section]}
            value={field.text}
            hint={
              field.text === "" ? (focused ? `${ADD_HINTS[field.section]}, Enter adds` : "") : "Enter adds"
            }
            indent
            {...common}
          />
        );
        break;
      }
      case "environment": {
        const environment = environments[form.environment];
        element = (
          <Field
            label="environment"
            value={environment ? `‹ ${environment} ›` : "(the runner's default)"}
            hint=""
            choice
            {...common}
          />
        );
        break;
      }
      case "tags":
        element = <Field label="tags" value={form.tags} hint="comma separated" {...common} />;
        break;
    }
    blocks.push({
      key: field.key,
      lines: 1 + messages.length,
      focused,
      element: (
        <Box key={field.key} flexDirection="column">
          {element}
          <Problems messages={messages} />
        </Box>
      ),
    });
  }
  // A section's header comes before its first row, not before its `+` row.
  const ordered = moveHeadersUp(blocks);

  const others = problems.filter((problem) => !claimed.has(problem));
  const verdictLines = 2 + (verdict.state === "invalid" ? Math.min(others.length, 3) : 0);
  const room = Math.max(3, height - 1 - verdictLines - (renderProblem ? 1 : 0));
  const shown = windowAround(ordered, room);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold wrap="truncate-end">
        Start {scenario.id} with{scenario.args.length === 0 ? " (no arguments)" : ""}
      </Text>
      {renderProblem ? (
        <Text color="yellow" wrap="truncate-end">
          ! cannot render with these arguments: {renderProblem}
        </Text>
      ) : null}
      {shown.map((block) => block.element)}
      <Box marginTop={1} flexDirection="column">
        {verdict.state === "checking" ? (
          <Text dimColor>… asking the runner</Text>
        ) : verdict.state === "valid" ? (
          <Text color="green" wrap="truncate-end">
            ✓ the runner accepts this task — Enter starts it
          </Text>
        ) : (
          <>
            <Text color="red" wrap="truncate-end">
              ✗ {verdictHeadline(verdict.message, verdict.problems.length)}
            </Text>
            {others.slice(0, 3).map((problem) => (
              <Text key={problemText(problem)} color="red" wrap="truncate-end">
                {"  "}
                {problemText(problem)}
              </Text>
            ))}
          </>
        )}
      </Box>
    </Box>
  );
}

/** The first line of the runner's message, with how many problems it found when it does not say. */
function verdictHeadline(message: string, count: number): string {
  const first = (message.split("\n")[0] ?? "").replace(/:\s*$/, "");
  return count === 0 || /problem/.test(first)
    ? first
    : `${first} — ${count} problem${count === 1 ? "" : "s"}`;
}

/** Puts each section header (`contexts-header`, `sla-header`) before the section's first row. */
function moveHeadersUp(blocks: readonly Block[]): Block[] {
  const result: Block[] = [];
  for (const block of blocks) {
    const section = /^(contexts|sla)-header$/.exec(block.key)?.[1];
    if (section === undefined) {
      result.push(block);
      continue;
    }
    const first = result.findIndex((item) => item.key.startsWith(`${section}:`));
    if (first >= 0) result.splice(first, 0, block);
    else result.push(block);
  }
  return result;
}

/** The blocks that fit `room` lines, scrolled so the focused one is in sight (with a line of context). */
function windowAround(blocks: readonly Block[], room: number): Block[] {
  const total = blocks.reduce((sum, block) => sum + block.lines, 0);
  if (total <= room) return [...blocks];
  const focus = Math.max(
    0,
    blocks.findIndex((block) => block.focused),
  );
  let start = focus;
  let used = blocks[focus]?.lines ?? 1;
  // Show what follows the focus first (one block), then fill upwards, then downwards.
  let end = focus + 1;
  if (end < blocks.length && used + (blocks[end]?.lines ?? 1) <= room) {
    used += blocks[end]?.lines ?? 1;
    end += 1;
  }
  while (start > 0 && used + (blocks[start - 1]?.lines ?? 1) <= room) {
    start -= 1;
    used += blocks[start]?.lines ?? 1;
  }
  while (end < blocks.length && used + (blocks[end]?.lines ?? 1) <= room) {
    used += blocks[end]?.lines ?? 1;
    end += 1;
  }
  return blocks.slice(start, end);
}
