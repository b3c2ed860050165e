export {
  hashText,
  type LoadedTask,
  type LoadOptions,
  loadTask,
  parseTaskText,
  scenarioPlugins,
} from "./task-loader.js";
export { renderTemplate } from "./template-renderer.js";
