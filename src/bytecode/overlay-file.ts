/**
 * The overlay file format (issue #4), byte for byte in `docs/overlay-format.md`:
 *
 *     [pyc header][module code][overlay code 1]…[overlay code n][directory]
 *     directory = u32 count, count × (marshalled name, u32 absolute offset of its code), u32 directory start
 *
 * All ints little-endian. Stock CPython's marshal stops after the module's code object, so the file is an
 * ordinary sourceless pyc to it. The reader reads the last min(size, 4096) bytes in one read, the rest of the
 * directory in at most one more, and an overlay's code object in at most one more: three reads at worst.
 * Pure: I/O is the caller's `read` callback.
 */
import { decodeMarshal } from "./decode-marshal.js";
import { MarshalError } from "./errors.js";
import { layoutForPython } from "./magic.js";
import { encodeMarshal, type MarshalVersion } from "./marshal-writer.js";
import { OverlayFormatError } from "./overlay-errors.js";
import {
  isReservedOverlayName,
  isValidOverlayName,
  type OverlayName,
  overlayNameKey,
  overlayNameRepr,
} from "./overlay-name.js";

/** A `z`/`Z` (short ASCII, maybe FLAG_REF) string at `p`, or null for anything else. */
function shortAsciiName(bytes: Uint8Array, p: number): string | null {
  const code = bytes[p]! & 0x7f;
  if (code !== 0x7a && code !== 0x5a) return null;
  const length = bytes[p + 1];
  if (length === undefined || p + 2 + length > bytes.length) return null;
  let text = "";
  for (let i = p + 2; i < p + 2 + length; i++) {
    const byte = bytes[i]!;
    if (byte >= 0x80) return null;
    text += String.fromCharCode(byte);
  }
  return text;
}

/** Reads `length` bytes at absolute `position` (a file's `pread`). Must return exactly `length` bytes. */
export type OverlayRead = (position: number, length: number) => Uint8Array;

/** The tail read once by {@link readOverlayDirectory}: the last min(size, 4096) bytes. */
export const OVERLAY_TAIL_SIZE = 4096;
/** Bytes of the fixed fields: u32 count and the u32 directory offset at the very end. */
export const OVERLAY_DIRECTORY_FIXED = 8;
/** Smallest directory entry: a 2-byte name (`''` or `()`) and a u32 offset. */
export const OVERLAY_MIN_ENTRY = 6;
/**
 * Without a known module end, the first overlay's code (or the directory) may not start before this offset:
 * the shortest pyc header (12 bytes, CPython 3.6) and a 1-byte module object.
 */
export const OVERLAY_MIN_MODULE_END = 13;
const U32_MAX = 0xffff_ffff;

/** Names are decoded with any layout: a code object inside a name is rejected anyway. */
const NAME_LAYOUT = layoutForPython("3.11")!;

export interface OverlayPart {
  readonly name: OverlayName;
  /** The overlay's code object, already marshalled. */
  readonly code: Uint8Array;
}

export interface OverlayPycParts {
  /** The pyc header bytes (12 or 16 bytes for real files; written as given). */
  readonly header: Uint8Array;
  /** The module's code object, already marshalled. */
  readonly module: Uint8Array;
  readonly overlays: readonly OverlayPart[];
  /** Marshal version for the names (default 4; 5 for CPython 3.14). */
  readonly marshalVersion?: number;
}

export interface OverlayEntry {
  readonly name: OverlayName;
  /** Absolute offset of the overlay's code object. */
  readonly offset: number;
  /** Offset just past it: the next code object's offset, or the directory start for the last. */
  readonly end: number;
}

export interface OverlayDirectory {
  /** In file order (code offsets increasing). */
  readonly entries: readonly OverlayEntry[];
  /** Absolute offset of the directory (where its u32 count is). */
  readonly start: number;
  /** The tail read first, reused by {@link readOverlayCode} for code objects inside it. */
  readonly tail: { readonly position: number; readonly bytes: Uint8Array };
  lookup(name: OverlayName): OverlayEntry | undefined;
}

function checkName(name: unknown, filename: string | undefined, offset: number): OverlayName {
  if (!isValidOverlayName(name)) {
    throw new OverlayFormatError(filename, offset, "invalid overlay name (not a str, int or tuple of those)");
  }
  if (isReservedOverlayName(name)) {
    throw new OverlayFormatError(filename, offset, `reserved overlay name ${overlayNameRepr(name)}`);
  }
  return name;
}

function marshalVersionOf(version: number | undefined): MarshalVersion {
  const v = version ?? 4;
  if (!Number.isInteger(v) || v < 0 || v > 5)
    throw new OverlayFormatError(undefined, 0, `bad marshal version ${v}`);
  return v as MarshalVersion;
}

/**
 * The overlay pyc: header, module code, the overlays' code objects in order, then the directory. Names are
 * written with `encodeMarshal(name, { version: marshalVersion ?? 4 })`. One pass over the parts, one
 * allocation for the result. Throws {@link OverlayFormatError} for an invalid, reserved or duplicate name,
 * an empty code object, or a file beyond 4 GiB; {@link MarshalError} cannot happen for valid names.
 */
