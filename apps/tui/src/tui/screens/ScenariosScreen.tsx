/**
 * Scenarios: the catalog's services with their scenario counts; Enter lists a service's
 * scenarios beside the selected one's detail; `s` starts it with its default arguments, `e` opens
 * the start form (arguments, environment, tags), `E` starts a copy edited in `$EDITOR`; `/`
 * filters the list shown (a service is kept when its name or one of its scenarios matches).
 */
import type { ScenarioList, ScenarioSummary } from "@paddock/shared/api";
import { Box, Text, useInput } from "ink";
import { useState } from "react";
import { truncate } from "../../format/numbers.js";
import { FilterLine } from "../components/FilterLine.js";
import { ScenarioDetailPane } from "../components/ScenarioDetailPane.js";
import { SelectList } from "../components/SelectList.js";
import { useScenarioDetail, useScenarioList } from "../hooks/use-catalog.js";
import { useListFilter } from "../hooks/use-list-filter.js";
import { useReportCrumbs, useReportMode } from "../hooks/use-report-mode.js";
import { useScenarioStart } from "../hooks/use-scenario-start.js";
import { actionOf, MODE_BINDINGS, type Mode } from "../keymap.js";
import { matchesQuery } from "../text-input.js";
import { StartFormPanel } from "./StartFormPanel.js";
import type { ScreenProps } from "./screen-props.js";

type ServiceGroupView = ScenarioList["services"][number];

export interface ScenariosScreenProps extends ScreenProps {
  /** A task was started: the App follows it on the live screen. */
  onStarted(taskId: string): void;
}

const clamp = (index: number, count: number) => Math.max(0, Math.min(count - 1, index));

const scenarioFields = (scenario: ScenarioSummary) => [
  scenario.id,
  scenario.title,
  scenario.description,
  ...scenario.tags,
  ...scenario.plugins,
];

function serviceRow(group: ServiceGroupView, width: number) {
  const broken = group.scenarios.filter((scenario) => scenario.error !== undefined).length;
  const count = `${group.scenarios.length}${broken > 0 ? ` (${broken}✗)` : ""}`;
  return (
    <Text wrap="truncate-end">
      {truncate(group.service, width - count.length - 1).padEnd(width - count.length - 1)}{" "}
      <Text dimColor>{count}</Text>
    </Text>
  );
}

function scenarioRow(scenario: ScenarioSummary) {
  return (
    <Text wrap="truncate-end" color={scenario.error ? "red" : undefined}>
      {scenario.error ? "✗ " : ""}
      {scenario.title || scenario.id}
    </Text>
  );
}

