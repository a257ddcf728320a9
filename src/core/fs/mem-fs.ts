/**
 * An in-memory file system over a memfs volume, for tests and scenario worlds. memfs mirrors node:fs's
 * sync API and keeps ctime faithfully (a directory's ctime moves when it gains or loses an entry and when
 * its times are set), so it is reported like the real disk's.
 *
 * memfs resolves relative paths against the *real* process.cwd(), so relative paths are resolved here,
 * against this file system's own cwd, before memfs sees them.
 */

import { dirname as dirnamePosix, resolve as resolvePosix } from "node:path/posix";
import type { IFs } from "memfs";
import { Volume } from "memfs";
import type { DirEntry, FileStat, FileSystem } from "./file-system.js";
import { FileSystemError } from "./file-system.js";
import type { DirentLike } from "./node-api-support.js";
import {
  checkReadRange,
  errorCode,
  toDirEntry,
  toFileStat,
  toFileSystemError,
  UNLISTABLE_CODES,
} from "./node-api-support.js";

/** Files by path (relative ones against the cwd): text or bytes, or null for an empty directory. */
export type MemFiles = Record<string, string | Uint8Array | null>;

const STAT_OPTIONS = { throwIfNoEntry: false } as const;
const READDIR_OPTIONS = { withFileTypes: true } as const;
const RECURSIVE = { recursive: true } as const;

export class MemFileSystem implements FileSystem {
  private readonly cwdPath: string;

  constructor(
    readonly volume: Volume | IFs,
    cwd = "/",
  ) {
    this.cwdPath = resolvePosix("/", cwd);
  }

  /** A fresh volume holding `files` (parents created as needed); the cwd is created too. */
  static fromFiles(files: MemFiles, cwd = "/"): MemFileSystem {
    const fs = new MemFileSystem(new Volume(), cwd);
    fs.volume.mkdirSync(fs.cwdPath, RECURSIVE);
    for (const [name, content] of Object.entries(files)) {
      const path = fs.resolve(name);
      if (content === null) {
        fs.volume.mkdirSync(path, RECURSIVE);
      } else {
        fs.volume.mkdirSync(dirnamePosix(path), RECURSIVE);
        fs.volume.writeFileSync(path, content);
      }
    }
    return fs;
  }

  stat(path: string): FileStat | undefined {
    try {
      const stats = this.volume.statSync(this.resolve(path), STAT_OPTIONS);
      return stats === undefined ? undefined : toFileStat(stats);
    } catch {
      return undefined; // ENOTDIR and friends: "missing", as for CPython's `_path_stat` callers
    }
  }

  readdir(path: string): DirEntry[] | undefined {
    let dirents: DirentLike[];
    try {
      dirents = this.volume.readdirSync(this.resolve(path), READDIR_OPTIONS) as DirentLike[];
    } catch (error) {
      if (UNLISTABLE_CODES.has(errorCode(error))) return undefined;
      throw toFileSystemError(error, path);
    }
    return dirents.map(toDirEntry);
  }

  readFile(path: string): Uint8Array {
    try {
      return this.volume.readFileSync(this.resolve(path)) as Uint8Array;
    } catch (error) {
      throw toFileSystemError(error, path);
    }
  }

  read(path: string, position: number, length: number): Uint8Array {
    checkReadRange(path, position, length);
    let fd: number;
    try {
      fd = this.volume.openSync(this.resolve(path), "r");
    } catch (error) {
      throw toFileSystemError(error, path);
    }
    try {
      // memfs reads 0 bytes from a directory where read(2) fails with EISDIR.
      if (this.volume.fstatSync(fd).isDirectory()) throw new FileSystemError("EISDIR", path);
      const buffer = new Uint8Array(length);
      const count = this.volume.readSync(fd, buffer, 0, length, position);
      return count === length ? buffer : buffer.subarray(0, count);
    } catch (error) {
      throw toFileSystemError(error, path);
    } finally {
      this.volume.closeSync(fd);
    }
  }

  writeFile(path: string, data: Uint8Array): void {
    try {
      this.volume.writeFileSync(this.resolve(path), data);
    } catch (error) {
      throw toFileSystemError(error, path);
    }
  }

  mkdir(path: string): void {
    const resolved = this.resolve(path);
    try {
      this.volume.mkdirSync(resolved, RECURSIVE);
    } catch (error) {
      throw toFileSystemError(error, path);
    }
    // memfs accepts `mkdir -p` over an existing file; mkdir(2) says EEXIST.
    if (!this.volume.statSync(resolved).isDirectory()) throw new FileSystemError("EEXIST", path);
  }

  cwd(): string {
    return this.cwdPath;
  }

  // ---- memfs conveniences for scenario worlds (not part of FileSystem)

  /** Set the modification time (seconds since the epoch, fractions kept to the millisecond); atime is kept. */
  utimes(path: string, mtimeSeconds: number): void {
    const resolved = this.resolve(path);
    try {
      const atimeSeconds = this.volume.statSync(resolved).atimeMs / 1000;
      this.volume.utimesSync(resolved, atimeSeconds, mtimeSeconds);
    } catch (error) {
      throw toFileSystemError(error, path);
    }
  }

  /** Remove a file, or a directory with everything in it. */
  remove(path: string): void {
    try {
      this.volume.rmSync(this.resolve(path), RECURSIVE);
    } catch (error) {
      throw toFileSystemError(error, path);
    }
  }

  /** "" stays "" (missing, as `os.stat("")` is); other relative paths are taken against the cwd. */
  private resolve(path: string): string {
    if (path.charCodeAt(0) === 47 /* "/" */ || path === "") return path;
    return resolvePosix(this.cwdPath, path);
  }
}
