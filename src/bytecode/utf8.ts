/**
 * UTF-8 with Python's `surrogatepass` error handler, which is how marshal stores `str` (`u`/`t` codes).
 * `TextDecoder` and `Buffer#toString` turn an encoded lone surrogate (`ed b2 80`) into U+FFFD, so both
 * directions are written out here. Errors reproduce CPython's strict decoder: the same reason and the same
 * byte range ("invalid start byte", "invalid continuation byte", "unexpected end of data").
 */

/** Why and where a byte sequence is not UTF-8 (offsets relative to the string's first byte). */
export class Utf8Failure {
  constructor(
    readonly start: number,
    readonly end: number,
    readonly reason: "invalid start byte" | "invalid continuation byte" | "unexpected end of data",
    readonly firstByte: number,
  ) {}

  /** CPython's UnicodeDecodeError text. */
  message(): string {
    const where =
      this.end - this.start === 1
        ? `byte 0x${this.firstByte.toString(16).padStart(2, "0")} in position ${this.start}`
        : `bytes in position ${this.start}-${this.end - 1}`;
    return `'utf-8' codec can't decode ${where}: ${this.reason}`;
  }
}

// Scratch space for decoded UTF-16 units, reused across calls (decoding is synchronous).
let scratch = Buffer.alloc(1024);
let scratchUnits = new Uint16Array(scratch.buffer, scratch.byteOffset, scratch.length >>> 1);

function ensureScratch(units: number): void {
  if (scratchUnits.length >= units) return;
  let size = scratch.length;
  while (size >>> 1 < units) size *= 2;
  scratch = Buffer.alloc(size);
  scratchUnits = new Uint16Array(scratch.buffer, scratch.byteOffset, size >>> 1);
}

const isCont = (b: number): boolean => (b & 0xc0) === 0x80;

/**
 * Decodes `bytes[start, end)` as UTF-8/surrogatepass. Returns the string, or a {@link Utf8Failure}
 * (not thrown, so that the caller can attach its own context cheaply).
 */
