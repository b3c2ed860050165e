/**
 * The `GlanceImages` scenarios that need no Nova, as the iteration's user: create_and_list_image,
 * create_and_get_image, create_and_delete_image, create_and_update_image,
 * create_and_download_image, create_and_deactivate_image and list_images. Images are created as
 * Rally's `glance_v2.create_image` does (see `createImage`), with a random `paddock_<run>_` name,
 * and the hidden `cleanup: [glance]` context deletes the ones the iterations leave.
 */
import {
  createImage,
  type GlanceImage,
  GlanceImages,
  type ImagePatchOperation,
} from "../../openstack/glance-images.js";
import { openImageSource } from "../../openstack/image-source.js";
import { randomNameOf } from "../../openstack/openstack-environment.js";
import { ScenarioAssertionFailed } from "../../openstack/openstack-errors.js";
import { defineScenario, type ScenarioContext, Type } from "../../plugin.js";
import { iterationUser } from "./openstack-scenario.js";

const USER_GLANCE_CLEANUP = { cleanup: ["glance"] } as const;

const literals = (values: readonly string[], description: string) => Type.Enum([...values], { description });

const imageFields = {
  container_format: literals(["ami", "ari", "aki", "bare", "ovf"], "Container format of the image."),
  image_location: Type.String({
    description: "The image data: a file on the runner's machine or an http(s) URL.",
  }),
  disk_format: literals(
    ["ami", "ari", "aki", "vhd", "vmdk", "raw", "qcow2", "vdi", "iso"],
    "Disk format of the image.",
  ),
  visibility: Type.Optional(
    literals(["private", "public", "shared", "community"], "Who may see the image (default private)."),
  ),
};

const createArgs = Type.Object(
  {
    ...imageFields,
    min_disk: Type.Optional(Type.Integer({ minimum: 0, description: "Minimum disk (GB), default 0." })),
    min_ram: Type.Optional(Type.Integer({ minimum: 0, description: "Minimum RAM (MB), default 0." })),
    properties: Type.Optional(
      Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], {
        description: "Custom image properties.",
      }),
    ),
  },
  { additionalProperties: false },
);

interface CreateFields {
  readonly container_format: string;
  readonly image_location: string;
  readonly disk_format: string;
  readonly visibility?: string | undefined;
  readonly min_disk?: number | undefined;
  readonly min_ram?: number | undefined;
  readonly properties?: Readonly<Record<string, unknown>> | null | undefined;
}

/** The iteration user's Glance calls and `glance_v2.create_image` of one image. */
async function createOne(
  ctx: ScenarioContext,
  fields: CreateFields,
): Promise<{ images: GlanceImages; image: GlanceImage }> {
  const { session } = await iterationUser(ctx);
  const images = new GlanceImages(session, ctx.signal);
  const image = await createImage(
    images,
    {
      name: randomNameOf(ctx.environment),
      location: fields.image_location,
      container_format: fields.container_format,
      disk_format: fields.disk_format,
      visibility: fields.visibility ?? "private",
      min_disk: fields.min_disk ?? 0,
      min_ram: fields.min_ram ?? 0,
      properties: fields.properties ?? undefined,
    },
    (name, fn) => ctx.atomic(name, fn),
    (location) => openImageSource(location, ctx.signal),
  );
  return { images, image };
}

export const glanceCreateAndListImage = defineScenario({
  name: "GlanceImages.create_and_list_image",
  description:
    "Create an image (data uploaded, waited for until active), then list the active images and find it.",
  args: createArgs,
  contexts: USER_GLANCE_CLEANUP,
  async run(ctx, args) {
    const { images, image } = await createOne(ctx, args);
    const listed = await ctx.atomic("glance_v2.list_images", () => images.list({ status: "active" }));
    if (!listed.some((item) => item.id === image.id)) {
      throw new ScenarioAssertionFailed(
        `image ${image.id} is not in the list of active images (${listed.length} listed)`,
      );
    }
  },
});

export const glanceCreateAndGetImage = defineScenario({
  name: "GlanceImages.create_and_get_image",
  description: "Create an image, then read its details.",
  args: createArgs,
  contexts: USER_GLANCE_CLEANUP,
  async run(ctx, args) {
    const { images, image } = await createOne(ctx, args);
    const read = await ctx.atomic("glance_v2.get_image", () => images.get(image.id));
    if (read.id !== image.id) {
      throw new ScenarioAssertionFailed(`Glance returned image ${read.id} for ${image.id}`);
    }
  },
});

