/**
 * An exporter turns tasks into one file format, as a stream of pieces — text, or UTF-8 bytes
 * copied from the store as they are — so the size of a task never decides the memory an export
 * takes.
 */
import type { ExportSource } from "./export-source.js";

export interface Exporter {
  /** The HTTP `content-type` of the output. */
  readonly contentType: string;
  /** File name extension, without the dot. */
  readonly extension: string;
  render(source: ExportSource): AsyncIterable<string | Uint8Array>;
}
