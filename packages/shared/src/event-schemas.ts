/**
 * The JSON Schema documents published in `docs/events/`: one file per event type, as text.
 */
import { EVENT_TYPES, envelopeSchema } from "./events.js";

const DRAFT = "https://json-schema.org/draft/2020-12/schema";

/** File name → JSON text, for every event type. */
export function renderEventSchemas(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const type of EVENT_TYPES) {
    const schema = { $schema: DRAFT, ...JSON.parse(JSON.stringify(envelopeSchema(type))) };
    files[`${type}.json`] = `${JSON.stringify(schema, null, 2)}\n`;
  }
  return files;
}