export function buildOverlayPyc(parts: OverlayPycParts): Uint8Array {
  const version = marshalVersionOf(parts.marshalVersion);
  const seen = new Set<string>();
  const names: Uint8Array[] = [];
  let size = parts.header.length + parts.module.length;
  if (parts.module.length === 0) throw new OverlayFormatError(undefined, size, "empty module code object");
  let directorySize = OVERLAY_DIRECTORY_FIXED;
  for (const overlay of parts.overlays) {
    const name = checkName(overlay.name, undefined, size);
    const key = overlayNameKey(name);
    if (seen.has(key)) {
      throw new OverlayFormatError(undefined, size, `duplicate overlay name ${overlayNameRepr(name)}`);
    }
    seen.add(key);
    if (overlay.code.length === 0) {
      throw new OverlayFormatError(undefined, size, `empty code object for overlay ${overlayNameRepr(name)}`);
    }
    const encoded = encodeMarshal(name, { version });
    names.push(encoded);
    size += overlay.code.length;
    directorySize += encoded.length + 4;
  }
  const directoryStart = size;
  size += directorySize;
  if (size > U32_MAX)
    throw new OverlayFormatError(undefined, directoryStart, "overlay file larger than 4 GiB");

  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let pos = 0;
  out.set(parts.header, pos);
  pos += parts.header.length;
  out.set(parts.module, pos);
  pos += parts.module.length;
  // The directory is written behind the code objects as they go: one pass.
  let dir = directoryStart;
  view.setUint32(dir, parts.overlays.length, true);
  dir += 4;
  for (let i = 0; i < parts.overlays.length; i++) {
    const code = parts.overlays[i]!.code;
    const name = names[i]!;
    out.set(name, dir);
    dir += name.length;
    view.setUint32(dir, pos, true);
    dir += 4;
    out.set(code, pos);
    pos += code.length;
  }
  view.setUint32(dir, directoryStart, true);
  return out;
}

function fetch(
  read: OverlayRead,
  position: number,
  length: number,
  filename: string | undefined,
): Uint8Array {
  const bytes = read(position, length);
  if (!(bytes instanceof Uint8Array) || bytes.length < length) {
    throw new OverlayFormatError(
      filename,
      position + (bytes instanceof Uint8Array ? bytes.length : 0),
      `short read (${length} bytes wanted)`,
    );
  }
  return bytes.length === length ? bytes : bytes.subarray(0, length);
}

