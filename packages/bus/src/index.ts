export {
  type BusOptions,
  busConnectionOptions,
  connectBus,
  NATS_VARIABLES,
  redactNatsUrl,
} from "./connection.js";
export { createEventPublisher, type EventPublisher, subjectOf } from "./event-publisher.js";
export { ensureStreams, STREAMS } from "./streams.js";
export { type Following, type FollowOptions, followTask } from "./task-follower.js";
