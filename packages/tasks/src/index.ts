export { mergeTaskArgs, parseTaskArgs, parseTaskArgsFile } from "./task-args.js";
export {
  hashText,
  type LoadedTask,
  type LoadOptions,
  loadRenderedTask,
  loadTask,
  parseTaskText,
  scenarioPlugins,
} from "./task-loader.js";
export {
  MAX_SUBTASK_TITLE,
  MAX_TAG,
  MAX_TASK_TITLE,
  readTaskStructure,
  type StructureProblem,
  type StructureResult,
} from "./task-structure.js";
export { MAX_RANGE_ITEMS } from "./template-globals.js";
export { expandIncludes, hasIncludes, type IncludeOptions } from "./template-includes.js";
export {
  type AnalysedTemplate,
  analyseTemplate,
  declaredArgs,
  missingArgsMessage,
  type RenderOptions,
  renderTemplate,
  type TaskArgs,
} from "./template-renderer.js";
export { TEMPLATE_GLOBALS } from "./template-variables.js";
export { applyOverrides, checkTaskSpec, taskSpecDocument } from "./workload-overrides.js";
export { TASK_YAML_SCHEMA, yamlLineIndex } from "./yaml-document.js";
