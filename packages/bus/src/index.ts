export { type BusOptions, connectBus } from "./connection.js";
export { createEventPublisher, type EventPublisher, subjectOf } from "./event-publisher.js";
export { ensureStreams, STREAMS } from "./streams.js";
export { type FollowOptions, type Following, followTask } from "./task-follower.js";
