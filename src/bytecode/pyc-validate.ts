/**
 * importlib's staleness checks of a classified header (`_validate_timestamp_pyc`, `_validate_hash_pyc`).
 * Each returns null when the pyc may be used, else importlib's ImportError message.
 */
import type { HashPycHeader, TimestampPycHeader } from "./pyc-header.js";
import { pythonStrRepr } from "./python-repr.js";

/** `source_size` null skips the size check, as importlib does when the stat has no size. */
export function validateTimestampPyc(
  header: TimestampPycHeader,
  sourceMtime: number,
  sourceSize: number | null,
  name = "<bytecode>",
): string | null {
  // importlib compares with int(st_mtime) & 0xFFFFFFFF; Math.floor matches int() for the non-negative case.
  if (header.mtime !== Math.trunc(sourceMtime) >>> 0) return `bytecode is stale for ${pythonStrRepr(name)}`;
  if (sourceSize !== null && header.sourceSize !== sourceSize >>> 0) {
    return `bytecode is stale for ${pythonStrRepr(name)}`;
  }
  return null;
}

export function validateHashPyc(
  header: HashPycHeader,
  sourceHash: Uint8Array,
  name = "<bytecode>",
): string | null {
  const same = sourceHash.length === 8 && header.sourceHash.every((b, i) => b === sourceHash[i]);
  return same ? null : `hash in bytecode doesn't match hash of source ${pythonStrRepr(name)}`;
}
