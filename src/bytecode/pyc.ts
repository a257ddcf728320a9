/**
 * Whole pyc files: header + one marshalled object (normally the module's code object).
 * The header's magic picks the code layout and the marshal version for both directions.
 */
import { decodeMarshal, type MarshalLimits } from "./decode-marshal.js";
import type { MagicInfo } from "./magic.js";
import type { MarshalValue } from "./marshal-values.js";
import { encodeMarshal } from "./marshal-writer.js";
import { type PycHeader, readPycHeader, writePycHeader } from "./pyc-header.js";

export interface ReadPycOptions {
  /** Named on errors. */
  readonly filename?: string;
  /** Module name quoted in header errors, as importlib does (default `<bytecode>`). */
  readonly name?: string;
  /** Only this magic is acceptable (the running interpreter's); default: any known release. */
  readonly expectedMagic?: number;
  /** After the object: "ignore" (default, as importlib's `marshal.loads`) or "error". */
  readonly trailing?: "ignore" | "error";
  readonly copyBytes?: boolean;
  readonly limits?: MarshalLimits;
}

export interface Pyc {
  readonly header: PycHeader;
  /** The release the magic belongs to (layout, marshal version, header size). */
  readonly info: MagicInfo;
  /** The unmarshalled object; importlib requires a code object (`Non-code object in ...` otherwise). */
  readonly code: MarshalValue;
  /** Offset just past the object (the file length unless data follows it). */
  readonly end: number;
}

/**
 * Reads a pyc. Throws {@link PycFormatError} for a header importlib rejects (unknown magic included) and
 * {@link MarshalError} for a bad marshal stream.
 */
export function readPyc(bytes: Uint8Array, options: ReadPycOptions = {}): Pyc {
  const classified = readPycHeader(bytes, options);
  if (!classified.ok) throw classified.error;
  const { header, info } = classified;
  const { value, end } = decodeMarshal(bytes, {
    layout: info.layout,
    offset: header.size,
    marshalVersion: info.marshalVersion,
    ...(options.filename === undefined ? {} : { filename: options.filename }),
    ...(options.trailing === undefined ? {} : { trailing: options.trailing }),
    ...(options.copyBytes === undefined ? {} : { copyBytes: options.copyBytes }),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
  });
  return { header, info, code: value, end };
}

/**
 * A pyc's bytes (`_code_to_timestamp_pyc` / `_code_to_hash_pyc`): the header, then `marshal.dumps(code)` at
 * the writing interpreter's marshal version, with its code layout.
 */
export function writePyc(code: MarshalValue, header: PycHeader): Uint8Array {
  const head = writePycHeader(header);
  const info = readPycHeader(head);
  if (!info.ok) throw info.error;
  const body = encodeMarshal(code, { version: info.info.marshalVersion, layout: info.info.layout });
  const out = new Uint8Array(head.length + body.length);
  out.set(head, 0);
  out.set(body, head.length);
  return out;
}
