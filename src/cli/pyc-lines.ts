/**
 * The line range of a code object, from its line table, per layout (CPython's `Objects/lnotab_notes.txt` and
 * `InternalDocs/code_objects.md`):
 * * 3.6–3.9 `co_lnotab`: (byte offset delta u8, line delta i8) pairs.
 * * 3.10 `co_linetable` (PEP 626): (byte delta u8, line delta i8) pairs; a line delta of -128 means "no line".
 * * 3.11+ location table (PEP 657): entries of a header byte `1 cccc lll` (code, length − 1), then per code:
 *   0–9 short form (same line, 1 byte), 10–12 one-line form (line + code − 10, 2 bytes), 13 no columns
 *   (signed varint line delta), 14 long form (signed varint line delta, varint end-line delta, 2 varint
 *   columns), 15 no location.
 * Returns the first and last line any instruction is on; a malformed table gives what was read before the
 * fault (it is data for display, never trusted).
 */
import type { CodeObject } from "../bytecode/code-object.js";

export interface LineRange {
  readonly first: number;
  readonly last: number;
  /** False when the table ended in the middle of an entry or held an impossible code. */
  readonly wellFormed: boolean;
}

export function lineRange(code: CodeObject): LineRange {
  const table = code.linetable;
  switch (code.layout) {
    case "3.6":
    case "3.8":
      return pairs(table, code.firstlineno, false);
    case "3.10":
      return pairs(table, code.firstlineno, true);
    default:
      return locations(table, code.firstlineno);
  }
}

function pairs(table: Uint8Array, firstlineno: number, noLineMarker: boolean): LineRange {
  let line = firstlineno;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  const see = (l: number) => {
    if (l < first) first = l;
    if (l > last) last = l;
  };
  if (!noLineMarker) see(line); // lnotab: offset 0 starts on co_firstlineno
  for (let i = 0; i + 1 < table.length; i += 2) {
    const byteDelta = table[i]!;
    const lineDelta = (table[i + 1]! << 24) >> 24;
    if (noLineMarker) {
      if (lineDelta === -128) continue;
      line += lineDelta;
      if (byteDelta > 0) see(line);
    } else {
      line += lineDelta;
      see(line);
    }
  }
  if (first === Number.POSITIVE_INFINITY) return { first: firstlineno, last: firstlineno, wellFormed: true };
  return { first, last, wellFormed: table.length % 2 === 0 };
}

function locations(table: Uint8Array, firstlineno: number): LineRange {
  let pos = 0;
  let line = firstlineno;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  let wellFormed = true;
  const see = (l: number) => {
    if (l < first) first = l;
    if (l > last) last = l;
  };
  const varint = (): number => {
    let value = 0;
    let shift = 0;
    for (;;) {
      if (pos >= table.length) {
        wellFormed = false;
        return value;
      }
      const b = table[pos++]!;
      value += (b & 63) * 2 ** shift;
      shift += 6;
      if (!(b & 64)) return value;
      if (shift > 42) {
        wellFormed = false;
        return value;
      }
    }
  };
  const signed = (): number => {
    const v = varint();
    return v % 2 ? -Math.floor(v / 2) : v / 2;
  };
  while (pos < table.length && wellFormed) {
    const header = table[pos++]!;
    if (!(header & 0x80)) {
      wellFormed = false;
      break;
    }
    const code = (header >> 3) & 15;
    if (code <= 9) {
      pos += 1;
      see(line);
    } else if (code <= 12) {
      line += code - 10;
      pos += 2;
      see(line);
    } else if (code === 13) {
      line += signed();
      see(line);
    } else if (code === 14) {
      line += signed();
      const endLine = line + varint();
      varint();
      varint();
      see(line);
      see(endLine);
    }
    // 15: no location.
    if (pos > table.length) wellFormed = false;
  }
  if (first === Number.POSITIVE_INFINITY) return { first: firstlineno, last: firstlineno, wellFormed };
  return { first, last, wellFormed };
}
