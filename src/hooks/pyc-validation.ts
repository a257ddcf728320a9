/**
 * CPython's checks of a `.pyc` header before its code is trusted (`_classify_pyc`,
 * `_validate_timestamp_pyc`, `_validate_hash_pyc` in `_bootstrap_external.py`), with their exact
 * exceptions and messages. Pure functions over the file's bytes.
 */

import { u32 } from "../bytecode/little-endian.js";
import { EOFError, ImportError } from "../core/errors.js";
import { bytesRepr, pyRepr } from "../core/values.js";

export interface PycDetails {
  /** The module being imported (`name=` of the ImportError). */
  readonly name: string;
  /** The pyc file (`path=` of the ImportError). */
  readonly path: string;
}

/** Header flags (PEP 552): bit 0 hash-based, bit 1 check_source. */
export interface PycFlags {
  readonly hashBased: boolean;
  readonly checkSource: boolean;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `_classify_pyc`: the magic must be `magic`; then the 16-byte header must be there and its flags valid. */
export function classifyPyc(data: Uint8Array, magic: Uint8Array, details: PycDetails): PycFlags {
  const found = data.subarray(0, 4);
  if (!sameBytes(found, magic)) {
    throw new ImportError(`bad magic number in ${pyRepr(details.name)}: ${bytesRepr(found)}`, details);
  }
  if (data.length < 16) throw new EOFError(`reached EOF while reading pyc header of ${pyRepr(details.name)}`);
  const flags = u32(data, 4);
  if (flags & ~0b11) throw new ImportError(`invalid flags ${flags} in ${pyRepr(details.name)}`, details);
  return { hashBased: (flags & 0b1) !== 0, checkSource: (flags & 0b10) !== 0 };
}

/** `_validate_timestamp_pyc`: the header's mtime and size must be the source's (both mod 2**32). */
export function validateTimestampPyc(
  data: Uint8Array,
  sourceMtime: number,
  sourceSize: number,
  details: PycDetails,
): void {
  if (u32(data, 8) !== sourceMtime >>> 0 || u32(data, 12) !== sourceSize >>> 0) {
    throw new ImportError(`bytecode is stale for ${pyRepr(details.name)}`, details);
  }
}

/** `_validate_hash_pyc`: the header's 8-byte hash must be the source's. */
export function validateHashPyc(data: Uint8Array, sourceHash: Uint8Array, details: PycDetails): void {
  if (!sameBytes(data.subarray(8, 16), sourceHash)) {
    throw new ImportError(`hash in bytecode doesn't match hash of source ${pyRepr(details.name)}`, details);
  }
}

/** `int(st.st_mtime)` from a stat's milliseconds (truncation toward zero, as Python's int() does). */
export function mtimeSeconds(mtimeMs: number): number {
  return Math.trunc(mtimeMs / 1000);
}