export function decodeUtf8Surrogatepass(bytes: Uint8Array, start: number, end: number): string | Utf8Failure {
  ensureScratch(end - start);
  const out = scratchUnits;
  let n = 0;
  let i = start;
  while (i < end) {
    const b = bytes[i]!;
    if (b < 0x80) {
      out[n++] = b;
      i++;
      continue;
    }
    const left = end - i;
    if (b >= 0xc2 && b <= 0xdf) {
      if (left < 2) return new Utf8Failure(i - start, end - start, "unexpected end of data", b);
      const b2 = bytes[i + 1]!;
      if (!isCont(b2)) return new Utf8Failure(i - start, i - start + 1, "invalid continuation byte", b);
      out[n++] = ((b & 0x1f) << 6) | (b2 & 0x3f);
      i += 2;
    } else if (b >= 0xe0 && b <= 0xef) {
      // The second byte's valid range depends on the lead: E0 excludes overlongs, ED excludes surrogates.
      const lo = b === 0xe0 ? 0xa0 : 0x80;
      const hi = b === 0xed ? 0x9f : 0xbf;
      const b2 = left >= 2 ? bytes[i + 1]! : -1;
      const b2ok = b2 >= lo && b2 <= hi;
      if (!b2ok && left >= 2) {
        // surrogatepass: ED A0..BF 80..BF is a lone surrogate, one UTF-16 unit.
        if (b === 0xed && b2 >= 0xa0 && b2 <= 0xbf && left >= 3 && isCont(bytes[i + 2]!)) {
          out[n++] = 0xd000 | ((b2 & 0x3f) << 6) | (bytes[i + 2]! & 0x3f);
          i += 3;
          continue;
        }
        return new Utf8Failure(i - start, i - start + 1, "invalid continuation byte", b);
      }
      if (left < 3) return new Utf8Failure(i - start, end - start, "unexpected end of data", b);
      const b3 = bytes[i + 2]!;
      if (!isCont(b3)) return new Utf8Failure(i - start, i - start + 2, "invalid continuation byte", b);
      out[n++] = ((b & 0x0f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f);
      i += 3;
    } else if (b >= 0xf0 && b <= 0xf4) {
      const lo = b === 0xf0 ? 0x90 : 0x80;
      const hi = b === 0xf4 ? 0x8f : 0xbf;
      if (left < 2) return new Utf8Failure(i - start, end - start, "unexpected end of data", b);
      const b2 = bytes[i + 1]!;
      if (b2 < lo || b2 > hi)
        return new Utf8Failure(i - start, i - start + 1, "invalid continuation byte", b);
      if (left < 3) return new Utf8Failure(i - start, end - start, "unexpected end of data", b);
      const b3 = bytes[i + 2]!;
      if (!isCont(b3)) return new Utf8Failure(i - start, i - start + 2, "invalid continuation byte", b);
      if (left < 4) return new Utf8Failure(i - start, end - start, "unexpected end of data", b);
      const b4 = bytes[i + 3]!;
      if (!isCont(b4)) return new Utf8Failure(i - start, i - start + 3, "invalid continuation byte", b);
      const cp = ((b & 0x07) << 18) | ((b2 & 0x3f) << 12) | ((b3 & 0x3f) << 6) | (b4 & 0x3f);
      out[n++] = 0xd800 + ((cp - 0x10000) >> 10);
      out[n++] = 0xdc00 + ((cp - 0x10000) & 0x3ff);
      i += 4;
    } else {
      return new Utf8Failure(i - start, i - start + 1, "invalid start byte", b);
    }
  }
  return scratch.toString("utf16le", 0, n * 2);
}

/**
 * Writes `text` as UTF-8/surrogatepass into `out` at `pos` (which must have room for 3 bytes per UTF-16
 * unit) and returns the new position. A valid surrogate pair becomes one 4-byte sequence; a lone surrogate
 * becomes its 3-byte `ED xx xx` form, as CPython's `str.encode("utf-8", "surrogatepass")` does.
 */
export function encodeUtf8Surrogatepass(text: string, out: Uint8Array, pos: number): number {
  const len = text.length;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      out[pos++] = c;
    } else if (c < 0x800) {
      out[pos++] = 0xc0 | (c >> 6);
      out[pos++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < len) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        out[pos++] = 0xf0 | (cp >> 18);
        out[pos++] = 0x80 | ((cp >> 12) & 0x3f);
        out[pos++] = 0x80 | ((cp >> 6) & 0x3f);
        out[pos++] = 0x80 | (cp & 0x3f);
        i++;
      } else {
        pos = put3(c, out, pos);
      }
    } else {
      pos = put3(c, out, pos);
    }
  }
  return pos;
}

function put3(c: number, out: Uint8Array, pos: number): number {
  out[pos] = 0xe0 | (c >> 12);
  out[pos + 1] = 0x80 | ((c >> 6) & 0x3f);
  out[pos + 2] = 0x80 | (c & 0x3f);
  return pos + 3;
}

/** True when every UTF-16 unit is below 0x80 (marshal v4+ then writes a one-byte ASCII code). */
export function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return false;
  return true;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Python's strict `bytes.decode("utf-8")`: the string, or where and why it fails (as CPython reports it). */
export function decodeUtf8Strict(bytes: Uint8Array): string | Utf8Failure {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    const failure = decodeUtf8Surrogatepass(bytes, 0, bytes.length);
    if (failure instanceof Utf8Failure) {
      // surrogatepass accepts encoded surrogates that strict decoding refuses: the first one may come earlier.
      const surrogate = firstEncodedSurrogate(bytes, failure.start);
      return surrogate < 0
        ? failure
        : new Utf8Failure(surrogate, surrogate + 1, "invalid continuation byte", 0xed);
    }
    const surrogate = firstEncodedSurrogate(bytes, bytes.length);
    return new Utf8Failure(surrogate, surrogate + 1, "invalid continuation byte", 0xed);
  }
}

/** The position of the first `ED A0..BF` (an encoded surrogate) before `end`, or -1. */
function firstEncodedSurrogate(bytes: Uint8Array, end: number): number {
  for (let i = 0; i < end - 1; i++) {
    if (bytes[i] === 0xed && bytes[i + 1]! >= 0xa0 && bytes[i + 1]! <= 0xbf) return i;
  }
  return -1;
}
