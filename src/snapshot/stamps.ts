/**
 * Is a frozen module still what the path importer would load? Three checks, cheapest first: the search path
 * begins with the entries it was found through; no entry holds other files named like the module than it
 * did (a directory whose mtime moved is listed again, once per mtime, and only the names `stem` and
 * `stem.*` compared, so unrelated files coming and going change nothing); and the module's file is
 * unchanged (mtime and size, or content).
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

/** The names in `listing` a module `stem` could be found as: `stem` itself (a package) or `stem.*` (files). */
function namesLike(listing: readonly string[], stem: string): string[] {
  const prefix = `${stem}.`;
  return listing.filter((name) => name === stem || name.startsWith(prefix)).sort();
}

function listingOf(fs: FileSystem, dir: string): string[] {
  return (fs.readdir(dir) ?? []).map((entry) => entry.name);
}

/** How `entry` looks now, for a module whose last name component is `stem`. */
export function entryStampOf(fs: FileSystem, entry: string, stem: string): EntryStamp {
  const path = entryPath(fs, entry);
  const stat = fs.stat(path);
  if (stat === undefined) return { kind: "missing" };
  if (stat.kind === "dir")
    return { kind: "dir", mtimeMs: stat.mtimeMs, names: namesLike(listingOf(fs, path), stem) };
  return { kind: stat.kind, mtimeMs: stat.mtimeMs, size: stat.size };
}

/** Directory listings by path, kept while the directory's mtime stays (as FileFinder keeps its own). */
export class DirectoryListings {
  private readonly listings = new Map<
    string,
    { readonly mtimeMs: number; readonly names: readonly string[] }
  >();

  names(fs: FileSystem, dir: string, mtimeMs: number): readonly string[] {
    const known = this.listings.get(dir);
    if (known !== undefined && known.mtimeMs === mtimeMs) return known.names;
    const names = listingOf(fs, dir);
    this.listings.set(dir, { mtimeMs, names });
    return names;
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Whether `entry` still looks as `stamp` says, as far as a module named `stem` can tell. */
function entryUnchanged(
  fs: FileSystem,
  entry: string,
  stamp: EntryStamp,
  stem: string,
  listings: DirectoryListings,
): boolean {
  const path = entryPath(fs, entry);
  const stat = fs.stat(path);
  if (stat === undefined || stamp.kind === "missing") return stat === undefined && stamp.kind === "missing";
  if (stat.kind !== stamp.kind) return false;
  if (stamp.kind !== "dir") return stat.mtimeMs === stamp.mtimeMs && stat.size === stamp.size;
  // Same mtime: same entries. Else compare only the names the module could be found as.
  return (
    stat.mtimeMs === stamp.mtimeMs ||
    sameList(namesLike(listings.names(fs, path, stat.mtimeMs), stem), stamp.names)
  );
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
  listings: DirectoryListings,
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
  const stem = module.name.slice(module.name.lastIndexOf(".") + 1);
  for (let i = 0; i < search.entries.length; i++) {
    const entry = search.entries[i]!;
    if (!entryUnchanged(fs, entry, search.stamps[i]!, stem, listings))
      return stale(
        `path entry ${JSON.stringify(entry)} changed since the snapshot (files named like ${stem})`,
      );
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
