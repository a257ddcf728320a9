/**
 * Is a frozen module still what the path importer would load? Three checks, cheapest first: the search path
 * begins with the entries it was found through; those entries look as they did (a directory's mtime moves
 * when a file that could shadow the module appears); and its file is unchanged (mtime and size, or content).
 */
import { createHash } from "node:crypto";
import type { FileSystem } from "../core/fs/file-system.js";
import { FileSystemError, joinPath, splitPath } from "../core/fs/file-system.js";
import type { EntryStamp, SnapshotModule, SourceIdentity } from "./index-schema.js";

/** A path entry as a file-system path: `""` is the current directory, a relative entry is under it. */
export function entryPath(fs: FileSystem, entry: string): string {
  if (entry === "") return fs.cwd();
  return entry.startsWith("/") ? entry : joinPath(fs.cwd(), entry);
}

export function entryStampOf(fs: FileSystem, entry: string): EntryStamp {
  const stat = fs.stat(entryPath(fs, entry));
  if (stat === undefined) return { kind: "missing" };
  return { kind: stat.kind, mtimeMs: stat.mtimeMs, size: stat.kind === "dir" ? 0 : stat.size };
}

function sameStamp(a: EntryStamp, b: EntryStamp): boolean {
  if (a.kind === "missing" || b.kind === "missing") return a.kind === b.kind;
  return a.kind === b.kind && a.mtimeMs === b.mtimeMs && a.size === b.size;
}

/** The file whose identity stands for `origin`: the origin itself, or the archive an archive member lies in. */
export function identityFileOf(fs: FileSystem, origin: string): string | null {
  let path = origin;
  while (path !== "" && path !== "/") {
    const stat = fs.stat(path);
    if (stat !== undefined) return stat.kind === "file" ? path : null;
    const [head] = splitPath(path);
    if (head === path) break;
    path = head;
  }
  return null;
}

function sha256(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** The identity of `file` now, or null when it is gone. */
export function sourceIdentityOf(
  fs: FileSystem,
  file: string,
  mode: "stamp" | "hash",
): SourceIdentity | null {
  const stat = fs.stat(file);
  if (stat === undefined || stat.kind !== "file") return null;
  if (mode === "stamp") return { file, mtimeMs: stat.mtimeMs, size: stat.size };
  return { file, sha256: sha256(fs.readFile(file)) };
}

/**
 * Why `module` may not be served on `entries` (the search path of this import), or null when it may:
 * "elsewhere" when the search path is another one (the snapshot does not apply), "stale" when files changed.
 */
export function checkModule(
  fs: FileSystem,
  module: SnapshotModule,
  entries: readonly string[],
): { readonly kind: "elsewhere" | "stale"; readonly reason: string } | null {
  const { search, source } = module;
  const stale = (reason: string) => ({ kind: "stale" as const, reason });
  for (let i = 0; i < search.entries.length; i++) {
    const entry = search.entries[i]!;
    if (entries[i] !== entry) {
      const reason = `the search path differs from the snapshot's at entry ${i} (${JSON.stringify(entry)})`;
      return { kind: "elsewhere", reason };
    }
  }
  for (let i = 0; i < search.entries.length; i++) {
    const entry = search.entries[i]!;
    if (!sameStamp(entryStampOf(fs, entry), search.stamps[i]!))
      return stale(`path entry ${JSON.stringify(entry)} changed since the snapshot`);
  }
  const stat = fs.stat(source.file);
  if (stat === undefined || stat.kind !== "file") return stale(`${source.file} is gone`);
  if ("sha256" in source) {
    let data: Uint8Array;
    try {
      data = fs.readFile(source.file);
    } catch (error) {
      if (!(error instanceof FileSystemError)) throw error;
      return stale(`${source.file} cannot be read (${error.code})`);
    }
    return sha256(data) === source.sha256
      ? null
      : stale(`${source.file} changed since the snapshot (content)`);
  }
  if (stat.mtimeMs !== source.mtimeMs || stat.size !== source.size)
    return stale(`${source.file} changed since the snapshot (mtime or size)`);
  return null;
}
