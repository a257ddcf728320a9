/**
 * `sys.modules` as the oracle has it before a scenario's first step (the profile's `oracleStartModules`):
 * built-in modules made through the built-in importer's spec, frozen ones through the frozen importer's, a
 * fresh `__main__` (as `python -c` has it), and the other standard library modules as plain modules whose spec
 * points into the stdlib directory. No module body runs: their contents are CPython's own code, and nothing
 * in them is ever reported (only `__future__`'s features are used, by `from __future__ import ...`).
 */
import { cachedPathFor } from "../core/cache-path.js";
import { NotSupportedError } from "../core/errors.js";
import type { ImportSystem } from "../core/import-system.js";
import { initModuleAttrs } from "../core/import-system.js";
import type { ImportContext, Importer, Loader } from "../core/interfaces.js";
import { Module } from "../core/module.js";
import type { VersionProfile } from "../core/profile.js";
import { ModuleSpec } from "../core/spec.js";
import { PyList } from "../core/values.js";
import { addFutureFeatures } from "./future-module.js";

/**
 * Start-snapshot modules that are extension modules (in `lib-dynload`) when not built in; every other
 * non-built-in, non-frozen one is a source module.
 */
const EXTENSION_MODULES = new Set([
  "zlib",
  "_bisect",
  "_bz2",
  "_json",
  "_lzma",
  "_opcode",
  "_random",
  "_struct",
  "binascii",
  "grp",
  "math",
  "_ssl",
]);

/** CPython makes `importlib._bootstrap(_external)` the very frozen modules (importlib/__init__.py). */
const BOOTSTRAP_ALIASES = new Map([
  ["importlib._bootstrap", "_frozen_importlib"],
  ["importlib._bootstrap_external", "_frozen_importlib_external"],
]);

/**
 * Fill a fresh system's `sys.modules` with the start snapshot, in the profile's order, and return the
 * `__main__` module (fresh: `__spec__`, `__package__` and `__loader__` None).
 */
export async function installStartSnapshot(
  system: ImportSystem,
  stdlibDir: string,
  ctx: ImportContext,
): Promise<Module> {
  const profile = system.profile;
  const names = profile.oracleStartModules;
  const main = new Module("__main__");
  for (const name of names) {
    const module = name === "__main__" ? main : await startModule(system, name, names, stdlibDir, ctx);
    system.modules.set(name, module);
  }
  // Bind submodules on their parents, as importing them did.
  for (const name of names) {
    const dot = name.lastIndexOf(".");
    const parent = dot < 0 ? undefined : system.modules.get(name.slice(0, dot));
    if (parent) parent.setAttr(name.slice(dot + 1), system.modules.get(name)!);
  }
  if (!system.modules.has("__main__")) system.modules.set("__main__", main);
  return main;
}

async function startModule(
  system: ImportSystem,
  name: string,
  allNames: readonly string[],
  stdlibDir: string,
  ctx: ImportContext,
): Promise<Module> {
  const profile = system.profile;
  if (profile.builtinModuleNames.has(name)) return fromImporter(system, "BuiltinImporter", name, ctx);
  if (profile.frozenModules.has(name)) return fromImporter(system, "FrozenImporter", name, ctx);
  const aliasOf = BOOTSTRAP_ALIASES.get(name);
  const aliased = aliasOf === undefined ? undefined : system.modules.get(aliasOf);
  if (aliased) return aliasBootstrap(aliased, name, stdlibDir);
  const module = new Module(name);
  initModuleAttrs(stdlibSpec(name, allNames, stdlibDir, profile), module, false);
  if (name === "__future__") addFutureFeatures(module);
  return module;
}

/** A module made from the spec the named importer of `sys.meta_path` finds for it, as loading begins. */
async function fromImporter(
  system: ImportSystem,
  pyType: string,
  name: string,
  ctx: ImportContext,
): Promise<Module> {
  const importer = system.metaPath.find((i: Importer) => i.pyType === pyType);
  if (!importer)
    throw new NotSupportedError(`not supported yet: a start snapshot without a ${pyType} on sys.meta_path`);
  const spec = await importer.findSpec(name, null, null, ctx);
  if (spec === null) throw new Error(`${pyType} found no spec for the start module '${name}'`);
  const created = spec.loader?.createModule ? await spec.loader.createModule(spec, ctx) : null;
  return initModuleAttrs(spec, created ?? new Module(name), false);
}

/** What importlib/__init__.py does to the frozen bootstrap modules it re-registers under its own names. */
function aliasBootstrap(frozen: Module, name: string, stdlibDir: string): Module {
  frozen.setAttr("__name__", name);
  frozen.setAttr("__package__", "importlib");
  frozen.setAttr("__file__", `${stdlibDir}/${name.replaceAll(".", "/")}.py`);
  return frozen;
}

/** The spec a standard library module of the start snapshot was loaded from. */
function stdlibSpec(
  name: string,
  allNames: readonly string[],
  stdlibDir: string,
  profile: VersionProfile,
): ModuleSpec {
  const isPackage = allNames.some((other) => other.startsWith(`${name}.`));
  const base = `${stdlibDir}/${name.replaceAll(".", "/")}`;
  if (EXTENSION_MODULES.has(name)) {
    const origin = `${stdlibDir}/lib-dynload/${name}${profile.extensionSuffixes[0] ?? ".so"}`;
    return new ModuleSpec(name, new StandInLoader("ExtensionFileLoader", name), {
      origin,
      hasLocation: true,
    });
  }
  const origin = isPackage ? `${base}/__init__.py` : `${base}.py`;
  return new ModuleSpec(name, new StandInLoader("SourceFileLoader", name), {
    origin,
    hasLocation: true,
    cached: cachedPathFor(origin, profile),
    submoduleSearchLocations: isPackage ? new PyList([base]) : null,
  });
}

/**
 * The loader of a start-snapshot stdlib module: it names CPython's loader class, but the module's code is
 * CPython's own and is not modelled, so running it again (a reload that somehow finds it) is refused.
 */
class StandInLoader implements Loader {
  constructor(
    readonly pyType: "SourceFileLoader" | "ExtensionFileLoader",
    private readonly name: string,
  ) {}

  execModule(): void {
    throw new NotSupportedError(
      `not supported yet: running the standard library module '${this.name}' (its code is not modelled)`,
    );
  }
}
