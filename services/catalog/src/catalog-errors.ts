/** Errors only the catalog raises; each maps to its HTTP status in @paddock/http's handler. */
import { PaddockError } from "@paddock/shared/errors";

/** A scenario text larger than the catalog accepts. */
export class ScenarioTooLarge extends PaddockError {
  readonly code = "SCENARIO_TOO_LARGE";
  readonly status = 413;
  constructor(readonly limitBytes: number) {
    super(
      `The scenario is too large: the catalog accepts at most ${limitBytes} bytes (${Math.floor(limitBytes / 1024)} KiB, PADDOCK_SCENARIO_MAX_BYTES)`,
    );
  }
}

/** No context preset of that name. */
export class ContextPresetNotFound extends PaddockError {
  readonly code = "CONTEXT_PRESET_NOT_FOUND";
  readonly status = 404;
  constructor(readonly preset: string) {
    super(`There is no context preset '${preset}'`);
  }
}
