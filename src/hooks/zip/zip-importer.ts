/**
 * CPython's `zipimporter`: the path-entry finder for an archive (or a directory inside one) and the loader
 * of the modules it finds there — finder and loader in one object, as in CPython, so results report the
 * loader `zipimporter`.
 *
 * As in CPython 3.10+, `find_spec` already decides which member a module comes from by getting its code
 * (`get_filename` → `_get_module_code`): a member that cannot be read or compiled raises from the find, a
 * ZipImportError there leaves the origin `<unknown>`. The code got by the find is kept for the `get_code`
 * that follows it (one module: an import runs find and exec back to back), so importkit decodes it once.
 */
import { type Awaitable, andThen } from "../../core/awaitable.js";
import { ImportError, NotSupportedError, OSError, ZipImportError } from "../../core/errors.js";
import type { ImportContext, Loader, PathEntryFinder } from "../../core/interfaces.js";
import type { Module } from "../../core/module.js";
import { ModuleSpec } from "../../core/spec.js";
import { PyList, pyRepr } from "../../core/values.js";
import type { ZipEntry } from "../../zip/central-directory.js";
import { parseDosTime } from "../../zip/dos-time.js";
import { type MemberLimits, readMemberData } from "../../zip/member-data.js";
import type { FileHookRegistry } from "../file-hook-registry.js";
import { candidateFiles } from "../file-hook-registry.js";
import type { LoaderEnvironment } from "../loader-environment.js";
import { type ModuleCode, runModuleCode } from "../module-code.js";
import type { ArchiveIndex, ZipDirectoryCache } from "./zip-directory-cache.js";
import {
  type ArchiveFiles,
  memberSourceText,
  type PycMembers,
  skipsMember,
  ZIP_SEARCH_ORDER,
  type ZipModuleCode,
  zipModuleCode,
} from "./zip-module-code.js";

/** How zip import behaves: CPython's choices, and the checks importkit adds (see docs/zip-import.md). */
export interface ZipImportOptions {
  /** Check each member's CRC-32 (CPython does not). */
  readonly checkCrc: boolean;
  /** Re-read an archive whose stat changed since it was read (CPython waits for `invalidate_caches`). */
  readonly revalidate: boolean;
  /** Size and ratio limits for inflating a member (CPython has none). */
  readonly limits: Omit<MemberLimits, "checkCrc">;
  /** A policy, not CPython: which `.pyc` members are modules (default "all"; see PycMembers). */
  readonly pycMembers?: PycMembers;
}

/** What differs between CPython versions' zipimport. */
export interface ZipImportDialect {
  /** 3.10+: "module load failed: …" when only bad pycs were found (before: "can't find module"). */
  readonly reportsLoadFailure: boolean;
  /** 3.10+: `zipimporter.invalidate_caches` exists (before, the archive is never read again). */
  readonly invalidates: boolean;
  /** 3.10+: specs carry `cached` (the `__pycache__` path of a source member, or the pyc itself). */
  readonly cachedFromOrigin: boolean;
}

export interface ZipImporterContext {
  readonly env: LoaderEnvironment;
  readonly cache: ZipDirectoryCache;
  readonly fileHooks: FileHookRegistry;
  readonly options: ZipImportOptions;
  readonly dialect: ZipImportDialect;
}

const EMPTY: ReadonlyMap<string, ZipEntry> = new Map();

/** A module path that could leave the archive's tree or alias another name: never resolved. */
function isUnsafeModulePath(path: string): boolean {
  if (path.startsWith("/") || path.includes("\\") || path.includes("\0")) return true;
  // Most paths have no dot at all (a module name's last component never has one).
  if (!path.includes(".")) return false;
  for (const part of path.split("/")) if (part === ".." || part === ".") return true;
  return false;
}

export class ZipImporter implements PathEntryFinder, Loader {
  readonly pyType = "zipimporter";
  private pending: { fullname: string; files: ReadonlyMap<string, ZipEntry>; result: ZipModuleCode } | null =
    null;
  private refreshing: Promise<void> | null = null;
  private readonly memberLimits: MemberLimits;

