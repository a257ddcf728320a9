/**
 * CPython's `FileFinder`: finds modules in one directory through the file hooks. Its own listing of the
 * directory (CPython's `_path_cache`) is refreshed only when the directory's mtime changes or caches are
 * invalidated — exactly CPython's staleness, which scenarios pin down. What CPython confirms with live
 * stats (is that candidate a file? is that a directory?) is answered by the shared {@link LocationCache}.
 */
import type { ImportEvents } from "../core/events.js";
import type { FileSystem } from "../core/fs/file-system.js";
import { joinPath } from "../core/fs/file-system.js";
import type { PathEntryFinder } from "../core/interfaces.js";
import type { VersionProfile } from "../core/profile.js";
import { ModuleSpec } from "../core/spec.js";
import { PyList } from "../core/values.js";
import type { FileHookRegistry, SuffixHook } from "./file-hook-registry.js";
import { candidateFiles, modulesOfStem } from "./file-hook-registry.js";
import type { DirectoryContents, LocationCache } from "./location-cache.js";
import { specFromFileLocation } from "./spec-from-file.js";

const EMPTY: ReadonlySet<string> = new Set();

/** A module file found earlier, with the live contents that confirmed it and the hook order of the time. */
interface FoundModule {
  readonly hook: SuffixHook["hook"];
  readonly path: string;
  readonly from: DirectoryContents;
  readonly hooks: readonly SuffixHook[];
}

export class DirectoryFinder implements PathEntryFinder {
  readonly pyType = "FileFinder";
  private listing: ReadonlySet<string> = EMPTY;
  private listingMtime = -1;
  /**
   * Module files found, by tail: while the listing and the live contents that confirmed them stand (the same
   * DirectoryContents object), CPython's probes would give the same answer again. Cleared on refresh.
   */
  private readonly found = new Map<string, FoundModule>();
  /** The listing's names with a file-hook suffix taken off, for one-probe misses (built on the first miss). */
  private stems: ReadonlySet<string> | null = null;
  private stemsMadeFor: { listing: ReadonlySet<string>; hooks: readonly SuffixHook[] } | null = null;
  private acceptsMadeFor: readonly SuffixHook[] | null = null;
  private acceptsAny = false;

  constructor(
    /** The directory, absolute. */
    readonly path: string,
    private readonly fileHooks: FileHookRegistry,
    private readonly fs: FileSystem,
    private readonly locations: LocationCache,
    private readonly profile: VersionProfile,
    private readonly events: ImportEvents,
  ) {}

  /** `FileFinder.invalidate_caches`: the next lookup re-lists the directory. */
  invalidateCaches(): void {
    this.listingMtime = -1;
    this.found.clear();
    this.locations.clear();
  }

