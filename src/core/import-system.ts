/**
 * The import algorithm: CPython's `importlib._bootstrap` (`_find_and_load`, `_load_unlocked`,
 * `_handle_fromlist`, `_exec`, …) and the C parts of the import statement (`PyImport_ImportModuleLevelObject`,
 * `resolve_name`), with the same order of steps, the same side effects and the same messages.
 */
import { isPromise } from "./awaitable.js";
import {
  AttributeError,
  ImportError,
  KeyError,
  ModuleNotFoundError,
  TypeError_,
  ValueError,
} from "./errors.js";
import type { ImportEvent } from "./events.js";
import { ImportEvents } from "./events.js";
import type { FileSystem } from "./fs/file-system.js";
import type {
  Executor,
  ImportContext,
  Importer,
  ImportSystemApi,
  ImportTask,
  PathEntryFinder,
  PathHook,
} from "./interfaces.js";
import { Module } from "./module.js";
import { ModuleLocks } from "./module-lock.js";
import { NamespaceLoader } from "./namespace-loader.js";
import type { SearchPath } from "./namespace-path.js";
import { NamespacePath, searchPathEntries } from "./namespace-path.js";
import type { VersionProfile } from "./profile.js";
import { ModuleSpec } from "./spec.js";
import { SysState } from "./sys-state.js";
import type { PyValue } from "./values.js";
import { PyList, PyTuple, pyRepr, typeName } from "./values.js";

export interface ImportSystemOptions {
  readonly fs: FileSystem;
  readonly profile: VersionProfile;
  readonly executor: Executor;
  readonly sys?: SysState;
  readonly events?: ImportEvents;
}

export class ImportSystem implements ImportSystemApi {
  readonly sys: SysState;
  readonly fs: FileSystem;
  readonly profile: VersionProfile;
  readonly executor: Executor;
  readonly events: ImportEvents;
  private readonly locks = new ModuleLocks();
  private readonly reloading = new Map<string, Module>();
  private nextTaskId = 1;
  /** 3.13+: "partially initialized module 'a' from 'lib/a.py' has no attribute …". */
  private readonly attributeErrorsNameOrigin: boolean;

  constructor(options: ImportSystemOptions) {
    this.fs = options.fs;
    this.profile = options.profile;
    this.executor = options.executor;
    this.sys = options.sys ?? new SysState();
    this.events = options.events ?? new ImportEvents();
    const [major, minor] = this.profile.versionInfo;
    this.attributeErrorsNameOrigin = major > 3 || (major === 3 && minor >= 13);
  }

  // ---- sys state, as CPython users know it -------------------------------------------------------

  get modules(): Map<string, Module | null> {
    return this.sys.modules;
  }
  get metaPath(): Importer[] {
    return this.sys.metaPath;
  }
  set metaPath(importers: Importer[]) {
    this.sys.metaPath = importers;
  }
  get path(): string[] {
    return this.sys.path;
  }
  set path(entries: string[]) {
    this.sys.path = entries;
  }
  get pathHooks(): PathHook[] {
    return this.sys.pathHooks;
  }
  set pathHooks(hooks: PathHook[]) {
    this.sys.pathHooks = hooks;
  }
  get pathImporterCache(): Map<string, PathEntryFinder | null> {
    return this.sys.pathImporterCache;
  }

  get tracing(): boolean {
    return this.events.active;
  }

  emit(event: ImportEvent): void {
    this.events.emit(event);
  }

  /** A new import task (CPython: a thread). Concurrent imports must each have their own. */
  newContext(): ImportContext {
    const task: ImportTask = { id: this.nextTaskId++, blockingOn: null };
    return { system: this, task };
  }

  // ---- public entry points -----------------------------------------------------------------------

  /** `importlib.import_module(name, package)`: returns the named module itself (not the top-level package). */
  async importModule(
    name: string,
    pkg: string | null = null,
    ctx: ImportContext = this.newContext(),
  ): Promise<Module> {
    let level = 0;
    if (name.startsWith(".")) {
      if (!pkg) {
        throw new TypeError_(
          `the 'package' argument is required to perform a relative import for ${pyRepr(name)}`,
        );
      }
      while (name[level] === ".") level++;
    }
    return this.gcdImport(name.slice(level), pkg, level, ctx);
  }

