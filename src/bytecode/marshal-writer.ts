/**
 * The marshal encoder (CPython's `w_object`), for marshal versions 0–5.
 *
 * Type codes follow CPython's writer: `i` exactly for int32 values, else `l` (15-bit digits); binary floats
 * from v2 (text `%.17g` before); `t` interned strings from v3; `)` small tuples and `a A z Z` ASCII strings
 * from v4; `:` slices only at v5.
 *
 * What CPython decides from refcounts and interning state, which a JS value does not carry, is decided here
 * from the value alone, so that the output is a pure function of the value and re-encoding what was decoded
 * from it gives the same bytes:
 * - FLAG_REF (v3+) marks exactly the objects that occur more than once (strings and the empty tuple by value,
 *   other objects by identity; ints, None, bools and singletons never), and later occurrences are `r`.
 * - Interned string codes (`t A Z`) are used for strings in a code object's name slots (names, varnames,
 *   freevars, cellvars, localsplusnames, name, qualname) and for identifier-like constants (CPython's
 *   `intern_string_constants`: only [A-Za-z0-9_] characters), nested tuples and frozensets included.
 */
import type { CodeLayout, CodeObject } from "./code-object.js";
import { MarshalError } from "./errors.js";
import { formatG17 } from "./float-text.js";
import { MAX_MARSHAL_STACK_DEPTH } from "./marshal-reader.js";
import {
  ELLIPSIS,
  MarshalComplex,
  MarshalDict,
  MarshalFloat,
  MarshalList,
  MarshalSet,
  MarshalSlice,
  type MarshalValue,
  STOP_ITERATION,
} from "./marshal-values.js";
import { encodeUtf8Surrogatepass, isAscii } from "./utf8.js";

export type MarshalVersion = 0 | 1 | 2 | 3 | 4 | 5;

export interface EncodeMarshalOptions {
  /** The writer's marshal version: 4 for CPython 3.6–3.13 pycs, 5 for 3.14. */
  readonly version: MarshalVersion;
  /** When given, every code object must have this layout (the target interpreter's). */
  readonly layout?: CodeLayout;
}

/** How strings inside the value being written are interned (see the module comment). */
const INTERN_NONE = 0;
const INTERN_ALL = 1;
const INTERN_IDENTIFIERS = 2;

const FLAG_REF = 0x80;
const EMPTY_TUPLE_KEY = Symbol("empty tuple");
const IDENTIFIER = /^[A-Za-z0-9_]+$/;

type RefKey = object | string | symbol;

function isCode(value: object): value is CodeObject {
  return (value as { type?: unknown }).type === "code" && !Array.isArray(value);
}

/** The key under which repeated occurrences share one reference, or null for values never referenced. */
function refKey(value: MarshalValue): RefKey | null {
  if (typeof value === "string") return value;
  if (value === null || typeof value !== "object") return null;
  if (value === ELLIPSIS || value === STOP_ITERATION) return null;
  if (Array.isArray(value) && value.length === 0) return EMPTY_TUPLE_KEY;
  return value;
}

/** Encodes one value. Throws {@link MarshalError} ("unmarshallable object", ...) for values marshal rejects. */
export function encodeMarshal(value: MarshalValue, options: EncodeMarshalOptions): Uint8Array {
  const writer = new MarshalWriter(options);
  if (options.version >= 3) writer.countOccurrences(value);
  writer.writeObject(value, INTERN_NONE);
  return writer.result();
}

class MarshalWriter {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  private pos = 0;
  private depth = 0;
  private readonly version: MarshalVersion;
  private readonly layout: CodeLayout | undefined;
  /** v3+: occurrence counts (from a first pass), then the index given to each flagged object. */
  private readonly counts = new Map<RefKey, number>();
  private readonly indices = new Map<RefKey, number>();
  /** Code objects, frozensets and slices being written: a reference to one cannot be read back. */
  private readonly unfinished = new Set<object>();