  findSpec(fullname: string): ModuleSpec | null {
    const tail = fullname.slice(fullname.lastIndexOf(".") + 1);
    const fs = this.fs;
    const dirStat = fs.stat(this.path);
    const mtime = dirStat ? dirStat.mtimeMs : -1;
    // Live view of this directory, made at most once per lookup and only when a candidate needs it.
    let here: DirectoryContents | undefined | null = null;
    if (mtime !== this.listingMtime) {
      here = dirStat ? this.locations.current(this.path, dirStat) : undefined;
      this.listing = here ? here.names : this.listDirect();
      this.listingMtime = mtime;
      this.found.clear();
      if (this.events.active) {
        this.events.emit({
          type: "location-cache",
          dir: this.path,
          action: "refresh",
          entries: this.listing.size,
        });
      }
    } else if (this.events.active) {
      this.events.emit({ type: "location-cache", dir: this.path, action: "hit" });
    }
    const suffixHooks = this.fileHooks.suffixHooks;
    // No directory and no file of any suffix by that name in the listing: missing. One probe answers what
    // CPython's per-suffix `in cache` probes answer (negative lookups take this path).
    if (!this.listing.has(tail) && !this.stemsOf(suffixHooks).has(tail)) {
      if (this.events.active) this.reportFind(fullname, "none");
      return null;
    }
    let namespaceDir: string | null = null;
    if (this.listing.has(tail)) {
      const base = joinPath(this.path, tail);
      const baseStat = fs.stat(base);
      if (baseStat?.kind === "dir") {
        const pkg = this.locations.current(base, baseStat);
        for (const { suffix, hook } of suffixHooks) {
          const init = `__init__${suffix}`;
          const isFile = pkg ? pkg.isFile(fs, base, init) : fs.stat(joinPath(base, init))?.kind === "file";
          if (isFile && (hook.accepts === undefined || hook.accepts(fullname, joinPath(base, init))))
            return this.spec(hook, fullname, joinPath(base, init), [base]);
        }
        namespaceDir = base;
      }
    }
    const known = this.found.get(tail);
    if (known !== undefined) {
      if (here === null) here = dirStat ? this.locations.current(this.path, dirStat) : undefined;
      if (here === known.from && known.hooks === suffixHooks)
        return this.spec(known.hook, fullname, known.path, null);
    }
    for (const suffixHook of suffixHooks) {
      const { suffix, hook } = suffixHook;
      // Most hooks make one module per file; a generator's file may make several (`foo.isl` → foo__skel).
      const files = hook.moduleSuffixes === undefined ? null : candidateFiles(tail, suffixHook);
      for (let i = 0, n = files === null ? 1 : files.length; i < n; i++) {
        const file = files === null ? tail + suffix : files[i]!;
        if (!this.listing.has(file)) continue;
        if (here === null) here = dirStat ? this.locations.current(this.path, dirStat) : undefined;
        const full = joinPath(this.path, file);
        const isFile = here ? here.isFile(fs, this.path, file) : fs.stat(full)?.kind === "file";
        if (isFile && (hook.accepts === undefined || hook.accepts(fullname, full))) {
          // A symlink's target can change without the directory's stamp moving: only plain files are kept.
          // Nor is anything kept while a hook may decline files by module name (`accepts`): the memo is
          // by last name component, and `_accel` and `pkg._accel` may be answered differently.
          if (here?.isPlainFile(file) && !this.anyAccepts(suffixHooks))
            this.found.set(tail, { hook, path: full, from: here, hooks: suffixHooks });
          return this.spec(hook, fullname, full, null);
        }
      }
    }
    if (namespaceDir !== null) {
      if (this.events.active) this.reportFind(fullname, "namespace");
      return new ModuleSpec(fullname, null, { submoduleSearchLocations: new PyList([namespaceDir]) });
    }
    if (this.events.active) this.reportFind(fullname, "none");
    return null;
  }

  private reportFind(name: string, result: "module" | "namespace" | "none"): void {
    this.events.emit({ type: "entry-find", finder: this.pyType, entry: this.path, name, result });
  }

  /** Whether a hook of this order may decline files (`accepts`): then found files are not memoised. */
  private anyAccepts(hooks: readonly SuffixHook[]): boolean {
    if (this.acceptsMadeFor !== hooks) {
      this.acceptsMadeFor = hooks;
      this.acceptsAny = hooks.some(({ hook }) => hook.accepts !== undefined);
    }
    return this.acceptsAny;
  }

  /** The listing's stems for these hooks: `tail` is among them iff the listing has `tail + suffix` for a suffix. */
  private stemsOf(hooks: readonly SuffixHook[]): ReadonlySet<string> {
    const made = this.stemsMadeFor;
    if (this.stems !== null && made !== null && made.listing === this.listing && made.hooks === hooks)
      return this.stems;
    const stems = new Set<string>();
    for (const name of this.listing) {
      for (const { suffix, hook } of hooks) {
        if (!name.endsWith(suffix)) continue;
        const stem = name.slice(0, -suffix.length);
        if (hook.moduleSuffixes === undefined) stems.add(stem);
        else for (const module of modulesOfStem(stem, hook)) stems.add(module);
      }
    }
    this.stems = stems;
    this.stemsMadeFor = { listing: this.listing, hooks };
    return stems;
  }

  toString(): string {
    return `FileFinder('${this.path}')`;
  }

  /** CPython's `_fill_cache` when the file system gives no change stamp. */
  private listDirect(): ReadonlySet<string> {
    const entries = this.fs.readdir(this.path);
    return entries ? new Set(entries.map((e) => e.name)) : EMPTY;
  }

  private spec(
    hook: SuffixHook["hook"],
    fullname: string,
    path: string,
    searchLocations: string[] | null,
  ): ModuleSpec {
    if (this.events.active) {
      this.events.emit({ type: "file-hook", hook: hook.name, path });
      this.reportFind(fullname, "module");
    }
    return specFromFileLocation(
      fullname,
      path,
      hook.createLoader(fullname, path),
      searchLocations,
      this.profile,
    );
  }
}