export const glanceCreateAndDeleteImage = defineScenario({
  name: "GlanceImages.create_and_delete_image",
  description: "Create an image, then delete it.",
  args: createArgs,
  contexts: USER_GLANCE_CLEANUP,
  async run(ctx, args) {
    const { images, image } = await createOne(ctx, args);
    await ctx.atomic("glance_v2.delete_image", () => images.delete(image.id));
  },
});

export const glanceCreateAndDownloadImage = defineScenario({
  name: "GlanceImages.create_and_download_image",
  description: "Create an image, then download its data (streamed, checked against its checksum).",
  args: createArgs,
  contexts: USER_GLANCE_CLEANUP,
  async run(ctx, args) {
    const { images, image } = await createOne(ctx, args);
    await ctx.atomic("glance_v2.download_image", () => images.download(image.id));
  },
});

export const glanceCreateAndDeactivateImage = defineScenario({
  name: "GlanceImages.create_and_deactivate_image",
  description: "Create an image, then deactivate it.",
  args: Type.Object(
    {
      ...imageFields,
      min_disk: Type.Optional(Type.Integer({ minimum: 0, description: "Minimum disk (GB), default 0." })),
      min_ram: Type.Optional(Type.Integer({ minimum: 0, description: "Minimum RAM (MB), default 0." })),
    },
    { additionalProperties: false },
  ),
  contexts: USER_GLANCE_CLEANUP,
  async run(ctx, args) {
    const { images, image } = await createOne(ctx, args);
    await ctx.atomic("glance_v2.deactivate_image", () => images.deactivate(image.id));
  },
});

/**
 * The JSON-patch glanceclient sends for `update(name=, min_disk=, min_ram=, remove_props=)`: only
 * the fields that change, `add` for a field the image lacks, `remove` for listed properties it has.
 */
export function updateOperations(
  image: GlanceImage,
  changes: Readonly<Record<string, unknown>>,
  removeProps: readonly string[],
): ImagePatchOperation[] {
  const operations: ImagePatchOperation[] = [];
  for (const [key, value] of Object.entries(changes)) {
    if (!(key in image)) operations.push({ op: "add", path: `/${key}`, value });
    else if (image[key] !== value) operations.push({ op: "replace", path: `/${key}`, value });
  }
  for (const key of removeProps) {
    if (key in image && !(key in changes)) operations.push({ op: "remove", path: `/${key}` });
  }
  return operations;
}

export const glanceCreateAndUpdateImage = defineScenario({
  name: "GlanceImages.create_and_update_image",
  description:
    "Create an image, then give it a new random name and the update's min_disk/min_ram (JSON patch).",
  args: Type.Object(
    {
      ...imageFields,
      remove_props: Type.Optional(
        Type.Union([Type.Array(Type.String()), Type.Null()], { description: "Properties to remove." }),
      ),
      create_min_disk: Type.Optional(Type.Integer({ minimum: 0, description: "min_disk at creation (GB)." })),
      create_min_ram: Type.Optional(Type.Integer({ minimum: 0, description: "min_ram at creation (MB)." })),
      create_properties: Type.Optional(
        Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], {
          description: "Custom properties at creation.",
        }),
      ),
      update_min_disk: Type.Optional(
        Type.Integer({ minimum: 0, description: "min_disk set by the update (GB)." }),
      ),
      update_min_ram: Type.Optional(
        Type.Integer({ minimum: 0, description: "min_ram set by the update (MB)." }),
      ),
    },
    { additionalProperties: false },
  ),
  contexts: USER_GLANCE_CLEANUP,
  async run(ctx, args) {
    const { images, image } = await createOne(ctx, {
      ...args,
      min_disk: args.create_min_disk,
      min_ram: args.create_min_ram,
      properties: args.create_properties,
    });
    await ctx.atomic("glance_v2.update_image", async () => {
      // glanceclient reads the image, patches what differs, and reads it again.
      const current = await images.get(image.id);
      const operations = updateOperations(
        current,
        {
          name: randomNameOf(ctx.environment),
          min_disk: args.update_min_disk ?? 0,
          min_ram: args.update_min_ram ?? 0,
        },
        args.remove_props ?? [],
      );
      await images.patch(image.id, operations);
      return images.get(image.id);
    });
  },
});

export const glanceListImages = defineScenario({
  name: "GlanceImages.list_images",
  description: "List the active images the iteration's user can see.",
  args: Type.Object({}, { additionalProperties: false }),
  async run(ctx) {
    const { session } = await iterationUser(ctx);
    const images = new GlanceImages(session, ctx.signal);
    await ctx.atomic("glance_v2.list_images", () => images.list({ status: "active" }));
  },
});
