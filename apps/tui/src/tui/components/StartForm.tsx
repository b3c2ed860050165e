/**
 * The start form: one row per template argument (its typed value, the value's type, and any
 * problem with it right below), the environment (←/→), the tags, then the runner's verdict with
 * the problems no field claims.
 */
import type { ScenarioSummary } from "@paddock/shared/api";
import type { ProblemDetail } from "@paddock/shared/errors";
import { Box, Text } from "ink";
import { truncate } from "../../format/numbers.js";
import type { Verdict } from "../hooks/use-start-form.js";
import { localProblem, parseArgValue, problemsOf, type StartFormState, typeName } from "../start-form.js";

export interface StartFormProps {
  readonly scenario: ScenarioSummary;
  readonly form: StartFormState;
  readonly environments: readonly string[];
  readonly verdict: Verdict;
  readonly width: number;
  readonly height: number;
}

function problemText(problem: ProblemDetail): string {
  return `${problem.path ? `${problem.path}: ` : ""}${problem.message}`;
}

function Field(props: {
  label: string;
  value: string;
  focused: boolean;
  hint: string;
  width: number;
  labelWidth: number;
}) {
  const { label, value, focused, hint, width, labelWidth } = props;
  const valueWidth = Math.max(6, width - labelWidth - hint.length - 6);
  return (
    <Text wrap="truncate-end">
      <Text color={focused ? "cyan" : undefined} bold={focused}>
        {focused ? "› " : "  "}
        {label.padEnd(labelWidth)}
      </Text>{" "}
      <Text underline={focused}>{truncate(value, valueWidth)}</Text>
      {focused ? <Text inverse> </Text> : null}
      <Text dimColor> {hint}</Text>
    </Text>
  );
}

export function StartForm({ scenario, form, environments, verdict, width, height }: StartFormProps) {
  const labelWidth = Math.min(16, Math.max(11, ...scenario.args.map((arg) => arg.name.length)));
  const problems = verdict.state === "invalid" ? verdict.problems : [];
  const claimed = new Set<ProblemDetail>();
  const rows = scenario.args.map((arg, index) => {
    const text = form.values[arg.name] ?? "";
    const mine = problemsOf(arg.name, problems);
    for (const problem of mine) claimed.add(problem);
    const local = localProblem(arg, text);
    const hint = text.trim() === "" ? (arg.required ? "required" : "default") : typeName(parseArgValue(text));
    return (
      <Box key={arg.name} flexDirection="column">
        <Field
          label={arg.name}
          value={text}
          focused={form.focus === index}
          hint={hint}
          width={width}
          labelWidth={labelWidth}
        />
        {[...(local ? [local] : []), ...mine.map((problem) => problem.message)].map((message) => (
          <Text key={message} color="red" wrap="truncate-end">
            {"    ✗ "}
            {message}
          </Text>
        ))}
      </Box>
    );
  });
  const environment = environments[form.environment];
  const others = problems.filter((problem) => !claimed.has(problem));
  const spare = Math.max(1, height - rows.length - 6);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold wrap="truncate-end">
        Start {scenario.id} with
      </Text>
      {scenario.args.length === 0 ? <Text dimColor>This scenario declares no arguments.</Text> : rows}
      <Field
        label="environment"
        value={environment ? `‹ ${environment} ›` : "(the runner's default)"}
        focused={form.focus === scenario.args.length}
        hint={environments.length > 1 ? "←/→" : ""}
        width={width}
        labelWidth={labelWidth}
      />
      <Field
        label="tags"
        value={form.tags}
        focused={form.focus === scenario.args.length + 1}
        hint="comma separated"
        width={width}
        labelWidth={labelWidth}
      />
      <Box marginTop={1} flexDirection="column">
        {verdict.state === "checking" ? (
          <Text dimColor>… asking the runner</Text>
        ) : verdict.state === "valid" ? (
          <Text color="green">✓ the runner accepts this task — Enter starts it</Text>
        ) : (
          <>
            <Text color="red" wrap="truncate-end">
              ✗ {verdict.message}
            </Text>
            {others.slice(0, spare).map((problem) => (
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
