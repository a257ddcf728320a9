/**
 * The rejected layout, kept for the benchmark: after the module's code object, alternating marshalled name
 * and marshalled code object, and nothing else. Finding an overlay means decoding every code object before
 * it (marshal has no length prefix), reading the file as the scan goes.
 */
import { decodeMarshal } from "./decode-marshal.js";
import { MarshalError } from "./errors.js";
import { encodeMarshal } from "./marshal-writer.js";
import { OverlayFormatError } from "./overlay-errors.js";
import type { OverlayPycParts, OverlayRead } from "./overlay-file.js";
import {
  isReservedOverlayName,
  isValidOverlayName,
  type OverlayName,
  overlayNameKey,
} from "./overlay-name.js";
import { readPycHeader } from "./pyc-header.js";

/** First chunk the linear scan reads; each further read doubles it. */
export const LINEAR_FIRST_CHUNK = 4096;

/** `[header][module][name 1][code 1]…[name n][code n]`: no directory. */
export function buildLinearOverlayFile(parts: OverlayPycParts): Uint8Array {
  const version = (parts.marshalVersion ?? 4) as 0 | 1 | 2 | 3 | 4 | 5;
  const pieces: Uint8Array[] = [parts.header, parts.module];
  for (const overlay of parts.overlays) {
    if (!isValidOverlayName(overlay.name) || isReservedOverlayName(overlay.name)) {
      throw new OverlayFormatError(undefined, 0, "invalid overlay name");
    }
    pieces.push(encodeMarshal(overlay.name, { version }), overlay.code);
  }
  let size = 0;
  for (const piece of pieces) size += piece.length;
  const out = new Uint8Array(size);
  let pos = 0;
  for (const piece of pieces) {
    out.set(piece, pos);
    pos += piece.length;
  }
  return out;
}

/**
 * Scans a linear overlay file for `name`, from `moduleEnd`: reads the header once (for the code layout), then
 * chunks of 4 KiB, doubling, as decoding needs more bytes. Every call of `read` is a real read. Returns the
 * code object's bytes, or undefined when no overlay has that name. Throws {@link OverlayFormatError} or
 * {@link MarshalError} on malformed input.
 */
export function findLinearOverlay(
  read: OverlayRead,
  size: number,
  moduleEnd: number,
  name: OverlayName,
): Uint8Array | undefined {
  const headerBytes = read(0, Math.min(size, 16));
  const classified = readPycHeader(headerBytes);
  if (!classified.ok) throw classified.error;
  const { layout, marshalVersion } = classified.info;
  const wanted = overlayNameKey(name);
  let base = moduleEnd; // absolute offset of buf[0]
  let buf: Uint8Array<ArrayBufferLike> = new Uint8Array(0);
  let chunk = LINEAR_FIRST_CHUNK;
  const more = (): boolean => {
    const from = base + buf.length;
    if (from >= size) return false;
    const length = Math.min(chunk, size - from);
    chunk *= 2;
    const got = read(from, length);
    if (got.length < length) throw new OverlayFormatError(undefined, from + got.length, "short read");
    const next = new Uint8Array(buf.length + length);
    next.set(buf, 0);
    next.set(got.subarray(0, length), buf.length);
    buf = next;
    return true;
  };
  /** Decodes one object at `at` in buf, reading more while the decoder runs out of bytes. */
  const decodeAt = (at: number) => {
    for (;;) {
      try {
        return decodeMarshal(buf, { layout, offset: at, marshalVersion });
      } catch (error) {
        if (!(error instanceof MarshalError) || error.pythonType !== "EOFError" || !more()) throw error;
      }
    }
  };
  let at = 0;
  while (base + at < size) {
    if (at >= buf.length && !more()) break;
    const named = decodeAt(at);
    const code = decodeAt(named.end);
    if (isValidOverlayName(named.value) && overlayNameKey(named.value) === wanted) {
      return buf.slice(named.end, code.end);
    }
    at = code.end;
    // Drop what was consumed so the buffer only holds the unread remainder.
    base += at;
    buf = buf.subarray(at);
    at = 0;
  }
  return undefined;
}
