export { createLogger, type Logger } from "./logger.js";
export { type RunningService, type RunOptions, runService } from "./run-service.js";
export { createService, errorBody, type ServiceApp, type ServiceOptions } from "./service.js";
