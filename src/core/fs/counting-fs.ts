/**
 * Counts the calls made through a FileSystem, by kind, so tests and benchmarks can say how many stats and
 * reads an import cost (CPython's strace numbers, without strace). One increment per call, nothing more.
 */
import type { DirEntry, FileStat, FileSystem } from "./file-system.js";

export type FileSystemCallKind = "stat" | "readdir" | "readFile" | "read" | "writeFile" | "mkdir";

export type FileSystemCallCounts = Record<FileSystemCallKind, number>;

export class CountingFileSystem implements FileSystem {
  // Plain number fields (not a record keyed by kind) keep each call to a single field increment.
  private statCalls = 0;
  private readdirCalls = 0;
  private readFileCalls = 0;
  private readCalls = 0;
  private writeFileCalls = 0;
  private mkdirCalls = 0;

  constructor(readonly inner: FileSystem) {}

  stat(path: string): FileStat | undefined {
    this.statCalls++;
    return this.inner.stat(path);
  }

  readdir(path: string): DirEntry[] | undefined {
    this.readdirCalls++;
    return this.inner.readdir(path);
  }

  readFile(path: string): Uint8Array {
    this.readFileCalls++;
    return this.inner.readFile(path);
  }

  read(path: string, position: number, length: number): Uint8Array {
    this.readCalls++;
    return this.inner.read(path, position, length);
  }

  writeFile(path: string, data: Uint8Array): void {
    this.writeFileCalls++;
    this.inner.writeFile(path, data);
  }

  mkdir(path: string): void {
    this.mkdirCalls++;
    this.inner.mkdir(path);
  }

  /** Not counted: it touches no file (CPython's `os.getcwd` is a syscall, but not a file-system probe). */
  cwd(): string {
    return this.inner.cwd();
  }

  /** A snapshot of the counts so far. */
  get counts(): FileSystemCallCounts {
    return {
      stat: this.statCalls,
      readdir: this.readdirCalls,
      readFile: this.readFileCalls,
      read: this.readCalls,
      writeFile: this.writeFileCalls,
      mkdir: this.mkdirCalls,
    };
  }

  get total(): number {
    return (
      this.statCalls +
      this.readdirCalls +
      this.readFileCalls +
      this.readCalls +
      this.writeFileCalls +
      this.mkdirCalls
    );
  }

  reset(): void {
    this.statCalls = 0;
    this.readdirCalls = 0;
    this.readFileCalls = 0;
    this.readCalls = 0;
    this.writeFileCalls = 0;
    this.mkdirCalls = 0;
  }
}
