/**
 * The real disk, through node:fs's synchronous calls. `stat` is the hottest call of the whole project
 * (every directory finder probes through it), so it allocates one small object and nothing else.
 */
import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { resolve as resolvePosix } from "node:path/posix";
import type { DirEntry, FileStat, FileSystem } from "./file-system.js";
import {
  checkReadRange,
  type DirentLike,
  errorCode,
  toDirEntry,
  toFileStat,
  toFileSystemError,
  UNLISTABLE_CODES,
} from "./node-api-support.js";

/** Reused so the hot `stat` call allocates no options object. */
const STAT_OPTIONS = { throwIfNoEntry: false } as const;
const READDIR_OPTIONS = { withFileTypes: true } as const;
const MKDIR_OPTIONS = { recursive: true } as const;

export class NodeFileSystem implements FileSystem {
  /** The directory relative paths (and the `""` path entry) stand for; null = follow process.cwd(). */
  private readonly fixedCwd: string | null;

  constructor(cwd?: string) {
    this.fixedCwd = cwd === undefined ? null : resolvePosix(cwd);
  }

  stat(path: string): FileStat | undefined {
    // CPython's `_path_stat` callers treat any OSError as "missing"; throwIfNoEntry covers ENOENT
    // without building an Error, the catch covers ENOTDIR, ENAMETOOLONG, EACCES, ELOOP.
    try {
      const stats = statSync(this.resolve(path), STAT_OPTIONS);
      return stats === undefined ? undefined : toFileStat(stats);
    } catch {
      return undefined;
    }
  }

  /** Undefined for the errors CPython's `_fill_cache` treats as empty; throws FileSystemError for others. */
  readdir(path: string): DirEntry[] | undefined {
    let dirents: DirentLike[];
    try {
      dirents = readdirSync(this.resolve(path), READDIR_OPTIONS);
    } catch (error) {
      if (UNLISTABLE_CODES.has(errorCode(error))) return undefined;
      throw toFileSystemError(error, path);
    }
    return dirents.map(toDirEntry);
  }

  readFile(path: string): Uint8Array {
    try {
      return readFileSync(this.resolve(path));
    } catch (error) {
      throw toFileSystemError(error, path);
    }
  }

  read(path: string, position: number, length: number): Uint8Array {
    checkReadRange(path, position, length);
    let fd: number;
    try {
      fd = openSync(this.resolve(path), "r");
    } catch (error) {
      throw toFileSystemError(error, path);
    }
    try {
      // Not zeroed: only the filled part is returned.
      const buffer = Buffer.allocUnsafe(length);
      let filled = 0;
      // readSync may return short counts (pipes, signals): keep going until the range or the file ends.
      while (filled < length) {
        const count = readSync(fd, buffer, filled, length - filled, position + filled);
        if (count === 0) break;
        filled += count;
      }
      return filled === length ? buffer : buffer.subarray(0, filled);
    } catch (error) {
      throw toFileSystemError(error, path);
    } finally {
      closeSync(fd);
    }
  }

  writeFile(path: string, data: Uint8Array): void {
    try {
      writeFileSync(this.resolve(path), data);
    } catch (error) {
      throw toFileSystemError(error, path);
    }
  }

  mkdir(path: string): void {
    try {
      mkdirSync(this.resolve(path), MKDIR_OPTIONS);
    } catch (error) {
      throw toFileSystemError(error, path);
    }
  }

  cwd(): string {
    return this.fixedCwd ?? process.cwd();
  }

  /**
   * Absolute paths pass through untouched (the common case). A relative path is taken against `cwd()`,
   * which only differs from node's own resolution when a cwd was given; "" stays "" (missing, as
   * `os.stat("")` is).
   */
  private resolve(path: string): string {
    if (this.fixedCwd === null || path.charCodeAt(0) === 47 /* "/" */ || path === "") return path;
    return resolvePosix(this.fixedCwd, path);
  }
}