  /**
   * `__import__(name, globals, None, fromlist, level)` as the import statement calls it (CPython's C
   * `PyImport_ImportModuleLevelObject`): without a fromlist, returns the top-level package of `name`.
   * `globals` is the importing module (its `__package__`, `__spec__`, `__name__`, `__path__` resolve
   * relative imports).
   */
  async importName(
    name: string,
    globals: Module | null,
    fromlist: readonly string[] | null,
    level: number,
    ctx: ImportContext = this.newContext(),
  ): Promise<Module> {
    if (level < 0) throw new ValueError("level must be >= 0");
    let absName: string;
    if (level > 0) {
      absName = this.resolveRelativeName(name, globals, level);
    } else {
      if (name === "") throw new ValueError("Empty module name");
      absName = name;
    }
    const existing = this.modules.get(absName);
    let mod: Module;
    if (existing !== undefined && existing !== null) {
      if (existing.spec?.initializing) await this.lockUnlockModule(absName, ctx);
      mod = existing;
    } else {
      mod = await this.findAndLoad(absName, ctx);
    }
    if (!fromlist || fromlist.length === 0) {
      if (level === 0 || name.length > 0) {
        const dot = name.indexOf(".");
        if (dot === -1) return mod;
        if (level === 0) return this.importName(name.slice(0, dot), null, null, 0, ctx);
        const cutOff = name.length - dot;
        const toReturn = absName.slice(0, absName.length - cutOff);
        const front = this.modules.get(toReturn);
        if (front === undefined) throw new KeyError(`${pyRepr(toReturn)} not in sys.modules as expected`);
        if (front === null)
          throw new ModuleNotFoundError(`import of ${toReturn} halted; None in sys.modules`, {
            name: toReturn,
          });
        return front;
      }
      return mod;
    }
    if (mod.has("__path__")) return this.handleFromlist(mod, fromlist, ctx, false);
    return mod;
  }

  /** `importlib.reload(module)`. */
  async reload(module: Module, ctx: ImportContext = this.newContext()): Promise<Module> {
    const name = module.spec?.name ?? module.dict.get("__name__");
    if (typeof name !== "string") throw new TypeError_("reload() argument must be a module");
    if (this.modules.get(name) !== module)
      throw new ImportError(`module ${name} not in sys.modules`, { name });
    const already = this.reloading.get(name);
    if (already) return already;
    this.reloading.set(name, module);
    try {
      const dot = name.lastIndexOf(".");
      let pkgpath: SearchPath | null = null;
      if (dot >= 0) {
        const parentName = name.slice(0, dot);
        const parent = this.modules.get(parentName);
        if (parent === undefined)
          throw new ImportError(`parent ${pyRepr(parentName)} not in sys.modules`, { name: parentName });
        pkgpath = this.requirePath(parent);
      }
      const spec = await this.findSpec(name, pkgpath, module, ctx);
      module.setAttr("__spec__", spec);
      if (spec === null)
        throw new ModuleNotFoundError(`spec not found for the module ${pyRepr(name)}`, { name });
      await this.execSpec(spec, module, ctx);
      const result = this.modules.get(name);
      if (result === undefined) throw new KeyError(pyRepr(name));
      return result as Module;
    } finally {
      this.reloading.delete(name);
    }
  }

  /** `importlib.invalidate_caches()`: every importer that has caches drops them. */
  invalidateCaches(): void {
    this.emit({ type: "invalidate-caches" });
    for (const importer of [...this.metaPath]) importer.invalidateCaches?.();
  }

  /** `importlib._bootstrap._find_spec`: ask each importer in order. */
  async findSpec(
    name: string,
    path: SearchPath | null,
    target: Module | null,
    ctx: ImportContext = this.newContext(),
  ): Promise<ModuleSpec | null> {
    const metaPath = this.metaPath;
    const isReload = this.modules.has(name);
    const entries = path === null ? null : await searchPathEntries(path);
    for (let i = 0; i < metaPath.length; i++) {
      const importer = metaPath[i]!;
      if (this.tracing) this.emit({ type: "find", importer: importer.pyType, name, path: entries });
      const found = importer.findSpec(name, entries, target, ctx);
      const spec = isPromise(found) ? await found : found;
      if (spec === null) continue;
      if (this.tracing) {
        this.emit({
          type: "found",
          importer: importer.pyType,
          name,
          origin: spec.origin,
          loader: spec.loaderKind,
        });
      }
      if (!isReload && this.modules.has(name)) {
        // The parent import may have imported this module meanwhile: its own spec wins.
        const module = this.modules.get(name);
        if (module === null || module === undefined) return spec;
        const own = module.dict.get("__spec__");
        return own instanceof ModuleSpec ? own : spec;
      }
      return spec;
    }
    return null;
  }

  // ---- the algorithm -----------------------------------------------------------------------------

