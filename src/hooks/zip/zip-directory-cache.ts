/**
 * CPython's `_zip_directory_cache`: one table of contents per archive path, read on first use and shared
 * by every finder of that archive (the archive itself and directories inside it). importkit also notes the
 * archive's stat (size, mtime, ctime) when it reads, so that a finder can see that the file was replaced and
 * read it again (`revalidate`); CPython keeps using the old table until `invalidate_caches()`.
 */
import { type Awaitable, andThen as then } from "../../core/awaitable.js";
import { ZipImportError } from "../../core/errors.js";
import type { ImportEvents } from "../../core/events.js";
import type { FileStat, FileSystem } from "../../core/fs/file-system.js";
import { pyRepr } from "../../core/values.js";
import {
  type ReadDirectoryOptions,
  readZipDirectory,
  type ZipDirectory,
} from "../../zip/central-directory.js";

/** What a finder holds: the archive's current table, replaced in place when it is read again. */
export class ArchiveIndex {
  constructor(
    readonly archive: string,
    /** null after a failed re-read: zipimport then has no files (`self._files = {}`). */
    public directory: ZipDirectory | null,
    public stamp: string,
  ) {}
}

function stampOf(stat: FileStat): string {
  return `${stat.size}:${stat.mtimeMs}:${stat.ctimeMs ?? ""}`;
}

export class ZipDirectoryCache {
  private readonly indexes = new Map<string, ArchiveIndex>();

  constructor(
    private readonly fs: FileSystem,
    private readonly events: ImportEvents,
    private readonly options: ReadDirectoryOptions = {},
  ) {}

  /** The index of `archive` (a regular file, as `stat` says), read if not cached. */
  get(archive: string, stat: FileStat): Awaitable<ArchiveIndex> {
    const cached = this.indexes.get(archive);
    if (cached !== undefined) return cached;
    return then(this.read(archive, stat), (directory) => {
      const index = new ArchiveIndex(archive, directory, stampOf(stat));
      this.indexes.set(archive, index);
      return index;
    });
  }

  /** Whether the file no longer has the stat the index was read with. */
  isStale(index: ArchiveIndex): boolean {
    const stat = this.fs.stat(index.archive);
    return stat === undefined || stampOf(stat) !== index.stamp;
  }

  /**
   * Read the archive again into `index` (zipimporter.invalidate_caches in 3.11): on failure the index has no
   * files and the archive leaves the cache, so the next finder made for it reads it afresh.
   */
  refresh(index: ArchiveIndex): Awaitable<void> {
    const stat = this.fs.stat(index.archive);
    const failed = () => {
      index.directory = null;
      index.stamp = "";
      this.indexes.delete(index.archive);
    };
    if (stat === undefined || stat.kind !== "file") {
      failed();
      return;
    }
    try {
      return then(
        this.read(index.archive, stat),
        (directory) => {
          index.directory = directory;
          index.stamp = stampOf(stat);
          this.indexes.set(index.archive, index);
        },
        (error) => {
          if (!(error instanceof ZipImportError)) throw error;
          failed();
        },
      );
    } catch (error) {
      if (!(error instanceof ZipImportError)) throw error;
      failed();
    }
  }

  /** Forget every archive (tests, and `ImportSystem.invalidateCaches` through the finders). */
  clear(): void {
    this.indexes.clear();
  }

  private read(archive: string, stat: FileStat): Awaitable<ZipDirectory> {
    return then(readZipDirectory(this.fs, archive, stat.size, this.options), (directory) => {
      if (this.events.active) {
        this.events.emit({
          type: "note",
          message: `zipimport: found ${directory.count} names in ${pyRepr(archive)}`,
        });
      }
      return directory;
    });
  }
}
