/**
 * The pyc header (PYC.md §1): 12 bytes in 3.6 (magic, mtime, source size), 16 from PEP 552 on (magic,
 * flags, then mtime + source size, or an 8-byte source hash when flags bit 0 is set).
 *
 * `readPycHeader` classifies a header as importlib's `_classify_pyc` (3.7+) and `_validate_bytecode_header`
 * (3.6) do, in the same order and with the same messages, and returns a discriminated result instead of
 * throwing, because loaders turn each failure into a different Python exception (ImportError → try the
 * source, EOFError → propagate). `readPyc` throws the same {@link PycFormatError}.
 */
import { PycFormatError } from "./errors.js";
import { u32 } from "./little-endian.js";
import { type MagicInfo, magicBytes, magicInfo } from "./magic.js";
import { pythonBytesRepr, pythonStrRepr } from "./python-repr.js";

interface PycHeaderBase {
  /** The u16 magic number (bytes 0–1). */
  readonly magic: number;
  /** Header length: 12 (3.6) or 16. */
  readonly size: 12 | 16;
  /** PEP 552 flags word (0 for 3.6, which has none). */
  readonly flags: number;
}

export interface TimestampPycHeader extends PycHeaderBase {
  readonly hashBased: false;
  /** `int(st_mtime) & 0xFFFFFFFF` of the source. */
  readonly mtime: number;
  /** `st_size & 0xFFFFFFFF` of the source. */
  readonly sourceSize: number;
}

export interface HashPycHeader extends PycHeaderBase {
  readonly hashBased: true;
  /** Flags bit 1: importlib checks the hash against the source (subject to `check_hash_based_pycs`). */
  readonly checkSource: boolean;
  /** The 8 bytes of `importlib.util.source_hash(source)`. */
  readonly sourceHash: Uint8Array;
}

export type PycHeader = TimestampPycHeader | HashPycHeader;

export type PycHeaderResult =
  | { readonly ok: true; readonly header: PycHeader; readonly info: MagicInfo }
  | { readonly ok: false; readonly error: PycFormatError };

export interface ReadPycHeaderOptions {
  /** Module name quoted in messages, as importlib quotes it (default `<bytecode>`). */
  readonly name?: string;
  /** File named on the error object. */
  readonly filename?: string;
  /** The running interpreter's magic: anything else is "bad magic number". Default: any known release. */
  readonly expectedMagic?: number;
}

/** Classifies and parses a pyc header (see the module comment for the result contract). */
export function readPycHeader(bytes: Uint8Array, options: ReadPycHeaderOptions = {}): PycHeaderResult {
  const name = pythonStrRepr(options.name ?? "<bytecode>");
  const fail = (problem: PycFormatError["problem"], type: PycFormatError["pythonType"], reason: string) => ({
    ok: false as const,
    error: new PycFormatError(problem, type, reason, 0, options.filename),
  });
  const magic = bytes.length >= 2 ? bytes[0]! | (bytes[1]! << 8) : -1;
  const info = magicInfo(magic);
  const magicOk =
    bytes.length >= 4 &&
    bytes[2] === 0x0d &&
    bytes[3] === 0x0a &&
    info !== undefined &&
    (options.expectedMagic === undefined || options.expectedMagic === magic);
  if (!magicOk || info === undefined) {
    return fail(
      "bad-magic",
      "ImportError",
      `bad magic number in ${name}: ${pythonBytesRepr(bytes.subarray(0, 4))}`,
    );
  }
  if (info.headerSize === 12) {
    if (bytes.length < 8)
      return fail("truncated-header", "EOFError", `reached EOF while reading timestamp in ${name}`);
    if (bytes.length < 12) {
      return fail("truncated-header", "EOFError", `reached EOF while reading size of source in ${name}`);
    }
    const header: TimestampPycHeader = {
      magic,
      size: 12,
      flags: 0,
      hashBased: false,
      mtime: u32(bytes, 4),
      sourceSize: u32(bytes, 8),
    };
    return { ok: true, header, info };
  }
  if (bytes.length < 16)
    return fail("truncated-header", "EOFError", `reached EOF while reading pyc header of ${name}`);
  const flags = u32(bytes, 4);
  if ((flags & ~0b11) !== 0) return fail("invalid-flags", "ImportError", `invalid flags ${flags} in ${name}`);
  const header: PycHeader =
    (flags & 1) !== 0
      ? {
          magic,
          size: 16,
          flags,
          hashBased: true,
          checkSource: (flags & 2) !== 0,
          sourceHash: bytes.slice(8, 16),
        }
      : { magic, size: 16, flags, hashBased: false, mtime: u32(bytes, 8), sourceSize: u32(bytes, 12) };
  return { ok: true, header, info };
}

/** A timestamp header for `magic` (`_code_to_timestamp_pyc`; 3.6 gets its 12-byte form). */
export function timestampPycHeader(magic: number, mtime: number, sourceSize: number): TimestampPycHeader {
  const info = requireMagic(magic);
  return {
    magic,
    size: info.headerSize,
    flags: 0,
    hashBased: false,
    mtime: mtime >>> 0,
    sourceSize: sourceSize >>> 0,
  };
}

/** A hash-based header (`_code_to_hash_pyc`): flags `0b1 | checkSource << 1`. 3.7+ only. */
export function hashPycHeader(magic: number, sourceHash: Uint8Array, checkSource = true): HashPycHeader {
  const info = requireMagic(magic);
  if (info.headerSize !== 16) {
    throw new PycFormatError(
      "bad-magic",
      "ImportError",
      `hash-based pycs need PEP 552 (3.7+), not ${info.python}`,
      0,
    );
  }
  if (sourceHash.length !== 8) throw new RangeError("a source hash is 8 bytes");
  return { magic, size: 16, flags: checkSource ? 3 : 1, hashBased: true, checkSource, sourceHash };
}

/** The header's bytes. The size comes from the magic (12 for 3.6, else 16); flags are rebuilt. */
export function writePycHeader(header: PycHeader): Uint8Array {
  const info = requireMagic(header.magic);
  const out = new Uint8Array(info.headerSize);
  const view = new DataView(out.buffer);
  out.set(magicBytes(header.magic), 0);
  if (info.headerSize === 12) {
    if (header.hashBased) {
      throw new PycFormatError("bad-magic", "ImportError", "hash-based pycs need PEP 552 (3.7+)", 0);
    }
    view.setUint32(4, header.mtime >>> 0, true);
    view.setUint32(8, header.sourceSize >>> 0, true);
    return out;
  }
  if (header.hashBased) {
    if (header.sourceHash.length !== 8) throw new RangeError("a source hash is 8 bytes");
    view.setUint32(4, header.checkSource ? 3 : 1, true);
    out.set(header.sourceHash, 8);
  } else {
    view.setUint32(4, 0, true);
    view.setUint32(8, header.mtime >>> 0, true);
    view.setUint32(12, header.sourceSize >>> 0, true);
  }
  return out;
}

function requireMagic(magic: number): MagicInfo {
  const info = magicInfo(magic);
  if (info === undefined) {
    throw new PycFormatError("bad-magic", "ImportError", `unknown magic number ${magic}`, 0);
  }
  return info;
}
