/**
 * Glance v2 image calls, each the request glanceclient makes for Rally (`rally-rest-calls.md`):
 * create, read, list (following `next` pages), JSON-patch update, streamed data upload and
 * download (checked against `Content-MD5`), deactivate, reactivate, delete, and waiting for a
 * status as Rally's `wait_for_status` does.
 */
import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { ImageSource } from "./image-source.js";
import type { KeystoneSession } from "./keystone-session.js";
import { ResourceStatusTimeout, ScenarioAssertionFailed } from "./openstack-errors.js";

/** An image as Glance v2 shows it (base properties; custom ones are extra keys). */
export interface GlanceImage {
  readonly id: string;
  readonly name: string | null;
  readonly status: string;
  readonly visibility: string;
  readonly owner: string | null;
  readonly size: number | null;
  readonly min_disk: number;
  readonly min_ram: number;
  readonly checksum: string | null;
  readonly [property: string]: unknown;
}

/** What `POST /v2/images` sets. */
export interface NewImage {
  readonly name: string;
  readonly container_format: string;
  readonly disk_format: string;
  readonly visibility: string;
  readonly min_disk: number;
  readonly min_ram: number;
  /** Custom properties (Rally's `properties`), sent as top-level keys. */
  readonly properties?: Readonly<Record<string, unknown>> | undefined;
}

/** One operation of an `application/openstack-images-v2.1-json-patch` body. */
export type ImagePatchOperation =
  | { readonly op: "replace" | "add"; readonly path: string; readonly value: unknown }
  | { readonly op: "remove"; readonly path: string };

/** Filters of `GET /v2/images`, in the order glanceclient writes them. */
export interface ImageFilters {
  readonly status?: string | undefined;
  readonly visibility?: string | undefined;
  readonly owner?: string | undefined;
  readonly name?: string | undefined;
}

/** Rally's `glance_image_create_poll_interval` and `glance_image_create_timeout` (seconds). */
export const IMAGE_POLL_INTERVAL_S = 1;
export const IMAGE_STATUS_TIMEOUT_S = 120;

/** glanceclient's page size. */
const PAGE_SIZE = 200;

const JSON_PATCH = "application/openstack-images-v2.1-json-patch";

/** Glance v2 calls as `session`'s user, bound to `signal` (an iteration's, when there is one). */
export class GlanceImages {
  constructor(
    readonly session: KeystoneSession,
    private readonly signal?: AbortSignal | undefined,
  ) {}

  /** `GET /v2/schemas/image` (glanceclient reads it to build its image model). */
  async schema(): Promise<unknown> {
    return (await this.session.call("image", "GET", "/v2/schemas/image", { signal: this.signal })).json();
  }

  async create(image: NewImage): Promise<GlanceImage> {
    const { properties, ...base } = image;
    const response = await this.session.call("image", "POST", "/v2/images", {
      body: { ...base, ...properties },
      signal: this.signal,
    });
    return response.json<GlanceImage>();
  }

  async get(id: string): Promise<GlanceImage> {
    return (await this.session.call("image", "GET", `/v2/images/${id}`, { signal: this.signal })).json();
  }

  /** `PUT /v2/images/{id}/file`: streams `source` to Glance (204 when stored). */
  async upload(id: string, source: ImageSource): Promise<void> {
    const response = await this.session.stream("image", "PUT", `/v2/images/${id}/file`, {
      body: source.stream,
      headers: {
        "content-type": "application/octet-stream",
        ...(source.size === undefined ? {} : { "content-length": String(source.size) }),
      },
      expect: [204],
      signal: this.signal,
    });
    await response.body.dump();
  }

  /**
   * glanceclient's `data(do_checksum=True)`: reads the image (`GET /v2/images/{id}`) for its hash,
   * then `GET /v2/images/{id}/file`, read to its end without keeping it and checked against the
   * image's `os_hash_value` (its `os_hash_algo`, e.g. sha512) or else its MD5 `checksum`. Returns
   * the bytes read.
   */
  async download(id: string): Promise<number> {
    const meta = await this.get(id);
    const algorithm =
      typeof meta.os_hash_algo === "string" && typeof meta.os_hash_value === "string"
        ? meta.os_hash_algo
        : "md5";
    const expected = algorithm === "md5" ? meta.checksum : (meta.os_hash_value as string);
    const response = await this.session.stream("image", "GET", `/v2/images/${id}/file`, {
      expect: [200, 204],
      signal: this.signal,
    });
    const hash = createHash(algorithm);
    let bytes = 0;
    for await (const chunk of response.body) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
    const actual = hash.digest("hex");
    if (response.status === 200 && typeof expected === "string" && expected !== "" && actual !== expected) {
      throw new ScenarioAssertionFailed(
        `the data of image ${id} does not match its ${algorithm} ${expected} (${bytes} bytes read, ${algorithm} ${actual})`,
      );
    }
    return bytes;
  }