  constructor(
    /** The archive's path, as the path entry gave it (`lib.zip`). */
    readonly archive: string,
    /** The directory inside the archive this finder looks in: "" or `sub/dir/`. */
    readonly prefix: string,
    private readonly index: ArchiveIndex,
    private readonly ctx: ZipImporterContext,
  ) {
    this.memberLimits = { ...ctx.options.limits, checkCrc: ctx.options.checkCrc };
  }

  /** `self._files`: the archive's entries (none after a failed re-read). */
  get files(): ReadonlyMap<string, ZipEntry> {
    return this.index.directory?.files ?? EMPTY;
  }

  /** `repr()` of the finder, as CPython prints it. */
  toString(): string {
    return `<zipimporter object "${this.archive}/${this.prefix}">`;
  }

  findSpec(fullname: string, _target: Module | null): Awaitable<ModuleSpec | null> {
    if (this.refreshing !== null) return this.refreshing.then(() => this.findSpec(fullname, _target));
    const { cache, options } = this.ctx;
    if (options.revalidate && cache.isStale(this.index)) {
      return andThen(cache.refresh(this.index), () => this.findSpecNow(fullname));
    }
    return this.findSpecNow(fullname);
  }

  private findSpecNow(fullname: string): ModuleSpec | null {
    const info = this.moduleInfo(fullname);
    if (info !== null) {
      // spec_from_loader → spec_from_file_location(name, loader=self): the location is get_filename's.
      let location = "<unknown>";
      try {
        location = this.getFilename(fullname);
      } catch (error) {
        if (!(error instanceof ImportError)) throw error;
      }
      return this.spec(fullname, this, location, info);
    }
    const path = this.modulePath(fullname);
    if (path !== null) {
      const member = this.memberHookSpec(fullname, path);
      if (member !== null) return member;
      // A directory entry makes a namespace portion (zipimport needs the entry: implied directories do not count).
      if (this.files.has(`${path}/`)) {
        return new ModuleSpec(fullname, null, {
          isPackage: true,
          submoduleSearchLocations: new PyList([`${this.archive}/${path}`]),
        });
      }
    }
    return null;
  }

  private spec(fullname: string, loader: Loader, location: string, isPackage: boolean): ModuleSpec {
    const slash = location.lastIndexOf("/");
    return new ModuleSpec(fullname, loader, {
      origin: location,
      hasLocation: true,
      ...(this.ctx.dialect.cachedFromOrigin && { cachedProfile: this.ctx.env.profile }),
      submoduleSearchLocations: isPackage ? new PyList([slash < 0 ? "" : location.slice(0, slash)]) : null,
    });
  }

  /**
   * File hooks that work inside archives (a generator's `.isl`, …), tried after zipimport's own members:
   * `pkg/__init__<suffix>`, then `mod<suffix>`, hook by hook in registry order.
   */
  private memberHookSpec(fullname: string, path: string): ModuleSpec | null {
    const slash = path.lastIndexOf("/");
    const dir = path.slice(0, slash + 1);
    const tail = path.slice(slash + 1);
    for (const suffixHook of this.ctx.fileHooks.suffixHooks) {
      const { suffix, hook } = suffixHook;
      if (hook.createMemberLoader === undefined) continue;
      const candidates: [string, boolean][] = [[`${path}/__init__${suffix}`, true]];
      for (const file of candidateFiles(tail, suffixHook)) candidates.push([dir + file, false]);
      for (const [candidate, isPackage] of candidates) {
        const entry = this.files.get(candidate);
        if (entry === undefined || (hook.accepts !== undefined && !hook.accepts(fullname, entry.path)))
          continue;
        const loader = hook.createMemberLoader(fullname, this.member(entry));
        if (this.ctx.env.events.active)
          this.ctx.env.events.emit({ type: "file-hook", hook: hook.name, path: entry.path });
        return this.spec(fullname, loader, entry.path, isPackage);
      }
    }
    return null;
  }

  private member(entry: ZipEntry) {
    return {
      archive: this.archive,
      name: entry.name,
      path: entry.path,
      size: entry.size,
      mtime: parseDosTime(entry.dosDate, entry.dosTime),
      crc32: entry.crc32,
      read: () => this.readEntry(entry),
    };
  }

  /** `_get_module_path`: the prefix and the name's last component; null for a path importkit refuses. */
  private modulePath(fullname: string): string | null {
    const last = fullname.slice(fullname.lastIndexOf(".") + 1);
    // An empty last component ("", "a.") would make the prefix itself the module: "/__init__.py", ".py".
    if (last === "") return null;
    const path = this.prefix + last;
    return isUnsafeModulePath(path) ? null : path;
  }

