/**
 * What the interpreter does around `__import__` for the import statement (CPython's ceval.c):
 * IMPORT_FROM (`import_from`) and IMPORT_STAR (`import_all_from`), with their exact error messages.
 */
import { ImportError, TypeError_ } from "./errors.js";
import type { Module } from "./module.js";
import type { PyValue } from "./values.js";
import { PyList, PyTuple, typeName } from "./values.js";

/**
 * IMPORT_FROM: `getattr(module, name)`, falling back to `sys.modules[f"{module.__name__}.{name}"]`
 * (a submodule still initializing in a circular import), else CPython's ImportError.
 */
export function importFrom(
  module: Module,
  name: string,
  modules: ReadonlyMap<string, Module | null>,
): PyValue {
  const value = module.lookup(name);
  if (value !== undefined) return value;
  const pkgname = module.dict.get("__name__");
  if (typeof pkgname === "string") {
    const sub = modules.get(`${pkgname}.${name}`);
    if (sub !== undefined) return sub; // None in sys.modules comes back as None, as in CPython
  }
  const pkgnameText = typeof pkgname === "string" ? pkgname : "<unknown module name>";
  const pkgpath = module.dict.get("__file__");
  if (typeof pkgpath !== "string") {
    throw new ImportError(`cannot import name '${name}' from '${pkgnameText}' (unknown location)`, {
      name: typeof pkgname === "string" ? pkgname : null,
    });
  }
  const message = module.spec?.initializing
    ? `cannot import name '${name}' from partially initialized module '${pkgnameText}' (most likely due to a circular import) (${pkgpath})`
    : `cannot import name '${name}' from '${pkgnameText}' (${pkgpath})`;
  throw new ImportError(message, { name: typeof pkgname === "string" ? pkgname : null, path: pkgpath });
}

/**
 * IMPORT_STAR: bind every name of `__all__` (or every public name of the namespace) from `module` into
 * `target`'s namespace.
 */
export function importStar(module: Module, target: Map<string, PyValue>): void {
  const all = module.lookup("__all__");
  let names: readonly PyValue[];
  let skipPrivate = false;
  if (all === undefined) {
    names = [...module.dict.keys()];
    skipPrivate = true;
  } else if (all instanceof PyList || all instanceof PyTuple) {
    names = all.items;
  } else if (typeof all === "string") {
    names = [...all];
  } else {
    throw new TypeError_(`'${typeName(all)}' object is not iterable`);
  }
  for (const name of names) {
    if (typeof name !== "string") {
      const what = all === undefined ? `Key in ${module.name}.__dict__` : `Item in ${module.name}.__all__`;
      throw new TypeError_(`${what} must be str, not ${typeName(name)}`);
    }
    if (skipPrivate && name.startsWith("_")) continue;
    const value = module.lookup(name);
    if (value === undefined) throw module.attributeError(name);
    target.set(name, value);
  }
}
