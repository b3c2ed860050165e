/**
 * Encoding, decoding and validating event envelopes. Decoding validates the envelope and the
 * data against the type's schema and names the first bad field, so a consumer can park a
 * malformed event with a precise reason.
 */
import { randomUUID } from "node:crypto";
import Compile, { type Validator } from "typebox/compile";
import { PaddockError } from "./errors.js";
import {
  type AnyPaddockEvent,
  EVENT_TYPES,
  type EventDataOf,
  type EventType,
  envelopeSchema,
  type PaddockEvent,
} from "./events.js";

export class EventInvalid extends PaddockError {
  readonly code = "EVENT_INVALID";
  readonly status = 400;
}

const validators = new Map<EventType, Validator>();

function validatorFor(type: EventType): Validator {
  let validator = validators.get(type);
  if (validator === undefined) {
    validator = Compile(envelopeSchema(type));
    validators.set(type, validator);
  }
  return validator;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Makes a new event with a fresh id, stamped by `now` (injected for tests). */
export function createEvent<T extends EventType>(
  type: T,
  taskId: string,
  data: EventDataOf<T>,
  now: () => Date = () => new Date(),
): PaddockEvent<T> {
  return { id: randomUUID(), type, taskId, occurredAt: now().toISOString(), data };
}

export function encodeEvent(event: PaddockEvent): Uint8Array {
  return encoder.encode(JSON.stringify(event));
}

/** Validates an already parsed value as an event envelope. Throws `EventInvalid` naming the field. */
export function validateEvent(value: unknown): AnyPaddockEvent {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new EventInvalid("event is not a JSON object");
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type !== "string" || !EVENT_TYPES.includes(type as EventType)) {
    throw new EventInvalid(`event has unknown type ${JSON.stringify(type)}`, {
      problems: [{ path: "/type", message: `expected one of ${EVENT_TYPES.join(", ")}` }],
    });
  }
  const validator = validatorFor(type as EventType);
  if (!validator.Check(value)) {
    const problems = validator
      .Errors(value)
      .slice(0, 5)
      .map((error) => ({ path: error.instancePath || "/", message: error.message }));
    const first = problems[0];
    throw new EventInvalid(`${type} event is malformed${first ? `: ${first.path} ${first.message}` : ""}`, {
      problems,
    });
  }
  return value as AnyPaddockEvent;
}

/** Parses and validates the bytes of one event. */
export function decodeEvent(bytes: Uint8Array): AnyPaddockEvent {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(bytes));
  } catch (error) {
    throw new EventInvalid(`event is not JSON: ${(error as Error).message}`, { cause: error });
  }
  return validateEvent(value);
}
