/**
 * CPython's exception types, as JS errors. `pyType` is the Python class name; `except X` in Python is
 * `instanceof X` here, so the JS class hierarchy mirrors Python's.
 *
 * ImportError's Python attributes `name` and `path` are `moduleName` and `path` here: a JS Error's
 * `name` is its type label and is kept as such, so stack traces stay readable.
 */
import { oneLine } from "./json-text.js";
import type { PyObject } from "./values.js";

export class PyBaseException extends Error implements PyObject {
  static readonly pyTypeName: string = "BaseException";
  get pyType(): string {
    return (this.constructor as typeof PyBaseException).pyTypeName;
  }
  constructor(message = "", options?: { cause?: unknown }) {
    super(message, options);
    this.name = (this.constructor as typeof PyBaseException).pyTypeName;
  }
}

export class PyException extends PyBaseException {
  static override readonly pyTypeName: string = "Exception";
}

export class ImportError extends PyException {
  static override readonly pyTypeName: string = "ImportError";
  /** Python's `ImportError.name`: the module the import was about. */
  moduleName: string | null;
  /** Python's `ImportError.path`: the file involved, if any. */
  path: string | null;
  constructor(message = "", options: { name?: string | null; path?: string | null; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.moduleName = options.name ?? null;
    this.path = options.path ?? null;
  }
}

export class ModuleNotFoundError extends ImportError {
  static override readonly pyTypeName: string = "ModuleNotFoundError";
}

/** `zipimport.ZipImportError`: a zip archive or one of its members cannot be used. */
export class ZipImportError extends ImportError {
  static override readonly pyTypeName: string = "ZipImportError";
}

export class AttributeError extends PyException {
  static override readonly pyTypeName: string = "AttributeError";
}
export class NameError extends PyException {
  static override readonly pyTypeName: string = "NameError";
}
export class TypeError_ extends PyException {
  static override readonly pyTypeName: string = "TypeError";
}
export class ValueError extends PyException {
  static override readonly pyTypeName: string = "ValueError";
}
export class RuntimeError extends PyException {
  static override readonly pyTypeName: string = "RuntimeError";
}
export class LookupError extends PyException {
  static override readonly pyTypeName: string = "LookupError";
}
export class KeyError extends LookupError {
  static override readonly pyTypeName: string = "KeyError";
}
export class IndexError extends LookupError {
  static override readonly pyTypeName: string = "IndexError";
}
export class UnicodeError extends ValueError {
  static override readonly pyTypeName: string = "UnicodeError";
}
export class UnicodeDecodeError extends UnicodeError {
  static override readonly pyTypeName: string = "UnicodeDecodeError";
}
export class RecursionError extends RuntimeError {
  static override readonly pyTypeName: string = "RecursionError";
}
export class SystemError extends PyException {
  static override readonly pyTypeName: string = "SystemError";
}
export class EOFError extends PyException {
  static override readonly pyTypeName: string = "EOFError";
}
export class SyntaxError_ extends PyException {
  static override readonly pyTypeName: string = "SyntaxError";
}
export class OSError extends PyException {
  static override readonly pyTypeName: string = "OSError";
  readonly errno: number | null;
  readonly filename: string | null;
  constructor(
    message = "",
    options: { errno?: number | null; filename?: string | null; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.errno = options.errno ?? null;
    this.filename = options.filename ?? null;
  }
}
export class FileNotFoundError extends OSError {
  static override readonly pyTypeName: string = "FileNotFoundError";
}

/** `zlib.error`: compressed data that zlib cannot inflate (its `__name__` is "error"). */
export class ZlibError extends PyException {
  static override readonly pyTypeName: string = "error";
}
export class Warning_ extends PyException {
  static override readonly pyTypeName: string = "Warning";
}
export class ImportWarning extends Warning_ {
  static override readonly pyTypeName: string = "ImportWarning";
}

/** CPython's `_DeadlockError`, raised when two concurrent imports wait on each other's module locks. */
export class DeadlockError extends RuntimeError {
  static override readonly pyTypeName: string = "_DeadlockError";
}

/**
 * Bytes that are not valid output of a {@link CodeFormat}: `reason` says what is wrong, `filename` whose code
 * it was. Reasons quote the damaged data, so they are kept on one line (control characters escaped).
 */
export class CodeFormatError extends Error {
  readonly reason: string;
  constructor(
    readonly filename: string,
    reason: string,
  ) {
    const line = oneLine(reason);
    super(`${filename}: bad compiled code: ${line}`);
    this.reason = line;
    this.name = "CodeFormatError";
  }
}

/**
 * A snapshot file or one of its modules cannot be used (truncated, tampered, made for another profile or
 * code format). An ImportError, so an import served from a broken snapshot fails like any import; `path`
 * is the snapshot file, `moduleName` the module when one is concerned. The reason often quotes the file's
 * own (maybe damaged) data, so it is kept on one line (control characters escaped).
 */
export class SnapshotError extends ImportError {
  static override readonly pyTypeName: string = "SnapshotError";
  readonly reason: string;
  constructor(
    readonly snapshot: string,
    reason: string,
    options: { name?: string | null; cause?: unknown } = {},
  ) {
    const line = oneLine(reason);
    super(`${snapshot}: ${options.name ? `module ${options.name}: ` : ""}${line}`, {
      ...options,
      path: snapshot,
    });
    this.reason = line;
  }
}

/** Strict snapshot mode: a module's file changed since the snapshot was made, so it is not served from it. */
export class SnapshotStaleError extends ImportError {
  static override readonly pyTypeName: string = "SnapshotStaleError";
}

/**
 * Not a Python exception: importkit met something it does not model. Raised loudly, naming what and where,
 * instead of silently guessing.
 */
export class NotSupportedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NotSupportedError";
  }
}

/** Every built-in Python exception type by name, for executors that resolve `raise X(...)` / `except X`. */
export const pythonExceptionTypes: ReadonlyMap<string, typeof PyBaseException> = new Map(
  [
    PyBaseException,
    PyException,
    ImportError,
    ModuleNotFoundError,
    AttributeError,
    NameError,
    TypeError_,
    ValueError,
    RuntimeError,
    LookupError,
    KeyError,
    IndexError,
    EOFError,
    UnicodeError,
    UnicodeDecodeError,
    RecursionError,
    SystemError,
    SyntaxError_,
    OSError,
    FileNotFoundError,
    Warning_,
    ImportWarning,
  ].map((t) => [t.pyTypeName, t]),
);
