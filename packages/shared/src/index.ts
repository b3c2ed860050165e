export * from "./api.js";
export * from "./config.js";
export * from "./errors.js";
export * from "./event-codec.js";
export * from "./events.js";
export * from "./subjects.js";
export * from "./task-model.js";
