#!/usr/bin/env node
// Writes docs/events/<Type>.json: the JSON Schema of every event envelope, generated from the
// schemas in @paddock/shared, so a subscriber in any language can validate what it receives.
// `npm run schemas` runs it; a test in packages/shared fails when the files are out of date.
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { renderEventSchemas } from "@paddock/shared/event-schemas";

const out = join(resolve(fileURLToPath(new URL(".", import.meta.url)), ".."), "docs", "events");
mkdirSync(out, { recursive: true });
for (const [file, text] of Object.entries(renderEventSchemas())) writeFileSync(join(out, file), text);
console.log(`wrote ${Object.keys(renderEventSchemas()).length} schemas to ${out}`);
