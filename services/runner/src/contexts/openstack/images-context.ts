/**
 * `images` (Rally's `images@openstack`): before the load, creates `images_per_tenant` images in
 * every project of the run, as the project's first user, with data from `image_url` (a file on
 * the runner's machine or an http(s) URL), each waited for until `active`; deletes exactly those
 * images at clean-up. Names are random with the run's prefix unless `image_name` is given (and
 * `images_per_tenant` is 1, as in Rally).
 */
import Type from "typebox";
import { createImage, GlanceImages, untimed } from "../../openstack/glance-images.js";
import { openImageSource } from "../../openstack/image-source.js";
import type { KeystoneSession } from "../../openstack/keystone-session.js";
import { adminSessionOf, randomNameOf } from "../../openstack/openstack-environment.js";
import type { ScenarioEnvironment } from "../../plugin.js";
import { ContextError, defineContext } from "../context.js";
import { idsOf, oneUserPerTenantOf } from "./users-context.js";

const DISK_FORMATS = ["qcow2", "raw", "vhd", "vmdk", "vdi", "iso", "aki", "ari", "ami"] as const;
const CONTAINER_FORMATS = ["aki", "ami", "ari", "bare", "docker", "ova", "ovf"] as const;

const literals = (values: readonly string[], description: string) => Type.Enum([...values], { description });

const schema = Type.Object(
  {
    image_url: Type.Optional(Type.String({ description: "File or http(s) URL of the image data." })),
    disk_format: Type.Optional(literals(DISK_FORMATS, "The format of the disk.")),
    container_format: Type.Optional(literals(CONTAINER_FORMATS, "Format of the image container.")),
    image_name: Type.Optional(
      Type.String({ description: "Name of the image (only with images_per_tenant 1)." }),
    ),
    min_ram: Type.Optional(Type.Integer({ minimum: 0, description: "Amount of RAM in MB" })),
    min_disk: Type.Optional(Type.Integer({ minimum: 0, description: "Amount of disk space in GB" })),
    visibility: Type.Optional(literals(["public", "private", "shared", "community"], "Visibility")),
    images_per_tenant: Type.Optional(
      Type.Integer({ minimum: 1, description: "Images to create per project (default 1)." }),
    ),
    image_args: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: "Deprecated (Rally 0.10): is_public, min_ram, min_disk.",
      }),
    ),
    image_container: Type.Optional(Type.String({ description: "Deprecated: container_format." })),
    image_type: Type.Optional(literals(DISK_FORMATS, "Deprecated: disk_format.")),
  },
  { additionalProperties: false },
);

interface CreatedImage {
  readonly id: string;
  readonly projectId: string;
  readonly session: KeystoneSession;
}

const imagesByRun = new WeakMap<ScenarioEnvironment, CreatedImage[]>();

/** The ids of the images the context created in project `projectId` (Rally's `tenant["images"]`). */
export function imagesOfProject(environment: ScenarioEnvironment, projectId: string): string[] {
  return (imagesByRun.get(environment) ?? [])
    .filter((image) => image.projectId === projectId)
    .map((image) => image.id);
}

async function deleteAll(environment: ScenarioEnvironment): Promise<string[]> {
  const created = imagesByRun.get(environment) ?? [];
  imagesByRun.delete(environment);
  const problems: string[] = [];
  const admin = environment.spec.admin === undefined ? undefined : adminSessionOf(environment);
  for (const image of created) {
    await new GlanceImages(admin ?? image.session).delete(image.id).catch((error: unknown) => {
      if ((error as { httpStatus?: number }).httpStatus !== 404) {
        problems.push(`image ${image.id}: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
  }
  return problems;
}

export const imagesContext = defineContext({
  name: "images",
  description:
    "Creates images_per_tenant images (data from image_url) in every project of the run; deletes them at the end.",
  order: 410,
  schema,
  async setup(config, environment) {
    const diskFormat = config.disk_format ?? config.image_type;
    const containerFormat = config.container_format ?? config.image_container;
    if (config.image_url === undefined || diskFormat === undefined || containerFormat === undefined) {
      throw new ContextError(
        "images: needs image_url, disk_format (or image_type) and container_format (or image_container)",
      );
    }
    const legacy = config.image_args ?? {};
    const visibility =
      config.visibility ??
      (legacy.is_public === undefined ? "private" : legacy.is_public ? "public" : "private");
    const minRam = config.min_ram ?? (typeof legacy.min_ram === "number" ? legacy.min_ram : 0);
    const minDisk = config.min_disk ?? (typeof legacy.min_disk === "number" ? legacy.min_disk : 0);
    const perTenant = config.images_per_tenant ?? 1;
    const created: CreatedImage[] = [];
    imagesByRun.set(environment, created);
    try {
      const users = oneUserPerTenantOf(environment);
      if (users.length === 0)
        throw new ContextError("images: the run has no users (add a users context or spec.users)");
      for (const user of users) {
        const { projectId } = await idsOf(user);
        const images = new GlanceImages(user.session);
        for (let i = 0; i < perTenant; i += 1) {
          await createImage(
            images,
            {
              name:
                config.image_name !== undefined && perTenant === 1
                  ? config.image_name
                  : randomNameOf(environment),
              location: config.image_url,
              container_format: containerFormat,
              disk_format: diskFormat,
              visibility,
              min_disk: minDisk,
              min_ram: minRam,
            },
            untimed,
            (location) => openImageSource(location),
            (id) => created.push({ id, projectId, session: user.session }),
          );
        }
      }
    } catch (error) {
      await deleteAll(environment).catch(() => undefined);
      throw error;
    }
  },
  async cleanup(_config, environment) {
    const problems = await deleteAll(environment);
    if (problems.length > 0) throw new ContextError(`images: could not delete ${problems.join("; ")}`);
  },
});
