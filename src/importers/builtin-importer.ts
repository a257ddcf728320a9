/**
 * CPython's `BuiltinImporter`: the first entry of `sys.meta_path`, finder and loader in one, serving the
 * modules compiled into the interpreter (`sys.builtin_module_names`, from the version profile).
 *
 * A built-in module's contents come from C code importkit does not model: the module it makes holds only
 * the import-system dunders, and a `not-modelled` event says so. Attributes are never invented.
 */
import { ImportError } from "../core/errors.js";
import type { ImportContext, Importer, Loader } from "../core/interfaces.js";
import { Module } from "../core/module.js";
import type { VersionProfile } from "../core/profile.js";
import { ModuleSpec } from "../core/spec.js";
import { pyRepr } from "../core/values.js";

export class BuiltinImporter implements Importer, Loader {
  readonly pyType = "BuiltinImporter";
  /**
   * Up to 3.11.3, `find_spec` starts with `if path is not None: return None` (built-ins could not be
   * submodules); 3.11.4 dropped the check (gh-102700, statically linked submodules such as numpy's), so
   * from then on a built-in name is found whatever `path` is. Debian's 3.11.2 still has the check.
   */
  private readonly declinesWithPath: boolean;

  constructor(private readonly profile: VersionProfile) {
    const [major, minor, micro] = profile.versionInfo;
    this.declinesWithPath = major === 3 && (minor < 11 || (minor === 11 && micro < 4));
  }

  /** `find_spec`: `spec_from_loader(name, cls, origin="built-in")`; `is_package` is False, so no locations. */
  findSpec(
    name: string,
    path: readonly string[] | null,
    _target: Module | null,
    _ctx: ImportContext,
  ): ModuleSpec | null {
    if (path !== null && this.declinesWithPath) return null;
    if (!this.profile.builtinModuleNames.has(name)) return null;
    return new ModuleSpec(name, this, { origin: "built-in" });
  }

  /** `create_module`: CPython's `_imp.create_builtin` runs the module's C init; here only a bare module. */
  createModule(spec: ModuleSpec, ctx: ImportContext): Module {
    this.requireBuiltin(spec.name);
    if (ctx.system.tracing)
      ctx.system.emit({ type: "not-modelled", name: spec.name, what: "built-in module body" });
    return new Module(spec.name);
  }

  /** `exec_module`: `_imp.exec_builtin` only runs multi-phase init slots, which are C code: nothing to model. */
  execModule(_module: Module, _ctx: ImportContext): void {}

  /** Built-in modules are never packages (`_requires_builtin` first). */
  isPackage(name: string): boolean {
    this.requireBuiltin(name);
    return false;
  }

  /** Built-in modules have no source (`_requires_builtin` first). */
  getSource(name: string): string | null {
    this.requireBuiltin(name);
    return null;
  }

  /** The ImportError of `create_module` and `_requires_builtin`: `'x' is not a built-in module`. */
  private requireBuiltin(name: string): void {
    if (!this.profile.builtinModuleNames.has(name)) {
      throw new ImportError(`${pyRepr(name)} is not a built-in module`, { name });
    }
  }
}
