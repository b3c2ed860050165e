/**
 * Renders a task file as a Jinja2 template with Rally's globals. The engine interprets the
 * template (no code generation), so a template cannot reach JavaScript objects.
 */

import { Template } from "@huggingface/jinja";
import { TaskFileUnloadable } from "@paddock/shared/errors";

const HAS_TEMPLATE = /\{\{|\{%/;

export function renderTemplate(text: string, args: Readonly<Record<string, unknown>>, path: string): string {
  if (!HAS_TEMPLATE.test(text)) return text;
  try {
    return new Template(text).render({ ...args });
  } catch (error) {
    throw new TaskFileUnloadable(`${path}: cannot render the task template: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
