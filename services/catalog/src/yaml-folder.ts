import { readdir } from "node:fs/promises";

/**
 * The visible `.yaml`/`.yml` files directly in `root`, sorted by name; `undefined` when the
 * folder cannot be read (a missing folder simply has nothing in it).
 */
export async function listYamlFiles(root: string): Promise<string[] | undefined> {
  try {
    const items = await readdir(root, { withFileTypes: true });
    return items
      .filter((item) => item.isFile() && !item.name.startsWith(".") && /\.ya?ml$/i.test(item.name))
      .map((item) => item.name)
      .sort();
  } catch {
    return undefined;
  }
}
