/**
 * `decodeMarshal`: one marshal object from bytes, like `marshal.loads` of the CPython whose code layout is
 * given. The result is the value and the offset just after it.
 */
import type { CodeLayout } from "./code-object.js";
import { MarshalError } from "./errors.js";
import { MAX_MARSHAL_STACK_DEPTH, MarshalReader } from "./marshal-reader.js";
import type { MarshalValue } from "./marshal-values.js";

export interface MarshalLimits {
  /** Nesting depth at which decoding fails with "recursion limit exceeded" (CPython: 2000). */
  readonly maxDepth?: number;
}

export interface DecodeMarshalOptions {
  /** Code-object field layout of the writing interpreter (see `layoutForPython`). */
  readonly layout: CodeLayout;
  /** Where the object starts (default 0). */
  readonly offset?: number;
  /** Named in error messages and on {@link MarshalError#filename}. */
  readonly filename?: string;
  /**
   * The reader's `marshal.version`: 4 (CPython 3.6–3.13) rejects `:` slices as an unknown type code,
   * 5 (3.14) accepts them. Default 5.
   */
  readonly marshalVersion?: number;
  /**
   * What may follow the object: "ignore" (default; `marshal.loads` and importlib ignore extra bytes, and
   * overlays append data after a pyc's object) or "error" (the object must end the input).
   */
  readonly trailing?: "ignore" | "error";
  /**
   * Return `bytes` values as copies instead of zero-copy views of `bytes` (default false). The copies share
   * private slabs (about one per MB of input), so they never alias the input but keep their slab alive.
   */
  readonly copyBytes?: boolean;
  readonly limits?: MarshalLimits;
}

export interface DecodedMarshal {
  readonly value: MarshalValue;
  /** Offset just past the object. */
  readonly end: number;
}

/**
 * Decodes one marshal object. Throws {@link MarshalError} (never another error) on malformed input.
 * `bytes` values in the result are views into `bytes` unless `copyBytes` is set.
 */
export function decodeMarshal(bytes: Uint8Array, options: DecodeMarshalOptions): DecodedMarshal {
  const offset = options.offset ?? 0;
  const filename = options.filename;
  if (!Number.isInteger(offset) || offset < 0 || offset > bytes.length) {
    throw new MarshalError("offset outside the input", offset, "ValueError", filename);
  }
  const reader = new MarshalReader(bytes, offset, {
    layout: options.layout,
    filename,
    allowSlices: (options.marshalVersion ?? 5) >= 5,
    maxDepth: options.limits?.maxDepth ?? MAX_MARSHAL_STACK_DEPTH,
    copyBytes: options.copyBytes ?? false,
  });
  let value: MarshalValue | undefined;
  try {
    value = reader.readObject();
  } catch (error) {
    if (error instanceof MarshalError) throw error;
    // Only reachable with a raised maxDepth (JS stack exhausted) or an allocation failure.
    const reason = error instanceof RangeError ? "recursion limit exceeded" : String(error);
    throw new MarshalError(reason, reader.pos, "ValueError", filename);
  }
  if (value === undefined) {
    throw new MarshalError("NULL object in marshal data for object", offset, "TypeError", filename);
  }
  if (options.trailing === "error" && reader.pos !== bytes.length) {
    throw new MarshalError(
      `trailing data after the marshal object (${bytes.length - reader.pos} bytes)`,
      reader.pos,
      "ValueError",
      filename,
    );
  }
  return { value, end: reader.pos };
}
