/**
 * The bytes of an image, from an `image_location` (scenarios) or `image_url` (`images` context)
 * as Rally reads them: a local file (`~` expanded) when one exists at that path, otherwise an
 * http(s) URL fetched as a stream (certificates not verified, as Rally's `verify=False`).
 * Nothing is buffered: the stream is handed to Glance's upload as it arrives.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { homedir } from "node:os";
import type { Readable } from "node:stream";
import { describeError } from "@paddock/shared/errors";
import { ImageSourceUnreadable } from "./openstack-errors.js";
import { OpenStackTransport } from "./openstack-transport.js";

/** Image bytes ready to send. */
export interface ImageSource {
  readonly stream: Readable;
  /** Bytes, when the file or the server said. */
  readonly size: number | undefined;
  /** Releases the file or connection when the stream was not read to its end. */
  close(): void;
}

const insecure = new OpenStackTransport({ insecure: true });

/** Opens `location` (a path or an http(s) URL) for reading, or throws `ImageSourceUnreadable`. */
export async function openImageSource(location: string, signal?: AbortSignal): Promise<ImageSource> {
  const path = location.startsWith("~/") ? `${homedir()}${location.slice(1)}` : location;
  const file = await stat(path).catch(() => undefined);
  if (file?.isFile() === true) {
    const stream = createReadStream(path);
    return { stream, size: file.size, close: () => stream.destroy() };
  }
  if (!/^https?:\/\//i.test(location)) {
    throw new ImageSourceUnreadable(
      `image location '${location}' is neither a file on the runner's machine nor an http(s) URL`,
    );
  }
  let response: Awaited<ReturnType<OpenStackTransport["open"]>>;
  try {
    response = await insecure.open(location, { method: "GET", signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ImageSourceUnreadable(`cannot download the image from ${location}: ${describeError(error)}`, {
      cause: error,
    });
  }
  if (response.status !== 200) {
    await response.body.dump().catch(() => undefined);
    throw new ImageSourceUnreadable(`GET ${location} answered ${response.status}: the image cannot be read`);
  }
  const length = Number(response.headers.get("content-length") ?? Number.NaN);
  return {
    stream: response.body,
    size: Number.isFinite(length) ? length : undefined,
    close: () => response.body.destroy(),
  };
}
