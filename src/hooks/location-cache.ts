/**
 * What importkit knows about directories' contents right now, shared by every directory finder.
 *
 * CPython's FileFinder keeps a listing per directory (refreshed when the directory's mtime changes) and
 * then confirms every candidate with a live stat (`_path_isfile`, `_path_isdir`): 2.37 stats per warm
 * lookup. Those live stats are only needed because a listing can be stale. This cache answers them from
 * a listing taken with entry types (d_type) and validated by the directory's change stamp — mtime *and*
 * ctime: ctime moves on every entry added, removed or renamed and whenever the mtime is set, and cannot
 * be set back — so a live answer costs no call while the stamp holds. One stat of the directory, which
 * the finder makes anyway, validates it.
 *
 * A listing taken within `racyWindowMs` of the directory's last change is not trusted (a change in the
 * same clock tick could leave the ctime equal — git's "racy" index entries): it is re-read on next use
 * until the directory has been quiet for longer than the window. File systems that do not report a
 * faithful ctime get no live answers: callers fall back to a stat per candidate, as CPython does.
 */
import type { EntryKind, FileStat, FileSystem } from "../core/fs/file-system.js";
import { joinPath } from "../core/fs/file-system.js";

export class DirectoryContents {
  constructor(
    /** Entry names, as CPython's `_path_cache` would hold them after a listing now. */
    readonly names: ReadonlySet<string>,
    private readonly kinds: ReadonlyMap<string, EntryKind>,
    readonly mtimeMs: number,
    readonly ctimeMs: number,
    readonly trusted: boolean,
  ) {}

  /** `_path_isfile(join(dir, name))`, answered from the listing (a symlink still needs a stat). */
  isFile(fs: FileSystem, dir: string, name: string): boolean {
    const kind = this.kinds.get(name);
    if (kind === "file") return true;
    if (kind === "symlink") return fs.stat(joinPath(dir, name))?.kind === "file";
    return false;
  }

  /** The listing says a regular file: not a symlink, whose target could change without the stamp moving. */
  isPlainFile(name: string): boolean {
    return this.kinds.get(name) === "file";
  }

  /** `_path_isdir(join(dir, name))`. */
  isDir(fs: FileSystem, dir: string, name: string): boolean {
    const kind = this.kinds.get(name);
    if (kind === "dir") return true;
    if (kind === "symlink") return fs.stat(joinPath(dir, name))?.kind === "dir";
    return false;
  }
}

export class LocationCache {
  private readonly dirs = new Map<string, DirectoryContents>();
  /** Listings read (for tests and traces). */
  listings = 0;

  constructor(
    private readonly fs: FileSystem,
    private readonly racyWindowMs = 50,
  ) {}

  /**
   * The contents of `dir` as they are now, given a stat of it made just before; undefined when the file
   * system cannot vouch for its change stamp (then stat each candidate) or the directory cannot be listed.
   */
  current(dir: string, stat: FileStat): DirectoryContents | undefined {
    const ctimeMs = stat.ctimeMs;
    if (ctimeMs === undefined) return undefined;
    const known = this.dirs.get(dir);
    if (known?.trusted && known.mtimeMs === stat.mtimeMs && known.ctimeMs === ctimeMs) return known;
    return this.list(dir, stat.mtimeMs, ctimeMs);
  }

  /** Forget everything (`invalidate_caches`). */
  clear(): void {
    this.dirs.clear();
  }

  private list(dir: string, mtimeMs: number, ctimeMs: number): DirectoryContents | undefined {
    const listedAt = Date.now();
    const entries = this.fs.readdir(dir);
    this.listings++;
    if (entries === undefined) {
      this.dirs.delete(dir);
      return undefined;
    }
    const names = new Set<string>();
    const kinds = new Map<string, EntryKind>();
    for (const entry of entries) {
      names.add(entry.name);
      kinds.set(entry.name, entry.kind);
    }
    const contents = new DirectoryContents(
      names,
      kinds,
      mtimeMs,
      ctimeMs,
      listedAt - ctimeMs > this.racyWindowMs,
    );
    this.dirs.set(dir, contents);
    return contents;
  }
}
