/**
 * `getattr(obj, name)` for scenario values, with CPython's AttributeError wording. An attribute CPython has
 * but importkit does not model (a method, `__dict__`, …) is refused as not supported, never reported missing.
 */
import { AttributeError, ImportError, PyBaseException } from "../core/errors.js";
import { Module } from "../core/module.js";
import type { PyValue } from "../core/values.js";
import { PyClass, PyFunction, PyTuple, typeName } from "../core/values.js";
import {
  baseExceptionAttributes,
  classAttributes,
  exceptionExtraAttributes,
  typeAttributes,
} from "./builtins-data.js";
import { argsOf, PyExceptionClass } from "./exception-types.js";
import { notSupported } from "./not-supported.js";

/** Types whose instances scenario values model directly, so `dir(type)` is known. */
const knownTypes = new Set([
  "int",
  "float",
  "str",
  "bytes",
  "bool",
  "NoneType",
  "list",
  "tuple",
  "dict",
  "set",
  "frozenset",
  "ellipsis",
]);

/** `dir()` of an exception class or instance: BaseException's plus its own (found along the MRO). */
function exceptionHasAttribute(type: typeof PyBaseException, name: string): boolean {
  if (baseExceptionAttributes.has(name)) return true;
  for (
    let t: unknown = type;
    t !== PyBaseException && typeof t === "function";
    t = Object.getPrototypeOf(t)
  ) {
    const extra = exceptionExtraAttributes.get((t as typeof PyBaseException).pyTypeName);
    if (extra?.has(name)) return true;
  }
  return false;
}

function moduleAttribute(module: Module, name: string, location: string): PyValue {
  const value = module.lookup(name);
  if (value !== undefined) return value;
  if (typeAttributes.get("module")?.has(name)) throw notSupported(`module attribute '${name}'`, location);
  return module.getAttr(name);
}

function classAttribute(cls: PyClass, name: string, location: string): PyValue {
  const own = cls.attrs.get(name);
  if (own !== undefined || cls.attrs.has(name)) return own ?? null;
  if (name === "__name__") return cls.name;
  if (name === "__qualname__") return cls.qualname;
  if (name === "__module__") return cls.module;
  const unmodelled =
    classAttributes.has(name) ||
    (cls instanceof PyExceptionClass && exceptionHasAttribute(cls.errorType, name)) ||
    (cls.module === "builtins" && typeAttributes.get(cls.name)?.has(name));
  if (unmodelled) throw notSupported(`class attribute '${name}'`, location);
  throw new AttributeError(`type object '${cls.name}' has no attribute '${name}'`);
}

function exceptionAttribute(error: PyBaseException, name: string, location: string): PyValue {
  if (name === "args") return new PyTuple(argsOf(error));
  if (error instanceof ImportError) {
    if (name === "name") return error.moduleName;
    if (name === "path") return error.path;
    if (name === "msg") {
      const args = argsOf(error);
      return args.length === 1 ? (args[0] as PyValue) : null;
    }
  }
  const type = error.constructor as typeof PyBaseException;
  if (exceptionHasAttribute(type, name)) throw notSupported(`exception attribute '${name}'`, location);
  throw new AttributeError(`'${error.pyType}' object has no attribute '${name}'`);
}

function functionAttribute(fn: PyFunction, name: string, location: string): PyValue {
  if (name === "__name__") return fn.name;
  if (name === "__qualname__") return fn.qualname;
  if (name === "__module__") return fn.module;
  if (typeAttributes.get("function")?.has(name)) throw notSupported(`function attribute '${name}'`, location);
  throw new AttributeError(`'function' object has no attribute '${name}'`);
}

/** `getattr(object, name)`; `location` (`file:line`) names the place in refusals. */
export function getAttribute(object: PyValue, name: string, location: string): PyValue {
  if (object instanceof Module) return moduleAttribute(object, name, location);
  if (object instanceof PyClass) return classAttribute(object, name, location);
  if (object instanceof PyBaseException) return exceptionAttribute(object, name, location);
  if (object instanceof PyFunction) return functionAttribute(object, name, location);
  const type = typeName(object);
  if (!knownTypes.has(type)) throw notSupported(`attribute '${name}' of a '${type}' object`, location);
  if (typeAttributes.get(type)?.has(name))
    throw notSupported(`attribute '${name}' of a '${type}' object`, location);
  throw new AttributeError(`'${type}' object has no attribute '${name}'`);
}
