/**
 * A stricter description of Python values than the scenario format's: ints and floats stay apart, classes
 * show their attributes, exceptions their type and args, and every namespace entry (dunders included) shows.
 * Two executors agree on a module when these descriptions are equal.
 */
import { PyBaseException } from "../../../../src/core/errors.js";
import { Module } from "../../../../src/core/module.js";
import { ModuleSpec } from "../../../../src/core/spec.js";
import type { PyValue } from "../../../../src/core/values.js";
import {
  PyBytes,
  PyClass,
  PyDict,
  PyFunction,
  PyList,
  PySet,
  PyTuple,
  typeName,
} from "../../../../src/core/values.js";
import { argsOf } from "../../../../src/exec/exception-types.js";
import { floatRepr } from "../../../../src/exec/repr.js";

export type Strict = string | number | boolean | null | Strict[] | { [key: string]: Strict };

export function strictValue(value: PyValue, depth = 0): Strict {
  if (value === null || typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "bigint") return { int: value.toString() };
  if (typeof value === "number") return { float: floatRepr(value) };
  if (value instanceof PyBytes) return { bytes: Buffer.from(value.data).toString("hex") };
  if (value instanceof PyList) return { list: value.items.map((item) => strictValue(item, depth)) };
  if (value instanceof PyTuple) return { tuple: value.items.map((item) => strictValue(item, depth)) };
  if (value instanceof PySet) {
    const items = [...value.items.values()].map((item) => JSON.stringify(strictValue(item, depth))).sort();
    return { [value.pyType]: items };
  }
  if (value instanceof PyDict) {
    return {
      dict: [...value.entries.values()].map(([k, v]) => [strictValue(k, depth), strictValue(v, depth)]),
    };
  }
  if (value instanceof Module) return { module: value.name };
  if (value instanceof ModuleSpec) return { spec: value.name };
  if (value instanceof PyClass) {
    // Built-in classes by name; a class a module made with its attributes (nested classes one level deep).
    if (value.module === "builtins" || depth > 1) return { class: `${value.module}.${value.qualname}` };
    return {
      class: `${value.module}.${value.qualname}`,
      name: value.name,
      attrs: strictNamespace(value.attrs, depth + 1),
    };
  }
  if (value instanceof PyFunction) return { function: `${value.module}.${value.qualname}`, name: value.name };
  if (value instanceof PyBaseException) return strictError(value);
  return { type: typeName(value) };
}

export function strictError(error: PyBaseException): Strict {
  const described: { [key: string]: Strict } = {
    error: error.pyType,
    message: error.message,
    args: argsOf(error).map((arg) => strictValue(arg)),
  };
  if ("moduleName" in error) described.name = (error as { moduleName: string | null }).moduleName;
  return described;
}

/**
 * Class-body entries 3.13+ compilers add (`__firstlineno__`, `__static_attributes__`): real, but the source
 * executor models 3.11's class bodies, so they are left out of the comparison.
 */
const newerClassEntries = new Set(["__firstlineno__", "__static_attributes__"]);

/** Every entry in namespace order, except the import system's own objects (loader, builtins). */
export function strictNamespace(namespace: ReadonlyMap<string, PyValue>, depth = 0): Strict {
  const out: Strict[] = [];
  for (const [name, value] of namespace) {
    if (name === "__loader__" || name === "__builtins__") continue;
    if (depth > 0 && newerClassEntries.has(name)) continue;
    out.push([name, strictValue(value, depth)]);
  }
  return out;
}
