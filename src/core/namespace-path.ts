/**
 * CPython's `_NamespacePath`: a namespace package's `__path__`, recomputed from its parent's path
 * (or `sys.path`) whenever that changed or caches were invalidated (the epoch moved).
 */
import type { Awaitable } from "./awaitable.js";
import { isPromise } from "./awaitable.js";
import type { PyObject } from "./values.js";
import { PyList } from "./values.js";

/** What a package's search path may be: a plain list or a live namespace path. */
export type SearchPath = PyList | NamespacePath;

export interface NamespacePathHost {
  /** The current parent path: `sys.path` for a top-level name, else the parent package's `__path__`. */
  parentPath(name: string): Awaitable<readonly string[]>;
  /** PathFinder's `_get_spec`: the namespace portions for `name` along `parentPath`, or null. */
  findPortions(name: string, parentPath: readonly string[]): Awaitable<string[] | null>;
  /** Bumped by `invalidateCaches()`. */
  readonly namespaceEpoch: number;
}

export class NamespacePath implements PyObject {
  readonly pyType = "_NamespacePath";
  private lastParentPath: readonly string[];
  private lastEpoch: number;

  constructor(
    readonly name: string,
    private path: string[],
    parentPath: readonly string[],
    private readonly host: NamespacePathHost,
  ) {
    this.lastParentPath = [...parentPath];
    this.lastEpoch = host.namespaceEpoch;
  }

  /** The entries as last computed, without recomputing (CPython's `_path`, as `repr` shows it). */
  get current(): readonly string[] {
    return this.path;
  }

  /** Recompute if needed, then return the entries: what every read of `__path__` does. */
  entries(): Awaitable<readonly string[]> {
    const parent = this.host.parentPath(this.name);
    return isPromise(parent) ? parent.then((p) => this.recalculate(p)) : this.recalculate(parent);
  }

  append(entry: string): void {
    this.path.push(entry);
  }

  private recalculate(parentPath: readonly string[]): Awaitable<readonly string[]> {
    const epoch = this.host.namespaceEpoch;
    if (sameEntries(parentPath, this.lastParentPath) && epoch === this.lastEpoch) return this.path;
    const snapshot = [...parentPath];
    const apply = (portions: string[] | null): readonly string[] => {
      if (portions && portions.length > 0) this.path = portions;
      this.lastParentPath = snapshot;
      this.lastEpoch = epoch;
      return this.path;
    };
    const found = this.host.findPortions(this.name, snapshot);
    return isPromise(found) ? found.then(apply) : apply(found);
  }
}

function sameEntries(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Read a search path the way iterating `__path__` does (recomputing a namespace path), keeping the string
 * entries: the path importer skips anything else, as CPython's does.
 */
export function searchPathEntries(path: SearchPath): Awaitable<readonly string[]> {
  if (path instanceof PyList) return path.items.filter((e): e is string => typeof e === "string");
  return path.entries();
}
