/**
 * CPython's `PathFinder`: walks a path (`sys.path`, or a package's `__path__`) entry by entry, getting each
 * entry's finder from the path-importer cache or, on a miss, from the path hooks; collects namespace
 * portions and turns them into a namespace package when no module is found.
 *
 * The walk stays synchronous as long as hooks and finders answer synchronously (the directory finder
 * does), so a lookup costs no promise; an async hook or finder switches the rest of the walk to async.
 */
import type { Awaitable } from "../core/awaitable.js";
import { isPromise } from "../core/awaitable.js";
import { ImportError } from "../core/errors.js";
import type { ImportEvents } from "../core/events.js";
import type { FileSystem } from "../core/fs/file-system.js";
import type { ImportContext, Importer, PathEntryFinder } from "../core/interfaces.js";
import type { Module } from "../core/module.js";
import type { NamespacePathHost } from "../core/namespace-path.js";
import { NamespacePath, searchPathEntries } from "../core/namespace-path.js";
import { ModuleSpec } from "../core/spec.js";
import type { SysState } from "../core/sys-state.js";
import { PyList } from "../core/values.js";

export class PathFinder implements Importer, NamespacePathHost {
  readonly pyType = "PathFinder";

  constructor(
    private readonly sys: SysState,
    private readonly fs: FileSystem,
    private readonly events: ImportEvents,
    private readonly namespacePathsFollowInvalidation = true,
    /** 3.11+: invalidating also drops relative entries' finders; before, only None entries went. */
    private readonly dropsRelativeEntries = true,
  ) {}

  get namespaceEpoch(): number {
    return this.sys.namespaceEpoch;
  }

  /** `PathFinder.invalidate_caches`: drop None and relative entries, let finders drop theirs, move the namespace epoch. */
  invalidateCaches(): void {
    const cache = this.sys.pathImporterCache;
    for (const [entry, finder] of [...cache]) {
      if (finder === null || (this.dropsRelativeEntries && !entry.startsWith("/"))) cache.delete(entry);
      else finder.invalidateCaches?.();
    }
    // `_NamespacePath._epoch` exists since 3.9: before, invalidating left namespace paths as they were.
    if (this.namespacePathsFollowInvalidation) this.sys.namespaceEpoch++;
  }

  /** `PathFinder.find_spec`. */
  findSpec(
    name: string,
    path: readonly string[] | null,
    _target: Module | null,
    _ctx?: ImportContext,
  ): Awaitable<ModuleSpec | null> {
    const entries = path ?? this.sys.path;
    const spec = this.getSpec(name, entries);
    return isPromise(spec) ? spec.then((s) => this.finish(name, s, path)) : this.finish(name, spec, path);
  }

  /** The finder for one path entry (`_path_importer_cache`): cached, else made by the first hook that accepts it. */
  finderFor(entry: string): Awaitable<PathEntryFinder | null> {
    let key = entry;
    if (key === "") {
      key = this.fs.cwd();
      if (!key) return null;
    }
    const audit = this.sys.auditHooks;
    if (audit.active) audit.audit({ event: "importkit.path_entry", entry: key });
    const cache = this.sys.pathImporterCache;
    const cached = cache.get(key);
    if (cached !== undefined) {
      if (this.events.active)
        this.events.emit({ type: "path-entry", entry: key, finder: cached?.pyType ?? null, cache: "hit" });
      return cached;
    }
    return this.askHooks(key, 0);
  }

  // ---- NamespacePathHost -------------------------------------------------------------------------

  /** `_NamespacePath._get_parent_path`: `sys.path` for top-level names, else the parent's `__path__`. */
  parentPath(name: string, given: readonly string[] | null = null): Awaitable<readonly string[]> {
    const dot = name.lastIndexOf(".");
    if (dot < 0) return this.sys.path;
    const parent = this.sys.modules.get(name.slice(0, dot));
    const path = parent?.path;
    // A direct findSpec for a child of a parent that was never imported (as `importkit resolve` does):
    // CPython would raise KeyError; the path the caller gave is the meaningful answer there.
    if (path === undefined) return given ?? [];
    return searchPathEntries(path);
  }

  findPortions(name: string, parentPath: readonly string[]): Awaitable<string[] | null> {
    const spec = this.getSpec(name, parentPath);
    const portions = (s: ModuleSpec | null) =>
      s !== null && s.loader === null && s.submoduleSearchLocations !== null ? portionsOf(s) : null;
    return isPromise(spec) ? spec.then(portions) : portions(spec);
  }

  // ---- internals ---------------------------------------------------------------------------------

