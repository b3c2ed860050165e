/** The errors Rally's Dummy scenarios raise, with Rally's type names and messages. */

/** Rally's `DummyScenarioException`: `Dummy scenario expected exception: '<message>'`. */
export class DummyScenarioException extends Error {
  override name = "DummyScenarioException";
  constructor(message: string) {
    super(`Dummy scenario expected exception: '${message}'`);
  }
}

/** Python's `KeyError`, whose message is the repr of the key. */
export class KeyError extends Error {
  override name = "KeyError";
  constructor(key: string) {
    super(`'${key}'`);
  }
}