  /** `_gcd_import`. */
  private async gcdImport(
    name: string,
    pkg: string | null,
    level: number,
    ctx: ImportContext,
  ): Promise<Module> {
    this.sanityCheck(name, pkg, level);
    const absName = level > 0 ? resolvePackageRelative(name, pkg!, level, () => this.beyondTopLevel()) : name;
    return this.findAndLoad(absName, ctx);
  }

  /** `_sanity_check`. */
  private sanityCheck(name: string, pkg: string | null, level: number): void {
    if (level < 0) throw new ValueError("level must be >= 0");
    if (level > 0) {
      if (typeof pkg !== "string") throw new TypeError_("__package__ not set to a string");
      if (!pkg) throw new ImportError("attempted relative import with no known parent package");
    }
    if (!name && level === 0) throw new ValueError("Empty module name");
  }

  /** `_find_and_load`: under the module's lock unless it is already fully imported. */
  async findAndLoad(name: string, ctx: ImportContext): Promise<Module> {
    let module = this.modules.get(name);
    if (module === undefined || module?.spec?.initializing) {
      const lock = this.locks.get(name);
      if (this.tracing && lock.owner && lock.owner !== ctx.task)
        this.emit({ type: "lock-wait", name, task: ctx.task.id });
      const pending = lock.acquire(ctx.task);
      if (pending) await pending;
      try {
        module = this.modules.get(name);
        if (module === undefined) return await this.findAndLoadUnlocked(name, ctx);
      } finally {
        lock.release(ctx.task);
      }
      await this.lockUnlockModule(name, ctx);
    } else if (this.tracing) {
      this.emit({ type: "cached-module", name });
    }
    if (module === null)
      throw new ModuleNotFoundError(`import of ${name} halted; None in sys.modules`, { name });
    return module;
  }

  /** `_lock_unlock_module`: wait until another task finished initializing the module; a deadlock means a cycle, so go on. */
  private async lockUnlockModule(name: string, ctx: ImportContext): Promise<void> {
    const lock = this.locks.get(name);
    let pending: ReturnType<typeof lock.acquire>;
    try {
      pending = lock.acquire(ctx.task);
      if (pending) await pending;
    } catch (error) {
      if (error instanceof Error && error.name === "_DeadlockError") {
        if (this.tracing) this.emit({ type: "deadlock", name, task: ctx.task.id });
        return;
      }
      throw error;
    }
    lock.release(ctx.task);
  }

  /** `_find_and_load_unlocked`: import the parent first, find the spec, load, bind on the parent. */
  private async findAndLoadUnlocked(name: string, ctx: ImportContext): Promise<Module> {
    const audit = this.sys.auditHooks;
    if (!this.tracing) {
      if (audit.active) audit.audit({ event: "import", name });
      return this.findAndLoadSteps(name, ctx);
    }
    this.emit({ type: "import", name, task: ctx.task.id });
    try {
      // Inside: a vetoed import shows in the trace as a failed one.
      if (audit.active) audit.audit({ event: "import", name });
      const module = await this.findAndLoadSteps(name, ctx);
      this.emit({ type: "import-done", name, ok: true });
      return module;
    } catch (error) {
      this.emit({ type: "import-done", name, ok: false, error: describeError(error) });
      throw error;
    }
  }

  private async findAndLoadSteps(name: string, ctx: ImportContext): Promise<Module> {
    let path: SearchPath | null = null;
    let parentSpec: ModuleSpec | null = null;
    const dot = name.lastIndexOf(".");
    const parent = dot < 0 ? "" : name.slice(0, dot);
    const child = name.slice(dot + 1);
    if (parent) {
      if (!this.modules.has(parent)) await this.findAndLoad(parent, ctx);
      // The parent's import may have imported us as a side effect.
      const already = this.modules.get(name);
      if (already !== undefined) return already as Module;
      const parentModule = this.parentModule(parent);
      const parentPath = parentModule?.path;
      if (parentPath === undefined) {
        throw new ModuleNotFoundError(`No module named ${pyRepr(name)}; ${pyRepr(parent)} is not a package`, {
          name,
        });
      }
      path = parentPath;
      parentSpec = parentModule!.spec;
    }
    const spec = await this.findSpec(name, path, null, ctx);
    if (spec === null) throw new ModuleNotFoundError(`No module named ${pyRepr(name)}`, { name });
    if (parentSpec) parentSpec.uninitializedSubmodules.push(child);
    let module: Module;
    try {
      module = await this.loadUnlocked(spec, ctx);
    } finally {
      if (parentSpec) parentSpec.uninitializedSubmodules.pop();
    }
    if (parent) {
      const parentModule = this.parentModule(parent);
      parentModule?.setAttr(child, module);
    }
    return module;
  }

