import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { renderEventSchemas } from "./event-schemas.js";
import { EVENT_TYPES } from "./events.js";

const docs = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "docs", "events");

describe("docs/events", () => {
  it("holds an up-to-date JSON Schema for every event type (run `npm run schemas` after changing one)", () => {
    const files = renderEventSchemas();
    expect(Object.keys(files).sort()).toEqual(EVENT_TYPES.map((type) => `${type}.json`).sort());
    for (const [file, text] of Object.entries(files)) {
      expect(readFileSync(join(docs, file), "utf8"), file).toBe(text);
    }
  });
});
