/** Conversions shared by every adapter of a node:fs-shaped API (node:fs itself, and memfs, which mirrors it). */
import type { DirEntry, FileStat } from "./file-system.js";
import { FileSystemError } from "./file-system.js";

/** The part of a node:fs (or memfs) `Stats` a {@link FileStat} is made from. */
export interface StatsLike {
  isFile(): boolean;
  isDirectory(): boolean;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
}

/** The part of a node:fs (or memfs) `Dirent` a {@link DirEntry} is made from. */
export interface DirentLike {
  readonly name: string;
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}

export function toFileStat(stats: StatsLike): FileStat {
  return {
    kind: stats.isFile() ? "file" : stats.isDirectory() ? "dir" : "other",
    size: stats.size,
    mtimeMs: stats.mtimeMs,
    ctimeMs: stats.ctimeMs,
  };
}

export function toDirEntry(dirent: DirentLike): DirEntry {
  const kind = dirent.isFile()
    ? "file"
    : dirent.isDirectory()
      ? "dir"
      : dirent.isSymbolicLink()
        ? "symlink"
        : "other";
  return { name: dirent.name, kind };
}

/** The POSIX code of a failed node:fs call ("EIO" when the error carries none). */
export function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "EIO";
}

export function toFileSystemError(error: unknown, path: string): FileSystemError {
  return error instanceof FileSystemError ? error : new FileSystemError(errorCode(error), path);
}

/**
 * Errors that make a listing "empty" rather than a failure: CPython's `FileFinder._fill_cache` catches
 * FileNotFoundError, PermissionError and NotADirectoryError (and lets any other OSError propagate).
 */
export const UNLISTABLE_CODES: ReadonlySet<string> = new Set(["ENOENT", "EACCES", "EPERM", "ENOTDIR"]);

/** `read`'s arguments must be whole, non-negative numbers (else EINVAL, as pread(2) would say). */
export function checkReadRange(path: string, position: number, length: number): void {
  if (!Number.isSafeInteger(position) || position < 0 || !Number.isSafeInteger(length) || length < 0) {
    throw new FileSystemError("EINVAL", path, `EINVAL: bad read range ${position}+${length}: ${path}`);
  }
}
