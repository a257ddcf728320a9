/** A module object: a namespace (CPython's `__dict__`) with the import-system dunders. */
import { AttributeError, ImportError } from "./errors.js";
import type { ImportContext, Loader } from "./interfaces.js";
import type { SearchPath } from "./namespace-path.js";
import { NamespacePath } from "./namespace-path.js";
import { ModuleSpec } from "./spec.js";
import type { PyObject, PyValue } from "./values.js";
import { PyList } from "./values.js";

/**
 * An overlay that cannot be loaded: the module has none, the name is unknown, or the file changed since the
 * module was loaded. A Python exception (an ImportError subclass, `name` = the module, `path` = the file),
 * so scenario Python can catch it with `except ImportError`. See src/hooks/overlays.
 */
export class OverlayError extends ImportError {
  static override readonly pyTypeName: string = "OverlayError";
}

export interface LoadOverlayOptions {
  /** Run the overlay again even if it is loaded. */
  readonly forceReload?: boolean;
  /** The import task to run the overlay's imports in (default: a new one). */
  readonly ctx?: ImportContext;
}

/** Where a module's overlays come from; attached by the loader that loaded it (src/hooks/overlays). */
export interface ModuleOverlays {
  /** 1 = loaded now, 2 = already loaded and not run again. */
  load(module: Module, name: PyValue, options: LoadOverlayOptions): Promise<1 | 2>;
}

export class Module implements PyObject {
  readonly pyType = "module";
  /** The module's namespace, in insertion order, as `vars(module)`. */
  readonly dict = new Map<string, PyValue>();
  /**
   * Consulted when an attribute is missing, before AttributeError (CPython: a module-level `__getattr__`).
   * Returns undefined when it has nothing either.
   */
  missingAttribute?: (name: string) => PyValue | undefined;
  /** The module's overlays, when it was loaded from a file that has them (see {@link loadOverlay}). */
  overlays?: ModuleOverlays;
  /** CPython 3.13+ names the module's origin in the circular-import AttributeError; set by the import system. */
  attributeErrorsNameOrigin = false;

  constructor(name: string, doc: string | null = null) {
    this.dict.set("__name__", name);
    this.dict.set("__doc__", doc);
    this.dict.set("__package__", null);
    this.dict.set("__loader__", null);
    this.dict.set("__spec__", null);
  }

  /** `__name__` (what CPython error messages print for this module). */
  get name(): string {
    const name = this.dict.get("__name__");
    return typeof name === "string" ? name : "?";
  }

  /** `__spec__`, when it is a ModuleSpec. */
  get spec(): ModuleSpec | null {
    const spec = this.dict.get("__spec__");
    return spec instanceof ModuleSpec ? spec : null;
  }

  get loader(): Loader | null {
    const loader = this.dict.get("__loader__");
    return (loader as Loader | null | undefined) ?? null;
  }

  /** `__file__` if it is a string. */
  get file(): string | null {
    const file = this.dict.get("__file__");
    return typeof file === "string" ? file : null;
  }

  /** `__path__` if present (then the module is a package). */
  get path(): SearchPath | undefined {
    const path = this.dict.get("__path__");
    if (path instanceof PyList || path instanceof NamespacePath) return path;
    return undefined;
  }

  /**
   * Run the named overlay in this module's namespace: 1 = loaded now, 2 = already loaded (not run again
   * unless `forceReload`). A module without overlays, or an unknown name, raises {@link OverlayError}.
   */
  async loadOverlay(name: PyValue, options: LoadOverlayOptions = {}): Promise<1 | 2> {
    if (this.overlays === undefined) {
      throw new OverlayError(`module '${this.name}' has no overlays`, { name: this.name, path: this.file });
    }
    return this.overlays.load(this, name, options);
  }

  has(name: string): boolean {
    return this.dict.has(name) || this.missingAttribute?.(name) !== undefined;
  }

  /** `getattr(module, name, None)`-style lookup: undefined when absent. */
  lookup(name: string): PyValue | undefined {
    const value = this.dict.get(name);
    if (value !== undefined || this.dict.has(name)) return value;
    return this.missingAttribute?.(name);
  }

  /** `getattr(module, name)`, raising CPython's AttributeError (with its circular-import wording). */
  getAttr(name: string): PyValue {
    const value = this.lookup(name);
    if (value !== undefined) return value;
    throw this.attributeError(name);
  }

  setAttr(name: string, value: PyValue): void {
    this.dict.set(name, value);
  }

  deleteAttr(name: string): void {
    if (!this.dict.delete(name)) throw this.attributeError(name);
  }

  /** The AttributeError CPython's `module_getattro` raises for a missing attribute. */
  attributeError(name: string): AttributeError {
    const modName = this.dict.get("__name__");
    if (typeof modName !== "string") return new AttributeError(`module has no attribute '${name}'`);
    const spec = this.spec;
    if (spec?.initializing) {
      const origin =
        this.attributeErrorsNameOrigin && spec.hasLocation && spec.origin !== null
          ? ` from '${spec.origin}'`
          : "";
      return new AttributeError(
        `partially initialized module '${modName}'${origin} has no attribute '${name}' (most likely due to a circular import)`,
      );
    }
    if (spec?.uninitializedSubmodules.includes(name)) {
      return new AttributeError(
        `cannot access submodule '${name}' of module '${modName}' (most likely due to a circular import)`,
      );
    }
    return new AttributeError(`module '${modName}' has no attribute '${name}'`);
  }
}