  /** Every image matching `filters`, page by page (`GET /v2/images?...&limit=200`, then `next`). */
  async list(filters: ImageFilters = {}): Promise<GlanceImage[]> {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(filters)) if (value !== undefined) query.set(key, value);
    query.set("limit", String(PAGE_SIZE));
    let path: string | undefined = `/v2/images?${query}`;
    const images: GlanceImage[] = [];
    while (path !== undefined) {
      const page: { images: GlanceImage[]; next?: string } = (
        await this.session.call("image", "GET", path, { signal: this.signal })
      ).json();
      images.push(...page.images);
      path = page.next;
    }
    return images;
  }

  /** `PATCH /v2/images/{id}` with a JSON-patch body; returns the image as Glance answers. */
  async patch(id: string, operations: readonly ImagePatchOperation[]): Promise<GlanceImage> {
    const response = await this.session.call("image", "PATCH", `/v2/images/${id}`, {
      body: JSON.stringify(operations),
      contentType: JSON_PATCH,
      signal: this.signal,
    });
    return response.json<GlanceImage>();
  }

  async deactivate(id: string): Promise<void> {
    await this.session.call("image", "POST", `/v2/images/${id}/actions/deactivate`, {
      expect: [204],
      signal: this.signal,
    });
  }

  async reactivate(id: string): Promise<void> {
    await this.session.call("image", "POST", `/v2/images/${id}/actions/reactivate`, {
      expect: [204],
      signal: this.signal,
    });
  }

  async delete(id: string): Promise<void> {
    await this.session.call("image", "DELETE", `/v2/images/${id}`, { expect: [204], signal: this.signal });
  }

  /**
   * Reads the image with `read` (an atomic-timed `get`, as Rally's `update_resource`) until its
   * status is one of `statuses`, every `intervalS` seconds for at most `timeoutS` seconds.
   */
  async waitForStatus(
    id: string,
    statuses: readonly string[],
    read: () => Promise<GlanceImage>,
    timeoutS = IMAGE_STATUS_TIMEOUT_S,
    intervalS = IMAGE_POLL_INTERVAL_S,
  ): Promise<GlanceImage> {
    const deadline = Date.now() + timeoutS * 1000;
    for (;;) {
      const image = await read();
      if (statuses.includes(image.status)) return image;
      if (image.status === "killed" || image.status === "deleted") {
        throw new ResourceStatusTimeout(
          `image ${id} went to status '${image.status}' while waiting for ${statuses.join(" or ")}`,
        );
      }
      if (Date.now() + intervalS * 1000 > deadline) {
        throw new ResourceStatusTimeout(
          `image ${id} is still '${image.status}' after ${timeoutS} s waiting for ${statuses.join(" or ")}`,
        );
      }
      await sleep(intervalS * 1000, undefined, { signal: this.signal });
    }
  }
}

/** Times `fn` as an atomic action (a scenario's `ctx.atomic`), or just runs it (a context). */
export type AtomicTimer = <T>(name: string, fn: () => Promise<T>) => Promise<T>;

/** Runs `fn` untimed: what contexts pass as their `AtomicTimer`. */
export const untimed: AtomicTimer = (_name, fn) => fn();

/** What Rally's `glance_v2.create_image` takes. */
export interface ImageToCreate extends NewImage {
  /** A file path or an http(s) URL (see `openImageSource`). */
  readonly location: string;
}

/**
 * Rally's `glance_v2.create_image` with glanceclient's requests: read the image schema, create the
 * image, wait until it is `queued`, upload its data (`glance_v2.upload_data`, streamed from the
 * location), wait until it is `active` (each wait a `glance_v2.get_image`). Rally also sleeps
 * `glance_image_create_prepoll_delay` (2 s) after creating; Paddock does not wait for nothing.
 * `onCreated` gets the image's id as soon as Glance has it (for clean-up of a failed upload).
 */
export async function createImage(
  images: GlanceImages,
  image: ImageToCreate,
  time: AtomicTimer,
  open: (location: string) => Promise<ImageSource>,
  onCreated: (id: string) => void = () => undefined,
): Promise<GlanceImage> {
  const { location, ...fields } = image;
  return time("glance_v2.create_image", async () => {
    await images.schema();
    const created = await images.create(fields);
    onCreated(created.id);
    const read = () => time("glance_v2.get_image", () => images.get(created.id));
    await images.waitForStatus(created.id, ["queued"], read);
    await time("glance_v2.upload_data", async () => {
      await images.schema();
      const source = await open(location);
      try {
        await images.upload(created.id, source);
      } finally {
        source.close();
      }
    });
    return images.waitForStatus(created.id, ["active"], read);
  });
}
