/**
 * The contracts the other layers implement. Names follow CPython's importlib: an importer is a
 * `sys.meta_path` entry, a path hook turns a path entry into a path-entry finder, a file hook is one
 * (loader, suffixes) pair of a directory finder, a loader creates and executes a module.
 */
import type { Awaitable } from "./awaitable.js";
import type { Module } from "./module.js";
import type { ModuleSpec } from "./spec.js";
import type { PyObject } from "./values.js";

/** One in-flight import call chain: CPython's thread, for module locks and deadlock detection. */
export interface ImportTask {
  readonly id: number;
  /** The module lock this task is waiting for, if any (CPython's `_blocking_on`). */
  blockingOn: { readonly name: string; readonly owner: ImportTask | null } | null;
}

/**
 * What loaders and executors receive: the import system to import through, and the task the import
 * belongs to (pass it on to nested imports so re-entrant locks and deadlock detection work).
 */
export interface ImportContext {
  readonly system: ImportSystemApi;
  readonly task: ImportTask;
}

/** The part of the ImportSystem that loaders and executors use (see import-system.ts). */
export interface ImportSystemApi {
  /** `sys`: modules, importer list, path, path hooks, path-importer cache. */
  readonly sys: import("./sys-state.js").SysState;
  /** `sys.modules` (the same map as `sys.modules`). */
  readonly modules: Map<string, Module | null>;
  /** `__import__`: the import statement's entry point. */
  importName(
    name: string,
    globals: Module | null,
    fromlist: readonly string[] | null,
    level: number,
    ctx?: ImportContext,
  ): Promise<Module>;
  /** `importlib.import_module`: returns the named module itself. */
  importModule(name: string, pkg?: string | null, ctx?: ImportContext): Promise<Module>;
  emit(event: import("./events.js").ImportEvent): void;
  readonly tracing: boolean;
}

/** An entry of the importer list (`sys.meta_path`). */
export interface Importer extends PyObject {
  /** `find_spec(fullname, path, target)`: `path` is the parent package's `__path__` entries, or null for top level. */
  findSpec(
    name: string,
    path: readonly string[] | null,
    target: Module | null,
    ctx: ImportContext,
  ): Awaitable<ModuleSpec | null>;
  invalidateCaches?(): void;
}

/** Creates and runs modules (CPython's `Loader` with `create_module` / `exec_module`). */
export interface Loader extends PyObject {
  /** Return a module to use, or null for the default (a fresh module object). */
  createModule?(spec: ModuleSpec, ctx: ImportContext): Awaitable<Module | null>;
  execModule(module: Module, ctx: ImportContext): Awaitable<void>;
  isPackage?(name: string): boolean;
  /** The source text, if this loader has one. */
  getSource?(name: string): string | null;
  /** The file the module comes from. */
  getFilename?(name: string): string;
}

/** Finds modules inside one path entry (CPython's `FileFinder`, `zipimporter`). */
export interface PathEntryFinder extends PyObject {
  /** A spec; a spec with a null loader and search locations is a namespace portion; null when absent. */
  findSpec(name: string, target: Module | null): Awaitable<ModuleSpec | null>;
  invalidateCaches?(): void;
}

/**
 * A `sys.path_hooks` entry: a finder for the path entry, or null to decline (CPython's hooks raise
 * ImportError to decline).
 */
export interface PathHook {
  /** For traces: CPython names the hook's function (e.g. "FileFinder.path_hook"). */
  readonly name: string;
  createFinder(entry: string): Awaitable<PathEntryFinder | null>;
}

/**
 * One kind of file inside a path entry (CPython's (loader, suffixes) pairs of FileFinder): the suffixes it
 * claims and how to make the loader for a file found with one of them.
 */
export interface FileHook {
  /** A short name for traces and configuration ("extension", "source", "bytecode", …). */
  readonly name: string;
  /** Suffixes in priority order, e.g. [".py"]. */
  readonly suffixes: readonly string[];
  /**
   * The modules one file makes, as suffixes of the file's stem (default `[""]`: `foo.py` is `foo`). A
   * generator that makes `foo` and `foo__skel` from `foo.isl` says `["", "__skel"]`; finders then look for
   * `foo__skel` in `foo.isl` too. Package files (`__init__` + suffix) make only the package itself.
   */
  readonly moduleSuffixes?: readonly string[];
  /**
   * Whether the hook takes this file as module `fullname` (default: every file with its suffixes). A hook
   * that declines lets the search go on to the next suffix, as if the file were not there: an allowlist
   * policy's way to refuse an extension module while a `.py` of that name can still be found.
   */
  accepts?(fullname: string, path: string): boolean;
  /** The loader for `fullname` found at `path`. */
  createLoader(fullname: string, path: string): Loader;
  /**
   * The loader for `fullname` found as a member of a zip archive. Hooks without it do not apply inside
   * archives; `.py` and `.pyc` members are zipimport's own (its search order and checks come first).
   */
  createMemberLoader?(fullname: string, member: ArchiveMember): Loader;
}

/** A file inside a zip archive, as archive finders hand it to file hooks. */
export interface ArchiveMember {
  /** The archive's path (`lib.zip`). */
  readonly archive: string;
  /** The member's name inside the archive (`pkg/mod.isl`). */
  readonly name: string;
  /** `archive/name`: what `__file__` becomes. */
  readonly path: string;
  /** Uncompressed size, from the archive's directory. */
  readonly size: number;
  /** Modification time from the archive's directory (DOS time, read as UTC), in seconds. */
  readonly mtime: number;
  /** CRC-32 from the archive's directory (tells same-size, same-time versions of a member apart). */
  readonly crc32?: number;
  /** The member's bytes (read, inflated and checked on each call). */
  read(): Uint8Array;
}

/** Code an executor has prepared for running (an AST, a code object, …). */
export interface CompiledCode {
  readonly filename: string;
}

/** Runs code in a module's namespace (the eval loop). */
export interface Executor {
  /** Prepare `source` from `filename`; syntax errors raise a Python SyntaxError naming file and line. */
  compile(source: string, filename: string): CompiledCode;
  /** Run `code` with `module`'s namespace as globals, importing through `ctx`. */
  exec(code: CompiledCode, module: Module, ctx: ImportContext): Awaitable<void>;
  /** How this executor's compiled code is written to and read from bytes (snapshots, frozen tables); optional. */
  readonly codeFormat?: CodeFormat;
}

/**
 * A serialised form of an executor's compiled code: what snapshots and frozen tables hold, so a module
 * loads without parsing its source again (importkit's deep-freeze). `decode` of bytes `encode` did not
 * write throws {@link CodeFormatError}; it never returns code that differs from what was encoded.
 */
export interface CodeFormat {
  /** Names the format in snapshots ("importkit-ast"); code is only decoded by a format of the same name. */
  readonly name: string;
  /** Bumped whenever the encoding changes; older or newer data is refused. */
  readonly version: number;
  encode(code: CompiledCode): Uint8Array;
  decode(data: Uint8Array, filename: string): CompiledCode;
}
