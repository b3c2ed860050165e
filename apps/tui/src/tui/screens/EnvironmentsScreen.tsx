/**
 * Environments: the catalog's targets — name, platform, description and the secrets they need,
 * by reference (`${OS_PASSWORD}`) only; values never leave the runner. `/` filters, `r` reloads,
 * `c` asks a runner to check the selected one (`rally env check`: reachability, credentials, the
 * service catalog with versions); its file, problems and last check are shown below the table.
 */
import type { EnvironmentCheck, EnvironmentDefinition } from "@paddock/shared/api";
import { describeError } from "@paddock/shared/errors";
import { Box, Text, useInput } from "ink";
import { useState } from "react";
import { truncate } from "../../format/numbers.js";
import { FilterLine } from "../components/FilterLine.js";
import { SelectList } from "../components/SelectList.js";
import { useEnvironments } from "../hooks/use-catalog.js";
import { useListFilter } from "../hooks/use-list-filter.js";
import { useReportCrumbs, useReportMode } from "../hooks/use-report-mode.js";
import { actionOf, MODE_BINDINGS } from "../keymap.js";
import { matchesQuery } from "../text-input.js";
import type { ScreenProps } from "./screen-props.js";

const clamp = (index: number, count: number) => Math.max(0, Math.min(count - 1, index));

/** The last check of an environment asked for on this screen. */
type CheckState =
  | { readonly state: "checking" }
  | { readonly state: "done"; readonly check: EnvironmentCheck }
  | { readonly state: "failed"; readonly error: string };

/** Services of the catalog shown under a check at most; the rest are counted. */
const MAX_SERVICE_LINES = 6;

interface CheckLine {
  readonly text: string;
  readonly color?: "green" | "red" | undefined;
  readonly dim?: boolean;
}

/** What a check shows, one entry per line: each platform's verdict, then its catalog. */
export function checkLines(check: CheckState | undefined): CheckLine[] {
  if (check === undefined) return [{ text: "c checks it through a runner", dim: true }];
  if (check.state === "checking") return [{ text: "checking through the runner…", dim: true }];
  if (check.state === "failed") return [{ text: `✗ the check failed: ${check.error}`, color: "red" }];
  const lines: CheckLine[] = [];
  for (const platform of check.check.platforms) {
    lines.push({
      text: `${platform.available ? "✓" : "✗"} ${platform.platform}: ${platform.message}`,
      color: platform.available ? "green" : "red",
    });
    const services = platform.details.services;
    if (!Array.isArray(services)) continue;
    for (const service of services.slice(0, MAX_SERVICE_LINES) as {
      type?: unknown;
      interface?: unknown;
      version?: unknown;
      url?: unknown;
      available?: unknown;
    }[]) {
      lines.push({
        text: `  ${service.available === false ? "✗" : "·"} ${String(service.type ?? "")} ${String(service.interface ?? "")} ${
          typeof service.version === "string" ? `${service.version} ` : ""
        }${String(service.url ?? "")}`,
        dim: service.available !== false,
        color: service.available === false ? "red" : undefined,
      });
    }
    if (services.length > MAX_SERVICE_LINES) {
      lines.push({ text: `  … ${services.length - MAX_SERVICE_LINES} more (paddock env check)`, dim: true });
    }
  }
  return lines;
}

/** Column widths for `width`: name, platform, secrets; the description takes the rest. */
function columns(width: number) {
  const name = Math.min(24, Math.max(10, Math.floor(width * 0.18)));
  const platform = 10;
  const secrets = Math.min(48, Math.max(14, Math.floor(width * 0.28)));
  return { name, platform, secrets, description: Math.max(8, width - name - platform - secrets - 5) };
}

function secretsText(environment: EnvironmentDefinition): string {
  return environment.secrets.length === 0 ? "—" : environment.secrets.map((name) => `\${${name}}`).join(" ");
}

function row(environment: EnvironmentDefinition, width: number) {
  const cols = columns(width);
  return (
    <Text wrap="truncate-end" color={environment.error ? "red" : undefined}>
      {truncate(`${environment.error ? "✗ " : ""}${environment.name}`, cols.name).padEnd(cols.name)}{" "}
      {truncate(environment.platform, cols.platform).padEnd(cols.platform)}{" "}
      {truncate(environment.description, cols.description).padEnd(cols.description)}{" "}
      <Text color="yellow">{truncate(secretsText(environment), cols.secrets)}</Text>
    </Text>
  );
}

