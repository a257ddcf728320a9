/**
 * The one seam through which importkit touches files: every stat, listing and read goes through a
 * FileSystem, so the real disk and memfs behave alike and every call can be counted.
 * Paths are absolute POSIX paths.
 */

export type EntryKind = "file" | "dir" | "symlink" | "other";

export interface FileStat {
  readonly kind: "file" | "dir" | "other";
  readonly size: number;
  /** Modification time in milliseconds (fractional where the file system has finer precision). */
  readonly mtimeMs: number;
  /**
   * Status-change time in milliseconds, when the file system maintains it faithfully: it moves whenever a
   * directory's entries change or its mtime is set, which lets a directory's listing be trusted without
   * re-checking each file. Undefined when the file system cannot vouch for it.
   */
  readonly ctimeMs?: number;
}

export interface DirEntry {
  readonly name: string;
  /** From the listing itself (d_type); "symlink" entries must be stat'ed to learn what they point to. */
  readonly kind: EntryKind;
}

export interface FileSystem {
  /** stat(2), following symlinks; undefined when the path does not exist (ENOENT, ENOTDIR). */
  stat(path: string): FileStat | undefined;
  /** The directory's entries; undefined when it is missing or not a directory. */
  readdir(path: string): DirEntry[] | undefined;
  /** The whole file. Throws {@link FileSystemError} when it cannot be read. */
  readFile(path: string): Uint8Array;
  /** `length` bytes (fewer at end of file) from `position`. Throws {@link FileSystemError}. */
  read(path: string, position: number, length: number): Uint8Array;
  /** Create or replace a file, creating no directories. Throws {@link FileSystemError}. */
  writeFile(path: string, data: Uint8Array): void;
  /** Create a directory (and its parents). Throws {@link FileSystemError}. */
  mkdir(path: string): void;
  /** The current directory, which a `""` path entry stands for. */
  cwd(): string;
}

/** A failed file-system call, with the POSIX error code and the path. */
export class FileSystemError extends Error {
  constructor(
    readonly code: string,
    readonly path: string,
    message?: string,
  ) {
    super(message ?? `${code}: ${path}`);
    this.name = "FileSystemError";
  }
}

/** Join a directory and a name the way CPython's `_path_join` does on POSIX. */
export function joinPath(dir: string, name: string): string {
  if (dir === "") return name;
  return dir.endsWith("/") ? dir + name : `${dir}/${name}`;
}

/** CPython's `_path_split`: (head, tail) at the last separator. */
export function splitPath(path: string): [string, string] {
  const i = path.lastIndexOf("/");
  if (i < 0) return ["", path];
  return [i === 0 ? "/" : path.slice(0, i), path.slice(i + 1)];
}
