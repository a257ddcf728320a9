/** CPython's `ModuleSpec`: everything known about a module before it runs. */
import { cachedPathFor } from "./cache-path.js";
import type { Loader } from "./interfaces.js";
import type { SearchPath } from "./namespace-path.js";
import type { VersionProfile } from "./profile.js";
import type { PyObject } from "./values.js";
import { PyList } from "./values.js";

export class ModuleSpec implements PyObject {
  readonly pyType = "ModuleSpec";
  /** `origin`: a file path, "built-in", "frozen", or null (namespace packages). */
  origin: string | null;
  /** Present for packages: where submodules are searched (a list, or a live namespace path). */
  submoduleSearchLocations: SearchPath | null;
  /** Loader-specific data (CPython's `loader_state`). */
  loaderState: unknown;
  /** CPython's `_set_fileattr`: the origin is a real location, so `__file__` is set from it. */
  hasLocation: boolean;
  private cachedValue: string | null;
  /** Set while `cached` is still to be derived from the origin: CPython's `ModuleSpec.cached` is lazy too. */
  private cachedProfile: VersionProfile | null;
  /** CPython's `_initializing`: true while the module body runs (circular import messages depend on it). */
  initializing = false;
  /** CPython's `_uninitialized_submodules`: children of this package whose import is under way. */
  readonly uninitializedSubmodules: string[] = [];

  constructor(
    readonly name: string,
    public loader: Loader | null,
    options: {
      origin?: string | null;
      loaderState?: unknown;
      isPackage?: boolean;
      hasLocation?: boolean;
      cached?: string | null;
      /** Instead of `cached`: derive it from the origin (`_get_cached`) with this profile when first read. */
      cachedProfile?: VersionProfile;
      submoduleSearchLocations?: SearchPath | null;
    } = {},
  ) {
    this.origin = options.origin ?? null;
    this.loaderState = options.loaderState;
    this.submoduleSearchLocations =
      options.submoduleSearchLocations ?? (options.isPackage ? new PyList() : null);
    this.hasLocation = options.hasLocation ?? false;
    this.cachedValue = options.cached ?? null;
    this.cachedProfile = options.cachedProfile ?? null;
  }

  /** `__cached__` (the bytecode cache path), or null. */
  get cached(): string | null {
    const profile = this.cachedProfile;
    if (profile !== null) {
      this.cachedProfile = null;
      if (this.cachedValue === null && this.origin !== null && this.hasLocation) {
        this.cachedValue = cachedPathFor(this.origin, profile);
      }
    }
    return this.cachedValue;
  }

  set cached(value: string | null) {
    this.cachedValue = value;
    this.cachedProfile = null;
  }

  /** The package this module belongs to: the name itself for a package, else everything before the last dot. */
  get parent(): string {
    if (this.submoduleSearchLocations === null) {
      const dot = this.name.lastIndexOf(".");
      return dot < 0 ? "" : this.name.slice(0, dot);
    }
    return this.name;
  }

  /** The CPython class name of the loader, as results and traces report it. */
  get loaderKind(): string | null {
    return this.loader?.pyType ?? null;
  }
}