export function ScenariosScreen(props: ScenariosScreenProps) {
  const { deps, isActive, width, height, onMessage, onStarted } = props;
  const list = useScenarioList(deps.clients.catalog);
  const [level, setLevel] = useState<"services" | "scenarios">("services");
  const [serviceIndex, setServiceIndex] = useState(0);
  const [scenarioIndex, setScenarioIndex] = useState(0);
  const [formOpen, setFormOpen] = useState(false);
  const [previewOpen, setPreviewOpen] = useState(false);
  const [saveAsOpen, setSaveAsOpen] = useState(false);
  const filter = useListFilter();

  const allServices = list.value?.services ?? [];
  const services =
    level === "services"
      ? allServices.filter(
          (group) =>
            matchesQuery(filter.query, [group.service]) ||
            group.scenarios.some((item) => matchesQuery(filter.query, scenarioFields(item))),
        )
      : allServices;
  const service = services[clamp(serviceIndex, services.length)];
  const allScenarios = service?.scenarios ?? [];
  const scenarios =
    level === "scenarios"
      ? allScenarios.filter((item) => matchesQuery(filter.query, scenarioFields(item)))
      : allScenarios;
  const scenario = level === "scenarios" ? scenarios[clamp(scenarioIndex, scenarios.length)] : undefined;
  const detail = useScenarioDetail(deps.clients.catalog, scenario?.error ? undefined : scenario?.id);
  const showForm = formOpen && scenario !== undefined && scenario.error === undefined;
  const mode: Mode = showForm
    ? previewOpen
      ? saveAsOpen
        ? "scenarios.save"
        : "scenarios.preview"
      : "scenarios.form"
    : filter.editing
      ? "filter"
      : level === "services"
        ? "scenarios.services"
        : "scenarios.list";
  useReportMode(mode, isActive, props.onMode);
  useReportCrumbs(
    level === "services"
      ? []
      : [service?.service ?? "", ...(scenario ? [scenario.title || scenario.id] : [])],
    isActive,
    props.onCrumbs,
  );

  const starter = useScenarioStart(deps, onMessage, (taskId) => {
    setFormOpen(false);
    setPreviewOpen(false);
    setSaveAsOpen(false);
    onStarted(taskId);
  });

  useInput(
    (input, key) => {
      if (filter.editing) {
        filter.handle(input, key);
        if (level === "services") setServiceIndex(0);
        else setScenarioIndex(0);
        return;
      }
      const action = actionOf(MODE_BINDINGS[mode], input, key);
      if (action === "reload") list.reload();
      if (action === "filter") filter.begin();
      if (level === "services") {
        if (action === "up") setServiceIndex((index) => clamp(index - 1, services.length));
        if (action === "down") setServiceIndex((index) => clamp(index + 1, services.length));
        if (action === "open" && service) {
          setServiceIndex(allServices.indexOf(service));
          filter.clear();
          setLevel("scenarios");
          setScenarioIndex(0);
        }
        return;
      }
      if (action === "up") setScenarioIndex((index) => clamp(index - 1, scenarios.length));
      if (action === "down") setScenarioIndex((index) => clamp(index + 1, scenarios.length));
      if (action === "back") {
        if (filter.query !== "") filter.clear();
        else setLevel("services");
      }
      if (action === "start" && scenario) starter.start(scenario);
      if (action === "edit" && scenario && !starter.refuseBroken(scenario)) setFormOpen(true);
      if (action === "edit-in-editor" && scenario) starter.editAndStart(scenario, detail.value);
    },
    { isActive: isActive && !showForm },
  );

  if (list.value === undefined) {
    return (
      <Box flexDirection="column" width={width} height={height}>
        {list.error ? (
          <>
            <Text color="red" wrap="wrap">
              Cannot load the scenarios: {list.error}
            </Text>
            <Text dimColor>Press r to try again.</Text>
          </>
        ) : (
          <Text dimColor>Loading scenarios from the catalog…</Text>
        )}
      </Box>
    );
  }

  // The form needs the room more than the list beside it.
  const leftWidth = showForm
    ? Math.min(32, Math.max(20, Math.floor(width * 0.27)))
    : Math.min(32, Math.max(20, Math.floor(width * 0.36)));
  const rightWidth = Math.max(10, width - leftWidth - 2);
  const filterShown = filter.editing || filter.query !== "";
  const listHeight = height - 1 - (filterShown ? 1 : 0);
  return (
    <Box flexDirection="row" width={width} height={height}>
      <Box flexDirection="column" width={leftWidth}>
        <Text bold color="cyan" wrap="truncate-end">
          {level === "services"
            ? `Services (${allServices.length})`
            : `‹ ${service?.service ?? ""} (${allScenarios.length})`}
        </Text>
        {level === "services" ? (
          <SelectList
            items={services}
            selected={clamp(serviceIndex, services.length)}
            height={listHeight}
            width={leftWidth}
            itemKey={(group) => group.service}
            renderItem={(group) => serviceRow(group, leftWidth - 2)}
            empty={allServices.length === 0 ? "The catalog has no scenarios." : "Nothing matches the filter."}
          />
        ) : (
          <SelectList
            items={scenarios}
            selected={clamp(scenarioIndex, scenarios.length)}
            height={listHeight}
            width={leftWidth}
            itemKey={(item) => item.id}
            renderItem={scenarioRow}
            empty="No scenario matches the filter."
          />
        )}
        <FilterLine
          query={filter.query}
          editing={filter.editing}
          shown={level === "services" ? services.length : scenarios.length}
          total={level === "services" ? allServices.length : allScenarios.length}
          width={leftWidth}
        />
      </Box>
      <Box width={2} />
      <Box flexDirection="column" width={rightWidth}>
        {showForm && scenario ? (
          <StartFormPanel
            key={scenario.id}
            deps={deps}
            scenario={scenario}
            isActive={isActive}
            width={rightWidth}
            height={height}
            onStart={(request) => starter.start(scenario, request)}
            onClose={() => {
              setFormOpen(false);
              setPreviewOpen(false);
              setSaveAsOpen(false);
            }}
            onMessage={onMessage}
            onPreview={setPreviewOpen}
            onSaveAs={setSaveAsOpen}
            onSaved={() => list.reload()}
          />
        ) : scenario ? (
          <ScenarioDetailPane scenario={scenario} detail={detail.value} width={rightWidth} height={height} />
        ) : service ? (
          <Box flexDirection="column">
            <Text bold>{service.service}</Text>
            {service.scenarios.slice(0, height - 2).map((item) => (
              <Text
                key={item.id}
                dimColor={!item.error}
                color={item.error ? "red" : undefined}
                wrap="truncate-end"
              >
                {item.error ? "✗ " : "· "}
                {item.title || item.id}
              </Text>
            ))}
          </Box>
        ) : null}
      </Box>
    </Box>
  );
}