const u32 = (bytes: Uint8Array, at: number): number =>
  (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;

/**
 * Reads an overlay file's directory with at most two calls of `read`: the last min(size, 4096) bytes, then,
 * only when the directory starts before them, the directory's remainder. `moduleEnd`, when known, is where the
 * module's code object ends: the first overlay's code (or the directory, with no overlays) must start exactly
 * there. Throws {@link OverlayFormatError} for anything malformed (marshal errors in names included, as its
 * `cause`).
 */
export function readOverlayDirectory(
  read: OverlayRead,
  size: number,
  filename?: string,
  moduleEnd?: number,
): OverlayDirectory {
  if (!Number.isSafeInteger(size) || size < 0)
    throw new OverlayFormatError(filename, 0, `bad file size ${size}`);
  const minStart = moduleEnd ?? OVERLAY_MIN_MODULE_END;
  if (!Number.isSafeInteger(minStart) || minStart < 0) {
    throw new OverlayFormatError(filename, 0, `bad module end ${moduleEnd}`);
  }
  if (size < minStart + OVERLAY_DIRECTORY_FIXED) {
    throw new OverlayFormatError(filename, size, "file too short for an overlay directory");
  }
  if (size > U32_MAX + OVERLAY_DIRECTORY_FIXED) {
    throw new OverlayFormatError(filename, size, "file larger than an overlay directory can address");
  }
  const tailLength = Math.min(size, OVERLAY_TAIL_SIZE);
  const tailPosition = size - tailLength;
  const tail = fetch(read, tailPosition, tailLength, filename);
  const start = u32(tail, tailLength - 4);
  const trailerAt = size - 4;
  if (start > trailerAt - 4) {
    throw new OverlayFormatError(filename, trailerAt, `directory offset ${start} outside the file`);
  }
  if (start < minStart) {
    throw new OverlayFormatError(filename, trailerAt, `directory offset ${start} before the module's end`);
  }
  // The directory's bytes, [start, size - 4), as one array.
  let dir: Uint8Array;
  if (start >= tailPosition) {
    dir = tail.subarray(start - tailPosition, tailLength - 4);
  } else {
    const rest = fetch(read, start, tailPosition - start, filename);
    dir = new Uint8Array(trailerAt - start);
    dir.set(rest, 0);
    dir.set(tail.subarray(0, tailLength - 4), rest.length);
  }
  const count = u32(dir, 0);
  if (count > Math.floor((dir.length - 4) / OVERLAY_MIN_ENTRY)) {
    throw new OverlayFormatError(filename, start, `overlay count ${count} larger than the directory holds`);
  }
  if (moduleEnd !== undefined && count === 0 && start !== moduleEnd) {
    throw new OverlayFormatError(
      filename,
      start,
      `directory does not start at the module's end ${moduleEnd}`,
    );
  }
  const names: OverlayName[] = [];
  const offsets: number[] = [];
  const byKey = new Map<string, number>();
  let p = 4;
  for (let i = 0; i < count; i++) {
    const at = start + p;
    let value: unknown;
    const short = shortAsciiName(dir, p);
    if (short !== null) {
      // The common name (a short ASCII str, `z`/`Z`) read in place: a directory of thousands of names
      // costs a loop, not thousands of decoder set-ups.
      value = short;
      p += 2 + short.length;
    } else
      try {
        const decoded = decodeMarshal(dir, { layout: NAME_LAYOUT, offset: p, marshalVersion: 5, filename });
        value = decoded.value;
        p = decoded.end;
      } catch (error) {
        if (!(error instanceof MarshalError)) throw error;
        throw new OverlayFormatError(filename, start + error.offset, `bad overlay name: ${error.reason}`, {
          cause: error,
        });
      }
    const name = checkName(value, filename, at);
    if (p + 4 > dir.length) throw new OverlayFormatError(filename, start + p, "truncated overlay directory");
    const offset = u32(dir, p);
    const previous = i === 0 ? undefined : offsets[i - 1]!;
    if (previous === undefined ? offset < minStart : offset <= previous) {
      const why = previous === undefined ? "before the module's end" : "out of order";
      throw new OverlayFormatError(filename, start + p, `code offset ${offset} ${why}`);
    }
    if (i === 0 && moduleEnd !== undefined && offset !== moduleEnd) {
      throw new OverlayFormatError(
        filename,
        start + p,
        `first code offset ${offset} is not the module's end`,
      );
    }
    if (offset >= start) {
      throw new OverlayFormatError(filename, start + p, `code offset ${offset} overlaps the directory`);
    }
    p += 4;
    const key = overlayNameKey(name);
    if (byKey.has(key)) {
      throw new OverlayFormatError(filename, at, `duplicate overlay name ${overlayNameRepr(name)}`);
    }
    byKey.set(key, i);
    names.push(name);
    offsets.push(offset);
  }
  if (p !== dir.length) {
    throw new OverlayFormatError(
      filename,
      start + p,
      `${dir.length - p} stray bytes in the overlay directory`,
    );
  }
  const entries: OverlayEntry[] = names.map((name, i) =>
    Object.freeze({ name, offset: offsets[i]!, end: i + 1 < count ? offsets[i + 1]! : start }),
  );
  Object.freeze(entries);
  return Object.freeze({
    entries,
    start,
    tail: Object.freeze({ position: tailPosition, bytes: tail }),
    lookup(name: OverlayName): OverlayEntry | undefined {
      if (!isValidOverlayName(name)) return undefined;
      const i = byKey.get(overlayNameKey(name));
      return i === undefined ? undefined : entries[i];
    },
  });
}

/**
 * The bytes of `entry`'s code object: a view into the directory's tail when it lies inside (no read), else
 * exactly one call of `read`.
 */
export function readOverlayCode(dir: OverlayDirectory, entry: OverlayEntry, read: OverlayRead): Uint8Array {
  const { position, bytes } = dir.tail;
  if (
    !Number.isSafeInteger(entry.offset) ||
    !Number.isSafeInteger(entry.end) ||
    entry.offset < 0 ||
    entry.end <= entry.offset ||
    entry.end > dir.start
  ) {
    throw new OverlayFormatError(undefined, entry.offset, "overlay entry outside its directory's file");
  }
  if (entry.offset >= position) return bytes.subarray(entry.offset - position, entry.end - position);
  return fetch(read, entry.offset, entry.end - entry.offset, undefined);
}

/**
 * The well-formed overlay directory of a whole pyc in memory, whose module code object ended at
 * `moduleEnd` (its first code object, or the directory itself, starting exactly at `moduleEnd`).
 * No exceptions: malformed or absent → undefined.
 */
export function overlayDirectoryIn(bytes: Uint8Array, moduleEnd: number): OverlayDirectory | undefined {
  if (
    !Number.isSafeInteger(moduleEnd) ||
    moduleEnd < 0 ||
    bytes.length - moduleEnd < OVERLAY_DIRECTORY_FIXED
  ) {
    return undefined;
  }
  const start = u32(bytes, bytes.length - 4);
  if (start < moduleEnd || start > bytes.length - OVERLAY_DIRECTORY_FIXED) return undefined;
  try {
    return readOverlayDirectory(
      (position, length) => bytes.subarray(position, position + length),
      bytes.length,
      undefined,
      moduleEnd,
    );
  } catch (error) {
    if (error instanceof OverlayFormatError) return undefined;
    throw error;
  }
}

/** Whether {@link overlayDirectoryIn} finds a directory. */
export function hasOverlayDirectory(bytes: Uint8Array, moduleEnd: number): boolean {
  return overlayDirectoryIn(bytes, moduleEnd) !== undefined;
}
