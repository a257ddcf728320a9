/**
 * A module's code as bytes and back, for snapshots and frozen tables: the executor's own code format, or
 * marshal for CPython code objects (from pycs). Decoding checks everything and says what is wrong.
 */
import { decodeMarshal, encodeMarshal, layoutForPython, MarshalError } from "../bytecode/index.js";
import { CodeFormatError, NotSupportedError } from "../core/errors.js";
import type { CodeFormat, Executor } from "../core/interfaces.js";
import type { ModuleCode } from "../hooks/module-code.js";
import { isCodeObject } from "../hooks/module-code.js";

/** What kind of code some bytes hold, and the filename it was compiled with. */
export type CodeKind =
  | { readonly kind: "executor"; readonly filename: string }
  | { readonly kind: "cpython"; readonly filename: string; readonly version: string };

/** Undecodable code: `reason` says why (the caller names the file and module). */
export class CodeBytesError extends Error {
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
    this.name = "CodeBytesError";
  }
}

function marshalVersion(python: string): 4 | 5 {
  return python === "3.14" ? 5 : 4;
}

/** The bytes of `code`, or why it cannot be written (overlays, no code format, unknown layout). */
export function encodeModuleCode(
  code: ModuleCode,
  executor: Executor,
): { readonly kind: CodeKind; readonly bytes: Uint8Array } | string {
  if (code.overlays !== undefined) return "it has overlays (snapshots do not hold overlays)";
  if (code.kind === "executor") {
    const format = executor.codeFormat;
    if (format === undefined) return "the executor has no code format to write its code in";
    try {
      return { kind: { kind: "executor", filename: code.code.filename }, bytes: format.encode(code.code) };
    } catch (error) {
      // Code the format cannot hold (e.g. nested too deep) stays on the path, with the reason.
      if (error instanceof NotSupportedError) return `its code cannot be written: ${error.message}`;
      throw error;
    }
  }
  const layout = layoutForPython(code.version);
  if (layout === undefined) return `no code layout known for CPython ${code.version}`;
  return {
    kind: { kind: "cpython", filename: code.filename, version: code.version },
    bytes: encodeMarshal(code.code, { version: marshalVersion(code.version), layout }),
  };
}

/** The code `bytes` hold; executor code needs the format it was written in. Throws {@link CodeBytesError}. */
export function decodeModuleCode(
  kind: CodeKind,
  bytes: Uint8Array,
  format: CodeFormat | undefined,
): ModuleCode {
  if (kind.kind === "executor") {
    if (format === undefined) throw new CodeBytesError("the executor has no code format to read this code");
    try {
      return { kind: "executor", code: format.decode(bytes, kind.filename) };
    } catch (error) {
      if (error instanceof CodeFormatError) throw new CodeBytesError(error.reason, { cause: error });
      throw error;
    }
  }
  const layout = layoutForPython(kind.version);
  if (layout === undefined) throw new CodeBytesError(`no code layout known for CPython ${kind.version}`);
  let decoded: { value: unknown; end: number };
  try {
    decoded = decodeMarshal(bytes, {
      layout,
      filename: kind.filename,
      marshalVersion: marshalVersion(kind.version),
    });
  } catch (error) {
    if (error instanceof MarshalError)
      throw new CodeBytesError(`bad marshal data: ${error.reason}`, { cause: error });
    throw error;
  }
  if (!isCodeObject(decoded.value)) throw new CodeBytesError("marshal data is not a code object");
  if (decoded.end !== bytes.length)
    throw new CodeBytesError(`${bytes.length - decoded.end} bytes follow the code object`);
  return { kind: "cpython", code: decoded.value, version: kind.version, filename: kind.filename };
}
