/**
 * A FileSystem that raises audit events (`open`, `os.listdir`) before file access, so a hook can observe or
 * veto it (see core/audit.ts). The composition root wraps every system's file system in one; with no hook
 * installed each call costs one flag check, and stat (which CPython does not audit) none at all.
 */
import type { AuditHooks } from "../audit.js";
import type { DirEntry, FileStat, FileSystem } from "./file-system.js";

export class AuditingFileSystem implements FileSystem {
  readonly stat: (path: string) => FileStat | undefined;
  readonly mkdir: (path: string) => void;
  readonly cwd: () => string;

  constructor(
    readonly inner: FileSystem,
    private readonly hooks: AuditHooks,
  ) {
    this.stat = inner.stat.bind(inner);
    this.mkdir = inner.mkdir.bind(inner);
    this.cwd = inner.cwd.bind(inner);
  }

  readdir(path: string): DirEntry[] | undefined {
    if (this.hooks.active) this.hooks.audit({ event: "os.listdir", path });
    return this.inner.readdir(path);
  }

  readFile(path: string): Uint8Array {
    if (this.hooks.active) this.hooks.audit({ event: "open", path, mode: "r" });
    return this.inner.readFile(path);
  }

  read(path: string, position: number, length: number): Uint8Array {
    if (this.hooks.active) this.hooks.audit({ event: "open", path, mode: "r" });
    return this.inner.read(path, position, length);
  }

  writeFile(path: string, data: Uint8Array): void {
    if (this.hooks.active) this.hooks.audit({ event: "open", path, mode: "w" });
    this.inner.writeFile(path, data);
  }
}