  constructor(options: EncodeMarshalOptions) {
    if (!Number.isInteger(options.version) || options.version < 0 || options.version > 5) {
      throw new MarshalError(`unsupported marshal version ${options.version}`, 0, "ValueError");
    }
    this.version = options.version;
    this.layout = options.layout;
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  // --- output buffer --------------------------------------------------------------------------------------

  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  private byte(b: number): void {
    this.reserve(1);
    this.buf[this.pos++] = b;
  }

  private long(n: number): void {
    this.reserve(4);
    this.view.setInt32(this.pos, n | 0, true);
    this.pos += 4;
  }

  private double(x: number): void {
    this.reserve(8);
    this.view.setFloat64(this.pos, x, true);
    this.pos += 8;
  }

  private raw(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  private fail(reason: string): MarshalError {
    return new MarshalError(reason, this.pos, "ValueError");
  }

  // --- references -----------------------------------------------------------------------------------------

  /** First pass (v3+): count occurrences, descending into each object once (so cycles terminate). */
  countOccurrences(root: MarshalValue): void {
    const stack: MarshalValue[] = [root];
    while (stack.length > 0) {
      const value = stack.pop()!;
      const key = refKey(value);
      if (key === null) continue;
      const seen = this.counts.get(key) ?? 0;
      this.counts.set(key, seen + 1);
      if (seen > 0 || typeof value !== "object" || value === null) continue;
      pushChildren(value, stack);
    }
  }

  /** Writes an `r` for a repeated object and returns true, or returns the flag byte to use (0 or 0x80). */
  private refOrFlag(value: MarshalValue): number | true {
    const key = refKey(value);
    if (key === null) return 0;
    const index = this.indices.get(key);
    if (index !== undefined) {
      if (typeof value === "object" && value !== null && this.unfinished.has(value)) {
        throw this.fail("cannot marshal a reference to an unfinished code object, frozenset or slice");
      }
      this.byte(0x72);
      this.long(index);
      return true;
    }
    if ((this.counts.get(key) ?? 0) < 2) return 0;
    this.indices.set(key, this.indices.size);
    return FLAG_REF;
  }

  // --- objects --------------------------------------------------------------------------------------------

  writeObject(value: MarshalValue, intern: number): void {
    if (++this.depth > MAX_MARSHAL_STACK_DEPTH) throw this.fail("object too deeply nested to marshal");
    if (value === null) this.byte(0x4e);
    else if (value === true) this.byte(0x54);
    else if (value === false) this.byte(0x46);
    else if (value === ELLIPSIS) this.byte(0x2e);
    else if (value === STOP_ITERATION) this.byte(0x53);
    else if (typeof value === "number" || typeof value === "bigint") this.writeInt(value);
    else {
      const flag = this.version >= 3 ? this.refOrFlag(value) : 0;
      if (flag !== true) this.writeComplex(value, flag, intern);
    }
    this.depth--;
  }

  private writeInt(value: number | bigint): void {
    if (typeof value === "number") {
      if (!Number.isSafeInteger(value))
        throw this.fail("unmarshallable object (a number that is not an int)");
      if (value >= -0x80000000 && value <= 0x7fffffff) {
        this.byte(0x69);
        this.long(value);
        return;
      }
      this.writeLong(BigInt(value));
      return;
    }
    if (value >= -0x80000000n && value <= 0x7fffffffn) {
      this.byte(0x69);
      this.long(Number(value));
      return;
    }
    this.writeLong(value);
  }

  /** TYPE_LONG: signed count of 15-bit digits, least significant first (via hex text: linear in size). */
  private writeLong(value: bigint): void {
    const hex = (value < 0n ? -value : value).toString(16);
    const digits: number[] = [];
    let acc = 0;
    let bits = 0;
    for (let i = hex.length - 1; i >= 0; i--) {
      acc |= Number.parseInt(hex[i]!, 16) << bits;
      bits += 4;
      if (bits >= 15) {
        digits.push(acc & 0x7fff);
        acc >>>= 15;
        bits -= 15;
      }
    }
    if (acc !== 0) digits.push(acc);
    while (digits.length > 0 && digits[digits.length - 1] === 0) digits.pop();
    this.byte(0x6c);
    this.long(value < 0n ? -digits.length : digits.length);
    this.reserve(2 * digits.length);
    for (const d of digits) {
      this.view.setUint16(this.pos, d, true);
      this.pos += 2;
    }
  }

  private writeComplex(
    value: Exclude<MarshalValue, null | boolean | number | bigint>,
    flag: number,
    intern: number,
  ) {
    if (typeof value === "string") this.writeString(value, flag, intern);
    else if (value instanceof Uint8Array) {
      this.byte(0x73 | flag);
      this.size(value.length);
      this.raw(value);
    } else if (Array.isArray(value)) this.writeTuple(value as readonly MarshalValue[], flag, intern);
    else if (value instanceof MarshalFloat) {
      if (this.version > 1) {
        this.byte(0x67 | flag);
        this.double(value.value);
      } else {
        this.byte(0x66 | flag);
        this.floatText(value.value);
      }
    } else if (value instanceof MarshalComplex) {
      if (this.version > 1) {
        this.byte(0x79 | flag);
        this.double(value.real);
        this.double(value.imag);
      } else {
        this.byte(0x78 | flag);
        this.floatText(value.real);
        this.floatText(value.imag);
      }
    } else if (value instanceof MarshalList) {
      this.byte(0x5b | flag);
      this.size(value.items.length);
      for (const item of value.items) this.writeObject(item, INTERN_NONE);
    } else if (value instanceof MarshalDict) {
      this.byte(0x7b | flag);
      for (const [k, v] of value.entries) {
        this.writeObject(k, INTERN_NONE);
        this.writeObject(v, INTERN_NONE);
      }
      this.byte(0x30);
    } else if (value instanceof MarshalSet) {
      const frozen = value.kind === "frozenset";
      this.byte((frozen ? 0x3e : 0x3c) | flag);
      this.size(value.items.length);
      if (frozen) this.unfinished.add(value);
      const childIntern = frozen && intern === INTERN_IDENTIFIERS ? INTERN_IDENTIFIERS : INTERN_NONE;
      for (const item of value.items) this.writeObject(item, childIntern);
      this.unfinished.delete(value);
    } else if (value instanceof MarshalSlice) {
      if (this.version < 5) throw this.fail("unmarshallable object (slices need marshal version 5)");
      this.byte(0x3a | flag);
      this.unfinished.add(value);
      this.writeObject(value.start, INTERN_NONE);
      this.writeObject(value.stop, INTERN_NONE);
      this.writeObject(value.step, INTERN_NONE);
      this.unfinished.delete(value);
    } else if (isCode(value)) {
      this.unfinished.add(value);
      this.writeCode(value, flag);
      this.unfinished.delete(value);
    } else {
      throw this.fail("unmarshallable object");
    }
  }

  private size(n: number): void {
    if (n > 0x7fffffff) throw this.fail("unmarshallable object (size over 2**31-1)");
    this.long(n);
  }

  private floatText(x: number): void {
    const text = formatG17(x);
    this.byte(text.length);
    for (let i = 0; i < text.length; i++) this.byte(text.charCodeAt(i));
  }

  private writeString(text: string, flag: number, intern: number): void {
    const interned = intern === INTERN_ALL || (intern === INTERN_IDENTIFIERS && IDENTIFIER.test(text));
    if (this.version >= 4 && isAscii(text)) {
      const n = text.length;
      if (n < 256) {
        this.byte((interned ? 0x5a : 0x7a) | flag);
        this.byte(n);
      } else {
        this.byte((interned ? 0x41 : 0x61) | flag);
        this.long(n);
      }
      this.reserve(n);
      for (let i = 0; i < n; i++) this.buf[this.pos + i] = text.charCodeAt(i);
      this.pos += n;
      return;
    }
    this.byte((this.version >= 3 && interned ? 0x74 : 0x75) | flag);
    const lengthAt = this.pos;
    this.long(0);
    this.reserve(3 * text.length);
    const end = encodeUtf8Surrogatepass(text, this.buf, this.pos);
    this.view.setInt32(lengthAt, end - this.pos, true);
    this.pos = end;
  }

  private writeTuple(items: readonly MarshalValue[], flag: number, intern: number): void {
    const n = items.length;
    if (this.version >= 4 && n < 256) {
      this.byte(0x29 | flag);
      this.byte(n);
    } else {
      this.byte(0x28 | flag);
      this.size(n);
    }
    for (let i = 0; i < n; i++) this.writeObject(items[i]!, intern);
  }

  // --- code objects ---------------------------------------------------------------------------------------

  private writeCode(co: CodeObject, flag: number): void {
    if (this.layout !== undefined && co.layout !== this.layout) {
      throw this.fail(`a code object of layout ${co.layout} cannot be written with layout ${this.layout}`);
    }
    this.byte(0x63 | flag);
    const layout = co.layout;
    this.long(co.argcount);
    if (layout !== "3.6") this.long(co.posonlyargcount);
    this.long(co.kwonlyargcount);
    if (layout !== "3.11") this.long(co.nlocals);
    this.long(co.stacksize);
    this.long(co.flags);
    this.writeObject(co.code, INTERN_NONE);
    this.writeObject(co.consts, INTERN_IDENTIFIERS);
    this.writeObject(co.names, INTERN_ALL);
    if (layout === "3.11") {
      if (co.localsplusnames === null || co.localspluskinds === null || co.exceptiontable === null) {
        throw this.fail(
          "a 3.11-layout code object needs localsplusnames, localspluskinds and exceptiontable",
        );
      }
      this.writeObject(co.localsplusnames, INTERN_ALL);
      this.writeObject(co.localspluskinds, INTERN_NONE);
      this.writeObject(co.filename, INTERN_NONE);
      this.writeObject(co.name, INTERN_ALL);
      this.writeObject(co.qualname, INTERN_ALL);
      this.long(co.firstlineno);
      this.writeObject(co.linetable, INTERN_NONE);
      this.writeObject(co.exceptiontable, INTERN_NONE);
      return;
    }
    this.writeObject(co.varnames, INTERN_ALL);
    this.writeObject(co.freevars, INTERN_ALL);
    this.writeObject(co.cellvars, INTERN_ALL);
    this.writeObject(co.filename, INTERN_NONE);
    this.writeObject(co.name, INTERN_ALL);
    this.long(co.firstlineno);
    this.writeObject(co.linetable, INTERN_NONE);
  }
}

/** Children in any order (only counted): what `writeComplex` would write for `value`. */
function pushChildren(value: object, stack: MarshalValue[]): void {
  if (Array.isArray(value)) {
    for (const item of value as readonly MarshalValue[]) stack.push(item);
  } else if (value instanceof MarshalList || value instanceof MarshalSet) {
    for (const item of value.items) stack.push(item);
  } else if (value instanceof MarshalDict) {
    for (const [k, v] of value.entries) stack.push(k, v);
  } else if (value instanceof MarshalSlice) {
    stack.push(value.start, value.stop, value.step);
  } else if (isCode(value)) {
    stack.push(value.code, value.consts, value.names, value.filename, value.name, value.linetable);
    if (value.layout === "3.11") {
      if (value.localsplusnames !== null) stack.push(value.localsplusnames);
      if (value.localspluskinds !== null) stack.push(value.localspluskinds);
      if (value.exceptiontable !== null) stack.push(value.exceptiontable);
      stack.push(value.qualname);
    } else {
      stack.push(value.varnames, value.freevars, value.cellvars);
    }
  }
}
