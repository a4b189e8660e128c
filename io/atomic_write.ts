/**
 * Writing a file so that a crash, a kill or Ctrl-C at any moment leaves either the old file or the new
 * one, never half of one: write a temporary file in the same folder, then rename it over the target.
 *
 * @module
 */

/**
 * Writes `data` to `path` atomically (temporary file + rename in the same folder).
 *
 * @example
 * ```ts
 * import { writeFileAtomic } from "./atomic_write.ts";
 * const dir = await Deno.makeTempDir();
 * await writeFileAtomic(`${dir}/results.json`, "[]");
 * console.log(await Deno.readTextFile(`${dir}/results.json`)); // []
 * ```
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const slash = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  const temp = `${path.slice(0, slash + 1)}.${path.slice(slash + 1)}.${crypto.randomUUID()}.tmp`;
  try {
    if (typeof data === "string") await Deno.writeTextFile(temp, data);
    else await Deno.writeFile(temp, data);
    await Deno.rename(temp, path);
  } catch (e) {
    await Deno.remove(temp).catch(() => {});
    throw e;
  }
}