  /** `sys.modules[parent]`, raising KeyError as CPython does when it vanished. */
  private parentModule(parent: string): Module | null {
    const module = this.modules.get(parent);
    if (module === undefined) throw new KeyError(pyRepr(parent));
    return module;
  }

  /** `module.__path__`, or AttributeError. */
  private requirePath(module: Module | null): SearchPath {
    const path = module?.path;
    if (path === undefined) {
      if (module === null) throw new AttributeError("'NoneType' object has no attribute '__path__'");
      throw module.attributeError("__path__");
    }
    return path;
  }

  /** `_load_unlocked`: create the module, register it, run it; on failure remove exactly it. */
  private async loadUnlocked(spec: ModuleSpec, ctx: ImportContext): Promise<Module> {
    if (this.tracing) this.emit({ type: "load", name: spec.name, loader: spec.loaderKind, reload: false });
    const module = await this.moduleFromSpec(spec, ctx);
    spec.initializing = true;
    try {
      this.modules.set(spec.name, module);
      try {
        if (spec.loader === null) {
          if (spec.submoduleSearchLocations === null)
            throw new ImportError("missing loader", { name: spec.name });
        } else {
          const running = spec.loader.execModule(module, ctx);
          if (isPromise(running)) await running;
        }
      } catch (error) {
        this.modules.delete(spec.name);
        if (this.tracing)
          this.emit({ type: "load-done", name: spec.name, ok: false, error: describeError(error) });
        throw error;
      }
      // The module may have replaced itself in sys.modules; move it to the end as pop + set does.
      const final = this.modules.get(spec.name);
      if (final === undefined) throw new KeyError(pyRepr(spec.name));
      this.modules.delete(spec.name);
      this.modules.set(spec.name, final);
      if (this.tracing) this.emit({ type: "load-done", name: spec.name, ok: true });
      return final as Module;
    } finally {
      spec.initializing = false;
    }
  }

  /** `module_from_spec`. */
  private async moduleFromSpec(spec: ModuleSpec, ctx: ImportContext): Promise<Module> {
    let module: Module | null = null;
    if (spec.loader?.createModule) {
      const created = spec.loader.createModule(spec, ctx);
      module = isPromise(created) ? await created : created;
    }
    module ??= new Module(spec.name);
    if (this.attributeErrorsNameOrigin) module.attributeErrorsNameOrigin = true;
    initModuleAttrs(spec, module, false);
    return module;
  }

  /** `_exec`: re-run a spec in an existing module (reload). */
  private async execSpec(spec: ModuleSpec, module: Module, ctx: ImportContext): Promise<Module> {
    const name = spec.name;
    const lock = this.locks.get(name);
    const pending = lock.acquire(ctx.task);
    if (pending) await pending;
    try {
      if (this.modules.get(name) !== module)
        throw new ImportError(`module ${pyRepr(name)} not in sys.modules`, { name });
      if (this.tracing) this.emit({ type: "load", name, loader: spec.loaderKind, reload: true });
      try {
        if (spec.loader === null) {
          if (spec.submoduleSearchLocations === null) throw new ImportError("missing loader", { name });
          initModuleAttrs(spec, module, true);
        } else {
          initModuleAttrs(spec, module, true);
          const running = spec.loader.execModule(module, ctx);
          if (isPromise(running)) await running;
        }
      } finally {
        const current = this.modules.get(name);
        if (current === undefined) {
          // CPython's `sys.modules.pop(name)` raises KeyError here, replacing any error in flight.
          // biome-ignore lint/correctness/noUnsafeFinally: mirrors CPython's finally clause
          throw new KeyError(pyRepr(name));
        }
        this.modules.delete(name);
        this.modules.set(name, current);
      }
      return module;
    } finally {
      lock.release(ctx.task);
    }
  }

  /** `_handle_fromlist`: import submodules named in a from-import (and `__all__` for `*`). */
  private async handleFromlist(
    module: Module,
    fromlist: readonly PyValue[],
    ctx: ImportContext,
    recursive: boolean,
  ): Promise<Module> {
    for (const x of fromlist) {
      if (typeof x !== "string") {
        const where = recursive ? `${module.name}.__all__` : "``from list''";
        throw new TypeError_(`Item in ${where} must be str, not ${typeName(x)}`);
      }
      if (x === "*") {
        if (!recursive) {
          const all = module.lookup("__all__");
          if (all !== undefined) await this.handleFromlist(module, iterate(all), ctx, true);
        }
      } else if (!module.has(x)) {
        const fromName = `${module.name}.${x}`;
        try {
          // `builtins.__import__(from_name)`, as the import statement passes it to `_handle_fromlist`.
          await this.importName(fromName, null, null, 0, ctx);
        } catch (error) {
          // A missing submodule named in a fromlist is not an error here; the attribute lookup reports it.
          if (
            error instanceof ModuleNotFoundError &&
            error.moduleName === fromName &&
            this.modules.get(fromName) !== null
          ) {
            continue;
          }
          throw error;
        }
      }
    }
    return module;
  }

