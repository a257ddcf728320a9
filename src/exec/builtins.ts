/**
 * The `builtins` namespace the last step of name lookup reaches. Modelled: exception classes, the basic
 * types (as class objects, which describe as `{"class": "int"}`), Ellipsis, NotImplemented, __debug__.
 * Any other CPython builtin (print, len, …) is refused as not supported rather than reported missing.
 */
import type { PyValue } from "../core/values.js";
import { PyClass, PyOpaque } from "../core/values.js";
import { builtinNames } from "./builtins-data.js";
import { builtinExceptionClasses } from "./exception-types.js";

/** The `...` singleton. */
export const Ellipsis = new PyOpaque("ellipsis", "Ellipsis");
export const NotImplemented = new PyOpaque("NotImplementedType", "NotImplemented");

const builtinTypeNames = [
  "object",
  "type",
  "int",
  "float",
  "str",
  "bytes",
  "bool",
  "list",
  "tuple",
  "dict",
  "set",
  "frozenset",
];

/** The class object of `object`, the only base a scenario class may name. */
export const objectClass = new PyClass("object", "object", "builtins");

const modelledBuiltins: ReadonlyMap<string, PyValue> = new Map<string, PyValue>([
  ...builtinExceptionClasses,
  ...builtinTypeNames.map((name): [string, PyValue] => [
    name,
    name === "object" ? objectClass : new PyClass(name, name, "builtins"),
  ]),
  ["Ellipsis", Ellipsis],
  ["NotImplemented", NotImplemented],
  ["__debug__", true],
  ["True", true],
  ["False", false],
  ["None", null],
]);

export type BuiltinLookup =
  | { readonly kind: "found"; readonly value: PyValue }
  | { readonly kind: "unmodelled" }
  | { readonly kind: "missing" };

/** Look `name` up in builtins: found, a CPython builtin this executor does not model, or absent. */
export function lookupBuiltin(name: string): BuiltinLookup {
  const value = modelledBuiltins.get(name);
  if (value !== undefined) return { kind: "found", value };
  return builtinNames.has(name) ? { kind: "unmodelled" } : { kind: "missing" };
}