  /** `_get_module_info`: true for a package, false for a module, null when zipimport has neither. */
  private moduleInfo(fullname: string): boolean | null {
    const path = this.modulePath(fullname);
    if (path === null) return null;
    for (const [suffix, isBytecode, isPackage] of ZIP_SEARCH_ORDER) {
      const fullpath = path + suffix;
      if (!this.files.has(fullpath)) continue;
      if (skipsMember(this.files, fullpath, isBytecode, this.ctx.options.pycMembers)) continue;
      return isPackage;
    }
    return null;
  }

  private archiveFiles(): ArchiveFiles {
    return { files: this.files, read: (entry) => this.readEntry(entry) };
  }

  private readEntry(entry: ZipEntry): Uint8Array {
    const { env } = this.ctx;
    // The size the table was read with bounds every read (no stat per member).
    const data = readMemberData(
      env.fs,
      this.archive,
      entry,
      this.memberLimits,
      this.index.directory?.fileSize,
    );
    if (env.events.active) env.events.emit({ type: "read", path: entry.path, bytes: data.length });
    return data;
  }

  /** `_get_module_code`, reusing what the find just computed for the same module and table. */
  private moduleCode(fullname: string, take: boolean): ZipModuleCode {
    const pending = this.pending;
    if (pending !== null && pending.fullname === fullname && pending.files === this.files) {
      if (take) this.pending = null;
      return pending.result;
    }
    const path = this.modulePath(fullname);
    if (path === null) throw new ZipImportError(`can't find module ${pyRepr(fullname)}`, { name: fullname });
    const { env, dialect, options } = this.ctx;
    const result = zipModuleCode(env, this.archiveFiles(), path, fullname, dialect, options.pycMembers);
    if (!take) this.pending = { fullname, files: this.files, result };
    return result;
  }

  /** `get_filename`: the member the module's code comes from (which needs its code, as in CPython). */
  getFilename(fullname: string): string {
    return this.moduleCode(fullname, false).modpath;
  }

  /** `get_code`: the module's code (a CPython code object, or source compiled for the executor). */
  getCode(fullname: string): ModuleCode {
    const { code } = this.moduleCode(fullname, true);
    if (code instanceof NotSupportedError) throw code;
    return code;
  }

  /** `is_package`. */
  isPackage(fullname: string): boolean {
    const info = this.moduleInfo(fullname);
    if (info === null) throw new ZipImportError(`can't find module ${pyRepr(fullname)}`, { name: fullname });
    return info;
  }

  /** `get_source`: the `.py` member's text, null when the archive has only the pyc. */
  getSource(fullname: string): string | null {
    const info = this.moduleInfo(fullname);
    const path = this.modulePath(fullname);
    if (info === null || path === null) {
      throw new ZipImportError(`can't find module ${pyRepr(fullname)}`, { name: fullname });
    }
    const entry = this.files.get(info ? `${path}/__init__.py` : `${path}.py`);
    return entry === undefined ? null : memberSourceText(this.readEntry(entry));
  }

  /** `get_data(pathname)`: a member's bytes; `pathname` may start with the archive's path. */
  getData(pathname: string): Uint8Array {
    const key = pathname.startsWith(`${this.archive}/`) ? pathname.slice(this.archive.length + 1) : pathname;
    const entry = this.files.get(key);
    if (entry === undefined) throw new OSError(`[Errno 0] : ${pyRepr(key)}`, { errno: 0, filename: key });
    return this.readEntry(entry);
  }

  /** `_LoaderBasics.exec_module`. */
  async execModule(module: Module, ctx: ImportContext): Promise<void> {
    await runModuleCode(this.ctx.env, this.getCode(module.name), module, ctx);
  }

  /** `invalidate_caches` (3.10+): the archive's table is read again. */
  invalidateCaches(): void {
    this.pending = null;
    if (!this.ctx.dialect.invalidates) return;
    const refreshed = this.ctx.cache.refresh(this.index);
    if (refreshed instanceof Promise) {
      this.refreshing = refreshed.finally(() => {
        this.refreshing = null;
      });
    }
  }
}
