/**
 * Where modules would be found, running nothing: the path importer (and, on request, the whole importer
 * list) asked directly, with a submodule's parent path taken from the parent's resolved spec instead of
 * from executing the parent. `importkit resolve` and the W1/W2 benchmarks use this.
 */
import type { Awaitable } from "../core/awaitable.js";
import { isPromise } from "../core/awaitable.js";
import { NotSupportedError, PyBaseException } from "../core/errors.js";
import type { ImportContext, Importer } from "../core/interfaces.js";
import { searchPathEntries } from "../core/namespace-path.js";
import type { ModuleSpec } from "../core/spec.js";

export interface Resolution {
  readonly name: string;
  /** null when not found */
  readonly origin: string | null;
  readonly loader: string | null;
  readonly submodule_search_locations: string[] | null;
  readonly cached: string | null;
  /** What the find raised, as CPython's `find_spec` can (a zip member with a syntax error, a corrupt pyc). */
  readonly error?: { readonly type: string; readonly message: string };
}

export class Resolver {
  private readonly known = new Map<string, ModuleSpec | null>();

  constructor(
    /** Asked in order; the default is the path importer alone (what is on disk). */
    private readonly importers: readonly Importer[],
    private readonly ctx: ImportContext,
  ) {}

  /** One lookup: `find_spec(name, parentPath)` on each importer in turn, synchronous when the hooks are. */
  findSpec(name: string, parentPath: readonly string[] | null): Awaitable<ModuleSpec | null> {
    return this.ask(name, parentPath, 0);
  }

  /** The spec of a dotted name, resolving its parents first (memoised until {@link forget}). */
  async resolveSpec(name: string): Promise<ModuleSpec | null> {
    if (this.known.has(name)) return this.known.get(name)!;
    const dot = name.lastIndexOf(".");
    let parentPath: readonly string[] | null = null;
    if (dot >= 0) {
      const parent = await this.resolveSpec(name.slice(0, dot));
      const locations = parent?.submoduleSearchLocations;
      if (!locations) {
        this.known.set(name, null);
        return null;
      }
      parentPath = await searchPathEntries(locations);
    }
    const found = this.findSpec(name, parentPath);
    const spec = isPromise(found) ? await found : found;
    this.known.set(name, spec);
    return spec;
  }

  async resolve(name: string): Promise<Resolution> {
    try {
      return describeSpec(name, await this.resolveSpec(name));
    } catch (error) {
      if (!(error instanceof PyBaseException)) throw error;
      this.known.set(name, null);
      return { ...describeSpec(name, null), error: { type: error.pyType, message: error.message } };
    }
  }

  /** Drop memoised specs (after the tree changed). */
  forget(): void {
    this.known.clear();
  }

  private ask(
    name: string,
    parentPath: readonly string[] | null,
    from: number,
  ): Awaitable<ModuleSpec | null> {
    for (let i = from; i < this.importers.length; i++) {
      const found = this.importers[i]!.findSpec(name, parentPath, null, this.ctx);
      if (isPromise(found)) return found.then((spec) => spec ?? this.ask(name, parentPath, i + 1));
      if (found !== null) return found;
    }
    return null;
  }
}

export function describeSpec(name: string, spec: ModuleSpec | null): Resolution {
  if (spec === null)
    return { name, origin: null, loader: null, submodule_search_locations: null, cached: null };
  const locations = spec.submoduleSearchLocations;
  let searchLocations: string[] | null = null;
  if (locations !== null) {
    searchLocations =
      "items" in locations
        ? locations.items.filter((e): e is string => typeof e === "string")
        : [...locations.current];
  }
  return {
    name,
    origin: spec.origin,
    loader: spec.loaderKind,
    submodule_search_locations: searchLocations,
    cached: spec.cached,
  };
}

/** Synchronous findSpec for callers that cannot wait (benchmarks): fails loudly if a hook is async. */
export function findSpecSync(
  resolver: Resolver,
  name: string,
  parentPath: readonly string[] | null,
): ModuleSpec | null {
  const found = resolver.findSpec(name, parentPath);
  if (isPromise(found)) {
    throw new NotSupportedError(
      `a path hook or finder answered asynchronously for '${name}'; use resolveSpec()`,
    );
  }
  return found;
}
