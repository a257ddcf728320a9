/**
 * Typed failures of the bytecode layer. Every malformed input ends in one of these two classes, never in a
 * JS RangeError/TypeError: callers (the loaders) turn them into the Python exception CPython would raise,
 * which `pythonType` names.
 */

/** The Python exception CPython's `marshal.loads` raises for the same bytes. */
export type MarshalPythonType =
  | "EOFError"
  | "ValueError"
  | "TypeError"
  | "UnicodeDecodeError"
  | "SystemError"
  | "RecursionError";

/** A marshal stream that cannot be decoded (or a value that cannot be encoded). */
export class MarshalError extends Error {
  override readonly name = "MarshalError";
  constructor(
    /** CPython's message where it has one ("bad marshal data (unknown type code)", ...). */
    readonly reason: string,
    /** Byte offset in the input (decoding) or output (encoding) where the problem was found. */
    readonly offset: number,
    readonly pythonType: MarshalPythonType,
    readonly filename: string | undefined = undefined,
  ) {
    super(`${filename === undefined ? "" : `${filename}: `}${reason} (at offset ${offset})`);
  }
}

/** The Python exception importlib raises for a bad pyc header (`_classify_pyc`). */
export type PycPythonType = "ImportError" | "EOFError";

export type PycFormatProblem =
  /** The 4 magic bytes are not the expected ones (or not a known CPython magic). */
  | "bad-magic"
  /** Fewer bytes than the header needs. */
  | "truncated-header"
  /** PEP 552 flags with bits other than 0 and 1 set. */
  | "invalid-flags";

/** A pyc header that importlib would reject; `message` is importlib's text for it. */
export class PycFormatError extends Error {
  override readonly name = "PycFormatError";
  constructor(
    readonly problem: PycFormatProblem,
    readonly pythonType: PycPythonType,
    /** importlib's message, e.g. `bad magic number in 'm': b'\x00\x00\r\n'`. */
    readonly reason: string,
    readonly offset: number,
    readonly filename: string | undefined = undefined,
  ) {
    super(reason);
  }
}
