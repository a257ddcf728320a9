/** Module reports and error descriptions, as the oracle's `describe_module` and `describe_error` write them. */

import type { PyBaseException } from "../core/errors.js";
import { ImportError, NotSupportedError } from "../core/errors.js";
import type { Module } from "../core/module.js";
import { NamespacePath, searchPathEntries } from "../core/namespace-path.js";
import { ModuleSpec } from "../core/spec.js";
import type { PyValue } from "../core/values.js";
import { PyClass, PyList, PyTuple, typeName } from "../core/values.js";
import { describeNames, describeValue } from "./describe-value.js";
import type { PathRewriter } from "./path-rewriter.js";
import { sortedNames } from "./py-order.js";
import type { ErrorDescription, ModuleReport, ValueDescription } from "./result.js";

export function describeError(error: PyBaseException, rewriter: PathRewriter): ErrorDescription {
  const isImportError = error instanceof ImportError;
  return {
    type: error.pyType,
    message: rewriter.rewrite(error.message),
    name: isImportError ? error.moduleName : null,
    path: isImportError ? rewriter.pathOrNull(error.path) : null,
  };
}

/** The report of one module; reading `__path__` recomputes a namespace path, as `list(__path__)` does. */
export async function describeModule(module: Module, rewriter: PathRewriter): Promise<ModuleReport> {
  const ns = module.dict;
  const spec = ns.get("__spec__");
  const origin = spec instanceof ModuleSpec ? spec.origin : null;
  const builtinOrFrozen = origin === "built-in" || origin === "frozen";
  let attrs: Record<string, ValueDescription> = {};
  if (!builtinOrFrozen) {
    attrs = describeNames(ns, rewriter);
    const all = ns.get("__all__");
    if (all !== undefined) attrs.__all__ = describeValue(all, rewriter);
  }
  const pkg = ns.get("__package__");
  const path = ns.get("__path__");
  return {
    file: rewriter.pathOrNull(ns.get("__file__")),
    cached: rewriter.pathOrNull(ns.get("__cached__")),
    origin: rewriter.pathOrNull(origin),
    package: pkg === undefined || pkg === null ? null : packageName(pkg),
    path:
      path === undefined || path === null ? null : (await pathEntries(path)).map((p) => rewriter.rewrite(p)),
    loader: loaderName(ns.get("__loader__")),
    has_location: spec instanceof ModuleSpec ? spec.hasLocation : null,
    attrs: sortedByKey(attrs),
  };
}

/** The oracle sorts attrs after adding `__all__`. */
function sortedByKey(attrs: Record<string, ValueDescription>): Record<string, ValueDescription> {
  const keys = sortedNames(Object.keys(attrs));
  return Object.fromEntries(keys.map((k) => [k, attrs[k]!]));
}

function packageName(value: PyValue): string {
  if (typeof value === "string") return value;
  throw new NotSupportedError(`not supported yet: a __package__ of type '${typeName(value)}' in a result`);
}

/** `list(__path__)`. */
async function pathEntries(path: PyValue): Promise<readonly string[]> {
  if (path instanceof PyList || path instanceof NamespacePath) {
    const entries = await searchPathEntries(path);
    if (path instanceof PyList && entries.length !== path.items.length) {
      throw new NotSupportedError("not supported yet: a __path__ holding non-strings in a result");
    }
    return entries;
  }
  if (path instanceof PyTuple && path.items.every((p) => typeof p === "string"))
    return path.items as string[];
  throw new NotSupportedError(`not supported yet: a __path__ of type '${typeName(path)}' in a result`);
}

/** The CPython class name of `__loader__` (the class itself for BuiltinImporter-style loaders). */
export function loaderName(loader: PyValue | undefined): string | null {
  if (loader === undefined || loader === null) return null;
  const name = loader instanceof PyClass ? loader.name : typeName(loader);
  return name === "_NamespaceLoader" ? "NamespaceLoader" : name;
}
