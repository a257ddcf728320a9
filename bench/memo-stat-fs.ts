/**
 * The anchors' `--memo-stat` for importkit: a FileSystem whose `stat` answers from a memo after the first
 * call per path, so a warm sweep over it times importkit's own work with the syscalls taken out
 * (CPython's figure: 6.43 µs/lookup pure Python). A diagnostic only: it never sees a change.
 */
import type { DirEntry, FileStat, FileSystem } from "../src/core/fs/file-system.js";

const MISSING = null;

export class MemoStatFileSystem implements FileSystem {
  private readonly stats = new Map<string, FileStat | typeof MISSING>();

  constructor(private readonly inner: FileSystem) {}

  stat(path: string): FileStat | undefined {
    const known = this.stats.get(path);
    if (known !== undefined) return known ?? undefined;
    const stat = this.inner.stat(path);
    this.stats.set(path, stat ?? MISSING);
    return stat;
  }

  readdir(path: string): DirEntry[] | undefined {
    return this.inner.readdir(path);
  }

  readFile(path: string): Uint8Array {
    return this.inner.readFile(path);
  }

  read(path: string, position: number, length: number): Uint8Array {
    return this.inner.read(path, position, length);
  }

  writeFile(path: string, data: Uint8Array): void {
    this.inner.writeFile(path, data);
  }

  mkdir(path: string): void {
    this.inner.mkdir(path);
  }

  cwd(): string {
    return this.inner.cwd();
  }
}
