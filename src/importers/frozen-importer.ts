/**
 * CPython's `FrozenImporter`: the second entry of `sys.meta_path`, finder and loader in one, serving the
 * modules whose code is compiled into the interpreter (`_imp._frozen_module_names()`, from the profile).
 *
 * Follows 3.11's `find_spec` / `create_module` / `exec_module` (3.12 and 3.13 are the same), and 3.8–3.10's
 * older shape for those profiles: no loader state, default module creation, no `__file__`.
 * The profile's frozen code itself is not modelled: executing emits a `not-modelled` event and adds nothing.
 * Modules registered in a {@link FrozenTable} (the program's own frozen modules) are found first and their
 * code runs.
 */

import type { Awaitable } from "../core/awaitable.js";
import { AttributeError, ImportError } from "../core/errors.js";
import type { ImportContext, Importer, Loader } from "../core/interfaces.js";
import { Module } from "../core/module.js";
import type { FrozenModuleInfo, VersionProfile } from "../core/profile.js";
import { ModuleSpec } from "../core/spec.js";
import { PyList, pyRepr } from "../core/values.js";
import type { LoaderEnvironment } from "../hooks/loader-environment.js";
import { runModuleCode } from "../hooks/module-code.js";
import type { FrozenModuleDefinition, FrozenTable } from "./frozen-table.js";

/** 3.11+'s `spec.loader_state` (a SimpleNamespace in CPython). */
export interface FrozenLoaderState {
  /** What `__file__` becomes: the module's would-be source file in the stdlib dir, or null. */
  readonly filename: string | null;
  /** The module whose code this name runs (`<pkg` marks a package's `__init__` alias), or null. */
  readonly origname: string | null;
}

export function isFrozenLoaderState(value: unknown): value is FrozenLoaderState {
  return typeof value === "object" && value !== null && "filename" in value && "origname" in value;
}

const STDLIB_PREFIX = "<stdlib>";

export class FrozenImporter implements Importer, Loader {
  readonly pyType = "FrozenImporter";
  /** 3.11 reworked the importer around `_imp.find_frozen` (loader state, `__file__`, `__path__` entries). */
  private readonly hasLoaderState: boolean;
  /** `sys._stdlib_dir` without a trailing separator, as the profile's `<stdlib>` paths expect. */
  private readonly stdlibBase: string;

  constructor(
    private readonly profile: VersionProfile,
    readonly stdlibDir: string,
    /** The program's own frozen modules, and the environment their code runs in. */
    private readonly own: { readonly table: FrozenTable; readonly env: LoaderEnvironment } | null = null,
  ) {
    const [major, minor] = profile.versionInfo;
    this.hasLoaderState = major > 3 || (major === 3 && minor >= 11);
    this.stdlibBase = stdlibDir.replace(/\/+$/, "");
  }

  /** `find_spec`: frozen modules are found whatever `path` is (no check in any version). */
  findSpec(
    name: string,
    _path: readonly string[] | null,
    _target: Module | null,
    _ctx: ImportContext,
  ): ModuleSpec | null {
    const own = this.own?.table.get(name);
    if (own !== undefined) return this.ownSpec(own);
    const info = this.profile.frozenModules.get(name);
    if (info === undefined) return null;
    if (!this.hasLoaderState) {
      // 3.8–3.10: `spec_from_loader(name, cls, origin="frozen")`, `is_package` asked of the loader.
      return new ModuleSpec(name, this, { origin: "frozen", isPackage: info.isPackage });
    }
    const loaderState: FrozenLoaderState = { filename: this.filenameOf(info), origname: info.origname };
    return new ModuleSpec(name, this, {
      origin: "frozen",
      loaderState,
      // `spec_from_loader(..., is_package=ispkg)` gives [], then the package dir is inserted if resolved.
      submoduleSearchLocations: info.isPackage ? new PyList(this.searchLocationsOf(info)) : null,
    });
  }

  /**
   * 3.11+: a fresh module with `__file__` set from the loader state, if it has a filename (`__file__` thus
   * comes right after the five dunders of a new module, before `_init_module_attrs` adds `__path__`).
   * 3.8–3.10: null, "use default semantics for module creation".
   */
  createModule(spec: ModuleSpec, _ctx: ImportContext): Module | null {
    if (!this.hasLoaderState) return null;
    const module = new Module(spec.name);
    const state = spec.loaderState;
    if (isFrozenLoaderState(state) && state.filename) module.setAttr("__file__", state.filename);
    return module;
  }

  /** `exec_module`: fetch the frozen code for `__spec__.name` and run it (not modelled for the profile's modules). */
  execModule(module: Module, ctx: ImportContext): Awaitable<void> {
    const spec = module.spec;
    if (spec === null) throw new AttributeError("'NoneType' object has no attribute 'name'");
    const name = spec.name;
    const own = this.own?.table.get(name);
    if (own !== undefined)
      return runModuleCode(this.own!.env, this.own!.table.codeOf(own, this.own!.env), module, ctx);
    if (!this.profile.frozenModules.has(name)) {
      // 3.11+: `_imp.get_frozen_object` fails; 3.8–3.10 checked `_imp.is_frozen` first.
      const message = this.hasLoaderState
        ? `No such frozen object named ${pyRepr(name)}`
        : `${pyRepr(name)} is not a frozen module`;
      throw new ImportError(message, { name });
    }
    if (ctx.system.tracing) ctx.system.emit({ type: "not-modelled", name, what: "frozen module body" });
  }

  /** `_imp.is_frozen_package` (`_requires_frozen` first). */
  isPackage(name: string): boolean {
    const own = this.own?.table.get(name);
    if (own !== undefined) return own.isPackage ?? false;
    return this.requireFrozen(name).isPackage;
  }

  /** Frozen modules have no source (`_requires_frozen` first). */
  getSource(name: string): string | null {
    if (this.own?.table.get(name) === undefined) this.requireFrozen(name);
    return null;
  }

  /** The spec of a registered module, shaped as the profile's frozen modules are. */
  private ownSpec(definition: FrozenModuleDefinition): ModuleSpec {
    const isPackage = definition.isPackage ?? false;
    if (!this.hasLoaderState) return new ModuleSpec(definition.name, this, { origin: "frozen", isPackage });
    const loaderState: FrozenLoaderState = {
      filename: definition.filename ?? null,
      origname: definition.name,
    };
    return new ModuleSpec(definition.name, this, {
      origin: "frozen",
      loaderState,
      submoduleSearchLocations: isPackage ? new PyList([...(definition.path ?? [])]) : null,
    });
  }

  /** `_resolve_filename`'s filename, as the profile recorded it; null without a stdlib dir or origname. */
  private filenameOf(info: FrozenModuleInfo): string | null {
    if (!this.profile.hasStdlibDir || info.file === null) return null;
    return this.inStdlib(info.file);
  }

  /** `__path__` of a frozen package: [pkgdir] when `_resolve_filename` found one, else []. */
  private searchLocationsOf(info: FrozenModuleInfo): string[] {
    if (!this.profile.hasStdlibDir || info.path === null) return [];
    return info.path.map((entry) => this.inStdlib(entry));
  }

  private inStdlib(path: string): string {
    return path.startsWith(STDLIB_PREFIX) ? this.stdlibBase + path.slice(STDLIB_PREFIX.length) : path;
  }

  /** `_requires_frozen`: `'x' is not a frozen module`. */
  private requireFrozen(name: string): FrozenModuleInfo {
    const info = this.profile.frozenModules.get(name);
    if (info === undefined) throw new ImportError(`${pyRepr(name)} is not a frozen module`, { name });
    return info;
  }
}