export function EnvironmentsScreen(props: ScreenProps) {
  const { deps, isActive, width, height } = props;
  const list = useEnvironments(deps.clients.catalog);
  const filter = useListFilter();
  const [selected, setSelected] = useState(0);
  const [checks, setChecks] = useState<ReadonlyMap<string, CheckState>>(new Map());
  const checkNow = (name: string) => {
    const record = (state: CheckState) => setChecks((known) => new Map(known).set(name, state));
    record({ state: "checking" });
    deps.clients.runner.checkEnvironment(name).then(
      (check) => record({ state: "done", check }),
      (error: unknown) => record({ state: "failed", error: describeError(error) }),
    );
  };
  const all = list.value?.environments ?? [];
  const shown = all.filter((environment) =>
    matchesQuery(filter.query, [environment.name, environment.platform, environment.description]),
  );
  const current = shown[clamp(selected, shown.length)];
  useReportMode(filter.editing ? "filter" : "envs.list", isActive, props.onMode);
  useReportCrumbs(current ? [current.name] : [], isActive, props.onCrumbs);

  useInput(
    (input, key) => {
      if (filter.editing) {
        filter.handle(input, key);
        setSelected(0);
        return;
      }
      const action = actionOf(MODE_BINDINGS["envs.list"], input, key);
      if (action === "up") setSelected((index) => clamp(index - 1, shown.length));
      if (action === "down") setSelected((index) => clamp(index + 1, shown.length));
      if (action === "filter") filter.begin();
      if (action === "back") filter.clear();
      if (action === "reload") list.reload();
      if (action === "check" && current !== undefined && !current.error) checkNow(current.name);
    },
    { isActive },
  );

  if (list.value === undefined) {
    return (
      <Box flexDirection="column" width={width} height={height}>
        <Text color={list.error ? "red" : undefined} dimColor={!list.error} wrap="wrap">
          {list.error
            ? `Cannot load the environments: ${list.error} (r to try again)`
            : "Loading environments from the catalog…"}
        </Text>
      </Box>
    );
  }

  const cols = columns(width - 2);
  const problems = current?.problems?.length ?? (current?.error ? 1 : 0);
  const checked = current === undefined || current.error ? [] : checkLines(checks.get(current.name));
  const detailLines = current ? 3 + problems + checked.length : 0;
  const filterLines = filter.editing || filter.query ? 1 : 0;
  const listHeight = Math.max(1, height - 2 - detailLines - filterLines);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold color="cyan" wrap="truncate-end">
        {"  "}
        {"name".padEnd(cols.name)} {"platform".padEnd(cols.platform)} {"description".padEnd(cols.description)}{" "}
        secrets (references)
      </Text>
      <SelectList
        items={shown}
        selected={clamp(selected, shown.length)}
        height={listHeight}
        width={width}
        itemKey={(environment) => environment.file}
        renderItem={(environment) => row(environment, width - 2)}
        empty={all.length === 0 ? "The catalog has no environments." : "No environment matches the filter."}
      />
      <FilterLine
        query={filter.query}
        editing={filter.editing}
        shown={shown.length}
        total={all.length}
        width={width}
      />
      {current ? (
        <Box flexDirection="column" marginTop={1}>
          <Text dimColor wrap="wrap">
            environments/{current.file} · {current.platform} ·{" "}
            {current.secrets.length === 0
              ? "needs no secrets"
              : `needs ${current.secrets.map((name) => `\${${name}}`).join(", ")} set where the runner runs`}
          </Text>
          {(current.problems ?? (current.error ? [{ field: "", message: current.error.message }] : [])).map(
            (problem) => (
              <Text key={`${problem.field}:${problem.message}`} color="red" wrap="truncate-end">
                ✗ {problem.field ? `${problem.field}: ` : ""}
                {problem.message}
              </Text>
            ),
          )}
          {checked.map((line, index) => (
            <Text
              // biome-ignore lint/suspicious/noArrayIndexKey: the lines of one check, in order
              key={index}
              color={line.color}
              dimColor={line.dim === true}
              wrap="truncate-end"
            >
              {line.text}
            </Text>
          ))}
        </Box>
      ) : null}
    </Box>
  );
}
