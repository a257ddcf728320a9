/** Turning a file's content (FORMAT.md, "File content") into bytes, as the oracle's `render` does. */
import type { FileContent, ZipContent } from "./format.js";
import { DEFAULT_MTIME, isDirContent } from "./format.js";
import { compareCodePoints } from "./py-order.js";
import type { ZipArchiveEntry } from "./zip-archive.js";
import { writeZipArchive } from "./zip-archive.js";

export interface RenderedFile {
  readonly data: Uint8Array;
  /** The explicit mtime, or undefined for the default. */
  readonly mtime: number | undefined;
}

/** The bytes of a file content (not a directory). */
export async function renderFile(content: Exclude<FileContent, { dir: true }>): Promise<RenderedFile> {
  if (typeof content === "string") return { data: utf8(content), mtime: undefined };
  if ("text" in content) return { data: utf8(content.text), mtime: content.mtime };
  if ("base64" in content)
    return { data: new Uint8Array(Buffer.from(content.base64, "base64")), mtime: content.mtime };
  return { data: await buildZip(content), mtime: content.mtime };
}

function utf8(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, "utf8"));
}

/** The oracle's `zip_entries` + `build_zip`: sorted entries, implied `dir/` entries unless `dir_entries: false`. */
export async function buildZip(content: ZipContent): Promise<Uint8Array> {
  const entries = new Map<string, { data: Uint8Array | null; mtime: number | undefined }>();
  for (const [name, entry] of Object.entries(content.zip)) {
    if (isDirContent(entry)) {
      entries.set(`${name.replace(/\/+$/, "")}/`, { data: null, mtime: entry.mtime });
    } else {
      entries.set(name, await renderFile(entry));
    }
  }
  if (content.dir_entries ?? true) {
    for (const name of [...entries.keys()]) {
      const parts = name.replace(/\/+$/, "").split("/").slice(0, -1);
      for (let i = 1; i <= parts.length; i++) {
        const dir = `${parts.slice(0, i).join("/")}/`;
        if (!entries.has(dir)) entries.set(dir, { data: null, mtime: undefined });
      }
    }
  }
  const sorted: ZipArchiveEntry[] = [...entries.entries()]
    .sort(([a], [b]) => compareCodePoints(a, b))
    .map(([name, { data, mtime }]) => ({ name, data, mtime: mtime ?? DEFAULT_MTIME }));
  return writeZipArchive(sorted, (content.compression ?? "stored") === "deflated");
}