  private askHooks(entry: string, from: number): Awaitable<PathEntryFinder | null> {
    const hooks = this.sys.pathHooks;
    for (let i = from; i < hooks.length; i++) {
      const hook = hooks[i]!;
      let made: Awaitable<PathEntryFinder | null>;
      try {
        made = hook.createFinder(entry);
      } catch (error) {
        if (error instanceof ImportError) continue; // CPython's hooks decline by raising ImportError
        throw error;
      }
      if (isPromise(made)) {
        return made.then(
          (finder) => (finder ? this.remember(entry, finder, hook.name) : this.askHooks(entry, i + 1)),
          (error: unknown) => {
            if (error instanceof ImportError) return this.askHooks(entry, i + 1);
            throw error;
          },
        );
      }
      if (made) return this.remember(entry, made, hook.name);
      if (this.events.active)
        this.events.emit({ type: "path-hook", hook: hook.name, entry, accepted: false });
    }
    this.sys.pathImporterCache.set(entry, null);
    if (this.events.active) this.events.emit({ type: "path-entry", entry, finder: null, cache: "new" });
    return null;
  }

  private remember(entry: string, finder: PathEntryFinder, hook: string): PathEntryFinder {
    this.sys.pathImporterCache.set(entry, finder);
    if (this.events.active) {
      this.events.emit({ type: "path-hook", hook, entry, accepted: true });
      this.events.emit({ type: "path-entry", entry, finder: finder.pyType, cache: "new" });
    }
    return finder;
  }

  /**
   * `PathFinder._get_spec`: the first entry with a module wins; namespace portions are collected on the
   * way. Returns a loader-less spec holding the portions when no module was found.
   */
  private getSpec(
    name: string,
    entries: readonly string[],
    from = 0,
    portions: string[] = [],
  ): Awaitable<ModuleSpec | null> {
    for (let i = from; i < entries.length; i++) {
      const entry = entries[i]!;
      if (typeof entry !== "string") continue;
      const finder = this.finderFor(entry);
      if (isPromise(finder)) {
        return finder.then((f) => this.continueWith(name, entries, i, portions, f));
      }
      if (finder === null) continue;
      const spec = finder.findSpec(name, null);
      if (isPromise(spec)) return spec.then((s) => this.continueAfter(name, entries, i, portions, s));
      if (spec === null) continue;
      if (spec.loader !== null) return spec;
      collectPortions(spec, portions);
    }
    // No module: a loader-less spec carrying the namespace portions, or nothing at all (the common miss).
    return portions.length === 0
      ? null
      : new ModuleSpec(name, null, { submoduleSearchLocations: new PyList(portions) });
  }

  private continueWith(
    name: string,
    entries: readonly string[],
    i: number,
    portions: string[],
    finder: PathEntryFinder | null,
  ): Awaitable<ModuleSpec | null> {
    if (finder === null) return this.getSpec(name, entries, i + 1, portions);
    const spec = finder.findSpec(name, null);
    return isPromise(spec)
      ? spec.then((s) => this.continueAfter(name, entries, i, portions, s))
      : this.continueAfter(name, entries, i, portions, spec);
  }

  private continueAfter(
    name: string,
    entries: readonly string[],
    i: number,
    portions: string[],
    spec: ModuleSpec | null,
  ): Awaitable<ModuleSpec | null> {
    if (spec !== null) {
      if (spec.loader !== null) return spec;
      collectPortions(spec, portions);
    }
    return this.getSpec(name, entries, i + 1, portions);
  }

  /** The end of `find_spec`: a namespace package only if portions were found. */
  private finish(
    name: string,
    spec: ModuleSpec | null,
    path: readonly string[] | null,
  ): Awaitable<ModuleSpec | null> {
    if (spec === null || spec.loader !== null) return spec;
    const portions = portionsOf(spec);
    if (portions.length === 0) return null;
    const parentPath = this.parentPath(name, path);
    const make = (parent: readonly string[]) => {
      spec.origin = null;
      spec.submoduleSearchLocations = new NamespacePath(name, portions, parent, this);
      return spec;
    };
    return isPromise(parentPath) ? parentPath.then(make) : make(parentPath);
  }
}

/** The portions `_get_spec` collected into its loader-less spec. */
function portionsOf(spec: ModuleSpec): string[] {
  const locations = spec.submoduleSearchLocations;
  if (locations instanceof PyList) return locations.items.filter((e): e is string => typeof e === "string");
  return locations === null ? [] : [...locations.current];
}

/** A loader-less spec from a path-entry finder is a namespace portion: its search locations are collected. */
function collectPortions(spec: ModuleSpec, into: string[]): void {
  const locations = spec.submoduleSearchLocations;
  if (locations === null) throw new ImportError("spec missing loader");
  if (locations instanceof NamespacePath) into.push(...locations.current);
  else for (const entry of locations.items) if (typeof entry === "string") into.push(entry);
}