  /** CPython 3.8 raised ValueError here; 3.9 made it an ImportError. */
  private beyondTopLevel(): Error {
    const message = "attempted relative import beyond top-level package";
    const [major, minor] = this.profile.versionInfo;
    return major === 3 && minor <= 8 ? new ValueError(message) : new ImportError(message);
  }

  /** C `resolve_name`: the absolute name of a relative import made from `globals`. */
  private resolveRelativeName(name: string, globals: Module | null, level: number): string {
    const ns = globals?.dict;
    let pkg = ns?.get("__package__") ?? null;
    const spec = ns?.get("__spec__") ?? null;
    if (pkg !== null) {
      if (typeof pkg !== "string") throw new TypeError_("package must be a string");
    } else if (spec !== null && spec !== undefined) {
      pkg = spec instanceof ModuleSpec ? spec.parent : null;
      if (typeof pkg !== "string") throw new TypeError_("__spec__.parent must be a string");
    } else {
      const modName = ns?.get("__name__");
      if (modName === undefined) throw new KeyError("'__name__' not in globals");
      if (typeof modName !== "string") throw new TypeError_("__name__ must be a string");
      pkg = modName;
      if (!ns?.has("__path__")) {
        const dot = pkg.lastIndexOf(".");
        if (dot < 0) throw noParent();
        pkg = pkg.slice(0, dot);
      }
    }
    let lastDot = pkg.length;
    if (lastDot === 0) throw noParent();
    for (let up = 1; up < level; up++) {
      lastDot = pkg.lastIndexOf(".", lastDot - 1);
      if (lastDot === -1 || lastDot >= pkg.length) throw this.beyondTopLevel();
    }
    const base = pkg.slice(0, lastDot);
    return name.length === 0 ? base : `${base}.${name}`;
  }
}

function noParent(): ImportError {
  return new ImportError("attempted relative import with no known parent package");
}

/** `_resolve_name` (the importlib.import_module flavour). */
function resolvePackageRelative(
  name: string,
  pkg: string,
  level: number,
  beyondTopLevel: () => Error,
): string {
  const bits = rsplit(pkg, ".", level - 1);
  if (bits.length < level) throw beyondTopLevel();
  const base = bits[0]!;
  return name ? `${base}.${name}` : base;
}

function rsplit(text: string, sep: string, maxsplit: number): string[] {
  const parts: string[] = [];
  let end = text.length;
  while (parts.length < maxsplit) {
    const i = text.lastIndexOf(sep, end - 1);
    if (i < 0 || end === 0) break;
    parts.unshift(text.slice(i + 1, end));
    end = i;
  }
  parts.unshift(text.slice(0, end));
  return parts;
}

function iterate(value: PyValue): readonly PyValue[] {
  if (value instanceof PyList || value instanceof PyTuple) return value.items;
  if (typeof value === "string") return [...value];
  throw new TypeError_(`'${typeName(value)}' object is not iterable`);
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** `_init_module_attrs`: set the dunders from the spec (only missing ones unless `override`). */
export function initModuleAttrs(spec: ModuleSpec, module: Module, override: boolean): Module {
  const ns = module.dict;
  const missing = (key: string) => override || (ns.get(key) ?? null) === null;
  if (missing("__name__")) ns.set("__name__", spec.name);
  if (missing("__loader__")) {
    let loader = spec.loader;
    if (loader === null && spec.submoduleSearchLocations !== null) {
      loader = new NamespaceLoader(spec.submoduleSearchLocations);
      spec.loader = loader;
      ns.set("__file__", null);
    }
    ns.set("__loader__", loader);
  }
  if (missing("__package__")) ns.set("__package__", spec.parent);
  ns.set("__spec__", spec);
  if (missing("__path__") && spec.submoduleSearchLocations !== null)
    ns.set("__path__", spec.submoduleSearchLocations);
  if (spec.hasLocation) {
    if (missing("__file__")) ns.set("__file__", spec.origin);
    if (missing("__cached__") && spec.cached !== null) ns.set("__cached__", spec.cached);
  }
  return module;
}

export { NamespacePath };
