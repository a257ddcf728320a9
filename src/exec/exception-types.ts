/**
 * CPython's built-in exception classes as scenario values, and creating instances of them the way
 * `BaseException.__new__`/`__init__` do (`args`, `str()`, ImportError's `name=`/`path=`).
 *
 * Types that core's errors.ts defines are used as they are (so `except` and core agree); the other
 * built-in exceptions are derived from them here, following CPython's hierarchy.
 */
import type { PyBaseException } from "../core/errors.js";
import { type ImportError, pythonExceptionTypes, TypeError_ } from "../core/errors.js";
import type { PyValue } from "../core/values.js";
import { PyClass, PyTuple } from "../core/values.js";
import { builtinExceptionAliases, builtinExceptionBases } from "./builtins-data.js";
import { notSupported } from "./not-supported.js";
import { valueRepr, valueStr } from "./repr.js";

/** A Python exception class used as a value: a class object that knows its JS error type. */
export class PyExceptionClass extends PyClass {
  constructor(readonly errorType: typeof PyBaseException) {
    super(errorType.pyTypeName, errorType.pyTypeName, "builtins");
  }
}

/** Exception groups need multiple inheritance and a list of exceptions: not modelled. */
const unmodelled = new Set(["BaseExceptionGroup", "ExceptionGroup"]);

function deriveErrorType(name: string, parent: typeof PyBaseException): typeof PyBaseException {
  const type = class extends parent {
    static override readonly pyTypeName: string = name;
  };
  Object.defineProperty(type, "name", { value: name });
  return type;
}

function buildExceptionClasses(): ReadonlyMap<string, PyExceptionClass> {
  const errorTypes = new Map<string, typeof PyBaseException>(pythonExceptionTypes);
  for (const [name, base] of builtinExceptionBases) {
    if (errorTypes.has(name) || unmodelled.has(name)) continue;
    const parent = errorTypes.get(base);
    if (parent !== undefined) errorTypes.set(name, deriveErrorType(name, parent));
  }
  const classes = new Map<string, PyExceptionClass>();
  for (const [name, type] of errorTypes) classes.set(name, new PyExceptionClass(type));
  for (const [alias, target] of builtinExceptionAliases) {
    const cls = classes.get(target);
    if (cls !== undefined) classes.set(alias, cls);
  }
  return classes;
}

/** Every modelled built-in exception class by its `builtins` name (aliases such as IOError included). */
export const builtinExceptionClasses: ReadonlyMap<string, PyExceptionClass> = buildExceptionClasses();

/** `e.args` of the exceptions this executor created; others were created by importkit with one message. */
const exceptionArgs = new WeakMap<PyBaseException, readonly PyValue[]>();

/** `e.args`, as CPython would hold it. */
export function argsOf(error: PyBaseException): readonly PyValue[] {
  return exceptionArgs.get(error) ?? (error.message === "" ? [] : [error.message]);
}

/** `issubclass(type, builtins.<baseName>)`. */
export function isSubclassOf(type: typeof PyBaseException, baseName: string): boolean {
  const base = builtinExceptionClasses.get(baseName)?.errorType;
  return base !== undefined && (type === base || type.prototype instanceof base);
}

/** Constructors whose several arguments mean more than a message (errno, filename, position, …). */
const structuredBases = ["OSError", "SyntaxError", "UnicodeError"];

/** `BaseException.__str__` (KeyError's uses repr for a single argument). */
function messageOf(cls: PyExceptionClass, args: readonly PyValue[]): string {
  if (args.length === 0) return "";
  if (args.length === 1) {
    const [only] = args as [PyValue];
    return cls.errorType.pyTypeName === "KeyError" ? valueRepr(only) : valueStr(only);
  }
  return valueRepr(new PyTuple(args));
}

/** `cls(*args, **keywords)` for a built-in exception class. `location` is `file:line` for refusals. */
export function instantiateException(
  cls: PyExceptionClass,
  args: readonly PyValue[],
  keywords: readonly (readonly [string, PyValue])[],
  location: string,
): PyBaseException {
  const isImportError = isSubclassOf(cls.errorType, "ImportError");
  if (args.length > 1 && structuredBases.some((base) => isSubclassOf(cls.errorType, base))) {
    throw notSupported(`${cls.name} with several arguments`, location);
  }
  // UnicodeDecodeError & co. need exactly five arguments.
  if (cls.name.startsWith("Unicode") && cls.name !== "UnicodeError" && !cls.name.endsWith("Warning")) {
    throw notSupported(`${cls.name} construction`, location);
  }
  let importName: string | null = null;
  let importPath: string | null = null;
  for (const [key, value] of keywords) {
    if (!isImportError) throw new TypeError_(`${cls.name}() takes no keyword arguments`);
    if (key !== "name" && key !== "path")
      throw new TypeError_(`'${key}' is an invalid keyword argument for ImportError()`);
    if (value !== null && typeof value !== "string")
      throw notSupported(`a non-str ImportError ${key}`, location);
    if (key === "name") importName = value;
    else importPath = value;
  }
  const message = messageOf(cls, args);
  const error = isImportError
    ? new (cls.errorType as typeof ImportError)(message, { name: importName, path: importPath })
    : new cls.errorType(message);
  exceptionArgs.set(error, args);
  return error;
}
