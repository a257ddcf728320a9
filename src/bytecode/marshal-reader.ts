/**
 * The marshal decoder (CPython's `r_object`), built for speed: one cursor over one Uint8Array/DataView,
 * monomorphic fields, one switch on the type byte, no closures per object.
 *
 * - ASCII strings (`a A z Z`, and `u`/`t` whose bytes are all ASCII) are substrings of a latin1 decoding of
 *   a window of the input, which V8 makes far cheaper than a `Buffer#toString` call per string.
 * - `bytes` (`s`: co_code, line tables, ...) are zero-copy Uint8Array views of the input unless `copyBytes`.
 * - ints are numbers when they are safe integers, else bigints; `l` of up to 3 digits never touches BigInt.
 * - References are numbered in pre-order (PYC.md §4): tuple, list, dict and set are registered before their
 *   children, so a child may refer to its unfinished container (a cycle), exactly as CPython allows; code,
 *   frozenset and slice reserve a slot that stays PENDING until they are complete, and a reference to a
 *   pending slot is "bad marshal data (invalid reference)", as in CPython.
 * - Every failure is a {@link MarshalError} with CPython's message, exception type and the byte offset.
 */
import type { CodeLayout, CodeObject } from "./code-object.js";
import { deriveLocals } from "./code-object-build.js";
import { MarshalError, type MarshalPythonType } from "./errors.js";
import { parsePythonFloatText } from "./float-text.js";
import { unhashableTypeName } from "./hashability.js";
import { bigLong } from "./marshal-long.js";
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
import { pythonStrRepr } from "./python-repr.js";
import { decodeUtf8Surrogatepass } from "./utf8.js";

/** CPython's MAX_MARSHAL_STACK_DEPTH (non-Windows). */
export const MAX_MARSHAL_STACK_DEPTH = 2000;

/** Marker of a reserved, not yet filled reference slot. */
class Pending {}
const PENDING = new Pending();

const EMPTY_TUPLE: readonly MarshalValue[] = [];

/** Numeric layout ids, so the code reader compares small integers. */
const L36 = 0;
const L38 = 1;
const L310 = 2;
const L311 = 3;
const LAYOUT_ID: Record<CodeLayout, number> = { "3.6": L36, "3.8": L38, "3.10": L310, "3.11": L311 };

/**
 * ASCII strings are slices of a latin1 decoding of a window of the input starting at the string. A few KB
 * amortize the call over the strings that follow while skipping most of the code and line-table bytes
 * between them (decoding whole files was measured ~30% slower on the W3 set).
 */
const TEXT_WINDOW = 4096;

/** Largest `copyBytes` slab (smaller when less input is left). */
const SLAB_SIZE = 1 << 20;

export interface MarshalReaderOptions {
  readonly layout: CodeLayout;
  readonly filename?: string | undefined;
  /** Accept `:` slices (marshal v5, CPython 3.14). */
  readonly allowSlices: boolean;
  readonly maxDepth: number;
  readonly copyBytes: boolean;
}

export class MarshalReader {
  readonly bytes: Uint8Array;
  private readonly arrayBuffer: ArrayBufferLike;
  private readonly byteOffset: number;
  private readonly buffer: Buffer;
  private readonly view: DataView;
  pos: number;
  private readonly limit: number;
  private readonly refs: (MarshalValue | Pending)[] = [];
  private depth = 0;
  private readonly maxDepth: number;
  private readonly layout: number;
  private readonly allowSlices: boolean;
  private readonly copyBytes: boolean;
  private readonly filename: string | undefined;
  /** `copyBytes`: where copies go. */
  private slab: Uint8Array | null = null;
  private slabUsed = 0;
  /** latin1 decoding of bytes[textStart, textEnd). */
  private text = "";
  private textStart = 0;
  private textEnd = 0;

  constructor(bytes: Uint8Array, offset: number, options: MarshalReaderOptions) {
    // Always a plain Uint8Array (a Buffer is a subclass): keeps element access monomorphic, and its `slice`
    // copies (Buffer#slice does not).
    this.bytes = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.arrayBuffer = bytes.buffer;
    this.byteOffset = bytes.byteOffset;
    this.buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = offset;
    this.limit = bytes.length;
    this.maxDepth = options.maxDepth;
    this.layout = LAYOUT_ID[options.layout];
    this.allowSlices = options.allowSlices;
    this.copyBytes = options.copyBytes;
    this.filename = options.filename;
  }

  /** Reads one object; `undefined` is TYPE_NULL (`0`), which only ends a dict. */
  readObject(): MarshalValue | undefined {
    const start = this.pos;
    if (start >= this.limit) throw this.fail("EOF read where object expected", start, "EOFError");
    const code = this.bytes[start]!;
    this.pos = start + 1;
    if (++this.depth > this.maxDepth) throw this.fail("recursion limit exceeded", start, "ValueError");
    const flag = code & 0x80;
    let value: MarshalValue | undefined;
    switch (code & 0x7f) {
      case 0x30: // '0' NULL
        value = undefined;
        break;
      case 0x4e: // 'N'
        value = null;
        break;
      case 0x46: // 'F'
        value = false;
        break;
      case 0x54: // 'T'
        value = true;
        break;
      case 0x53: // 'S'
        value = STOP_ITERATION;
        break;
      case 0x2e: // '.'
        value = ELLIPSIS;
        break;
      case 0x72: // 'r' REF
        value = this.readRef(start);
        break;
      case 0x69: // 'i' INT
        value = this.i32();
        if (flag !== 0) this.refs.push(value);
        break;
      case 0x7a: // 'z' SHORT_ASCII
      case 0x5a: {
        // 'Z' SHORT_ASCII_INTERNED
        const p = this.pos;
        if (p >= this.limit) throw this.fail("EOF read where object expected", p, "EOFError");
        const n = this.bytes[p]!;
        const s = p + 1;
        if (s + n > this.limit) throw this.tooShort(p);
        this.pos = s + n;
        value = this.latin1(s, s + n);
        if (flag !== 0) this.refs.push(value);
        break;
      }
      case 0x29: // ')' SMALL_TUPLE
        value = this.readTuple(this.u8(), flag);
        break;
      case 0x28: // '(' TUPLE
        value = this.readTuple(this.count("tuple"), flag);
        break;
      case 0x73: // 's' STRING (bytes)
        value = this.readBytes();
        if (flag !== 0) this.refs.push(value);
        break;
      case 0x61: // 'a' ASCII
      case 0x41: {
        // 'A' ASCII_INTERNED
        const n = this.size("string");
        const s = this.pos;
        if (s + n > this.limit) throw this.tooShort(s);
        this.pos = s + n;
        value = this.latin1(s, s + n);
        if (flag !== 0) this.refs.push(value);
        break;
      }
      case 0x75: // 'u' UNICODE
      case 0x74: // 't' INTERNED
        value = this.readUnicode();
        if (flag !== 0) this.refs.push(value);
        break;
      case 0x63: // 'c' CODE
        value = this.readCode(flag, start);
        break;
      case 0x6c: // 'l' LONG
        value = this.readLong();
        if (flag !== 0) this.refs.push(value);
        break;
      case 0x67: // 'g' BINARY_FLOAT
        value = new MarshalFloat(this.f64());
        if (flag !== 0) this.refs.push(value);
        break;
      case 0x79: {
        // 'y' BINARY_COMPLEX
        const real = this.f64();
        value = new MarshalComplex(real, this.f64());
        if (flag !== 0) this.refs.push(value);
        break;
      }
      case 0x3e: // '>' FROZENSET
      case 0x3c: // '<' SET
        value = this.readSet(code & 0x7f, flag, start);
        break;
      case 0x5b: // '[' LIST
        value = this.readList(flag);
        break;
      case 0x7b: // '{' DICT
        value = this.readDict(flag, start);
        break;
      case 0x3a: // ':' SLICE (marshal v5)
        if (!this.allowSlices) throw this.fail("bad marshal data (unknown type code)", start, "ValueError");
        value = this.readSlice(flag);
        break;
      case 0x49: // 'I' INT64
        value = this.readInt64();
        if (flag !== 0) this.refs.push(value);
        break;
      case 0x66: // 'f' FLOAT (text)
        value = new MarshalFloat(this.floatText());
        if (flag !== 0) this.refs.push(value);
        break;
      case 0x78: {
        // 'x' COMPLEX (text)
        const real = this.floatText();
        value = new MarshalComplex(real, this.floatText());
        if (flag !== 0) this.refs.push(value);
        break;
      }
      default:
        throw this.fail("bad marshal data (unknown type code)", start, "ValueError");
    }
    this.depth--;
    return value;
  }

  // --- primitives -------------------------------------------------------------------------------------

  private u8(): number {
    const p = this.pos;
    // CPython reads a missing SMALL_TUPLE count as 255 and fails on the first item; same exception.
    if (p >= this.limit) throw this.fail("EOF read where object expected", p, "EOFError");
    this.pos = p + 1;
    return this.bytes[p]!;
  }

  private i32(): number {
    const p = this.pos;
    if (p + 4 > this.limit) throw this.tooShort(p);
    this.pos = p + 4;
    return this.view.getInt32(p, true);
  }

  private f64(): number {
    const p = this.pos;
    if (p + 8 > this.limit) throw this.tooShort(p);
    this.pos = p + 8;
    return this.view.getFloat64(p, true);
  }

  /** A non-negative i32 length (CPython: "bad marshal data (<what> size out of range)"). */
  private size(what: string): number {
    const p = this.pos;
    const n = this.i32();
    if (n < 0) throw this.fail(`bad marshal data (${what} size out of range)`, p, "ValueError");
    return n;
  }

  /**
   * An element count. Every element takes at least one byte, so a count above the bytes left cannot be
   * satisfied; failing here (CPython would allocate first and fail at EOF) keeps hostile counts cheap.
   */
  private count(what: string): number {
    const p = this.pos;
    const n = this.size(what);
    if (n > this.limit - this.pos) throw this.tooShort(p);
    return n;
  }

  private latin1(start: number, end: number): string {
    if (start < this.textStart || end > this.textEnd) {
      this.textStart = start;
      this.textEnd = Math.min(this.limit, start + Math.max(TEXT_WINDOW, end - start));
      this.text = this.buffer.toString("latin1", start, this.textEnd);
    }
    return this.text.slice(start - this.textStart, end - this.textStart);
  }

  // --- leaves ---------------------------------------------------------------------------------------------

  private readRef(start: number): MarshalValue {
    const p = this.pos;
    if (p + 4 > this.limit) throw this.tooShort(p);
    this.pos = p + 4;
    const index = this.view.getInt32(p, true);
    const refs = this.refs;
    if (index < 0 || index >= refs.length) {
      throw this.fail("bad marshal data (invalid reference)", start, "ValueError");
    }
    const value = refs[index]!;
    if (value === PENDING) throw this.fail("bad marshal data (invalid reference)", start, "ValueError");
    return value as MarshalValue;
  }

  private readBytes(): Uint8Array {
    const n = this.size("bytes object");
    const s = this.pos;
    if (s + n > this.limit) throw this.tooShort(s);
    this.pos = s + n;
    // A plain Uint8Array view: cheaper than subarray (no species lookup, no Buffer subclass).
    if (this.copyBytes) return this.copyOut(s, n);
    return new Uint8Array(this.arrayBuffer, this.byteOffset + s, n);
  }

  /**
   * `copyBytes`: a copy in a private slab, one allocation for many values (a backing store per small
   * Uint8Array would cost more than the decode). The bytes left in the input bound what is still to come.
   */
  private copyOut(start: number, n: number): Uint8Array {
    let slab = this.slab;
    if (slab === null || this.slabUsed + n > slab.length) {
      slab = new Uint8Array(Math.max(n, Math.min(this.limit - start, SLAB_SIZE)));
      this.slab = slab;
      this.slabUsed = 0;
    }
    const at = this.slabUsed;
    if (n <= 32) {
      const bytes = this.bytes;
      for (let i = 0; i < n; i++) slab[at + i] = bytes[start + i]!;
    } else {
      slab.set(new Uint8Array(this.arrayBuffer, this.byteOffset + start, n), at);
    }
    this.slabUsed = at + n;
    return new Uint8Array(slab.buffer, at, n);
  }

  private readUnicode(): string {
    const n = this.size("string");
    const s = this.pos;
    const e = s + n;
    if (e > this.limit) throw this.tooShort(s);
    this.pos = e;
    const bytes = this.bytes;
    let i = s;
    while (i < e && bytes[i]! < 0x80) i++;
    if (i === e) return this.latin1(s, e);
    const decoded = decodeUtf8Surrogatepass(bytes, s, e);
    if (typeof decoded === "string") return decoded;
    throw this.fail(decoded.message(), s + decoded.start, "UnicodeDecodeError");
  }

  /** TYPE_LONG: i32 signed digit count, then |n| little-endian 15-bit digits. */
  private readLong(): number | bigint {
    const p = this.pos;
    const n = this.i32();
    if (n === 0) return 0;
    const count = n < 0 ? -n : n;
    const s = this.pos;
    if (count > (this.limit - s) >> 1) throw this.tooShort(p);
    const view = this.view;
    for (let i = 0; i < count; i++) {
      if (view.getUint16(s + 2 * i, true) > 0x7fff) {
        throw this.fail("bad marshal data (digit out of range in long)", s + 2 * i, "ValueError");
      }
    }
    if (view.getUint16(s + 2 * (count - 1), true) === 0) {
      throw this.fail("bad marshal data (unnormalized long data)", s + 2 * (count - 1), "ValueError");
    }
    this.pos = s + 2 * count;
    if (count <= 3 || (count === 4 && view.getUint16(s + 6, true) < 0x100)) {
      // At most 53 bits: exact as a double.
      let v = view.getUint16(s, true);
      if (count > 1) v += view.getUint16(s + 2, true) * 0x8000;
      if (count > 2) v += view.getUint16(s + 4, true) * 0x40000000;
      if (count > 3) v += view.getUint16(s + 6, true) * 0x200000000000;
      return n < 0 ? -v : v;
    }
    return bigLong(view, s, count, n < 0);
  }

  private readInt64(): number | bigint {
    const p = this.pos;
    if (p + 8 > this.limit) throw this.tooShort(p);
    this.pos = p + 8;
    const v = this.view.getBigInt64(p, true);
    return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
  }

  /** `f`/`x` payload: u8 length + ASCII text in `%.17g`. */
  private floatText(): number {
    const p = this.pos;
    if (p >= this.limit) throw this.fail("EOF read where object expected", p, "EOFError");
    const n = this.bytes[p]!;
    if (p + 1 + n > this.limit) throw this.tooShort(p + 1);
    this.pos = p + 1 + n;
    const text = this.buffer.toString("latin1", p + 1, p + 1 + n);
    const value = parsePythonFloatText(text);
    if (value === null) {
      throw this.fail(`could not convert string to float: ${pythonStrRepr(text)}`, p, "ValueError");
    }
    return value;
  }

  // --- containers -----------------------------------------------------------------------------------------

  private readTuple(n: number, flag: number): readonly MarshalValue[] {
    if (n === 0) {
      if (flag !== 0) this.refs.push(EMPTY_TUPLE);
      return EMPTY_TUPLE;
    }
    const items = new Array<MarshalValue>(n);
    if (flag !== 0) this.refs.push(items);
    for (let i = 0; i < n; i++) {
      const item = this.readObject();
      if (item === undefined)
        throw this.fail("NULL object in marshal data for tuple", this.pos - 1, "TypeError");
      items[i] = item;
    }
    return items;
  }

  private readList(flag: number): MarshalList {
    const n = this.count("list");
    const list = new MarshalList(new Array<MarshalValue>(n));
    if (flag !== 0) this.refs.push(list);
    const items = list.items;
    for (let i = 0; i < n; i++) items[i] = this.readItem("list");
    return list;
  }

  private readDict(flag: number, start: number): MarshalDict {
    const dict = new MarshalDict([]);
    if (flag !== 0) this.refs.push(dict);
    for (;;) {
      const key = this.readObject();
      if (key === undefined) break;
      // CPython ends the dict silently when a value is NULL, dropping the key.
      const value = this.readObject();
      if (value === undefined) break;
      const bad = unhashableTypeName(key);
      if (bad !== null) throw this.unhashable(bad, start);
      dict.entries.push([key, value]);
    }
    return dict;
  }

  private readSet(type: number, flag: number, start: number): MarshalSet {
    const n = this.count("set");
    const frozen = type === 0x3e;
    const set = new MarshalSet(frozen ? "frozenset" : "set", []);
    // A set is registered at once; a non-empty frozenset only once complete (CPython's r_ref_reserve).
    let slot = -1;
    if (flag !== 0) {
      slot = this.refs.length;
      this.refs.push(frozen && n > 0 ? PENDING : set);
    }
    for (let i = 0; i < n; i++) {
      const item = this.readItem("set");
      const bad = unhashableTypeName(item);
      if (bad !== null) throw this.unhashable(bad, start);
      set.items.push(item);
    }
    if (slot >= 0) this.refs[slot] = set;
    return set;
  }

  private readSlice(flag: number): MarshalSlice {
    const slot = this.reserve(flag);
    const startValue = this.readItem("slice");
    const stopValue = this.readItem("slice");
    const slice = new MarshalSlice(startValue, stopValue, this.readItem("slice"));
    if (slot >= 0) this.refs[slot] = slice;
    return slice;
  }

  /** A child object that may not be NULL ("NULL object in marshal data for tuple"). */
  private readItem(container: string): MarshalValue {
    const p = this.pos;
    const value = this.readObject();
    if (value === undefined) {
      throw this.fail(`NULL object in marshal data for ${container}`, p, "TypeError");
    }
    return value;
  }

  private reserve(flag: number): number {
    if (flag === 0) return -1;
    this.refs.push(PENDING);
    return this.refs.length - 1;
  }

  // --- code objects ---------------------------------------------------------------------------------------

  private readCode(flag: number, start: number): CodeObject {
    const slot = this.reserve(flag);
    const layout = this.layout;
    const argcount = this.i32();
    const posonlyargcount = layout >= L38 ? this.i32() : 0;
    const kwonlyargcount = this.i32();
    const nlocals = layout < L311 ? this.i32() : 0;
    const stacksize = this.i32();
    const flags = this.i32();
    const code = this.bytesField("co_code");
    const consts = this.tupleField("co_consts");
    const names = this.namesField("co_names");
    let co: CodeObject;
    if (layout < L311) {
      const varnames = this.namesField("co_varnames");
      const freevars = this.namesField("co_freevars");
      const cellvars = this.namesField("co_cellvars");
      const filename = this.strField("co_filename");
      const name = this.strField("co_name");
      const firstlineno = this.i32();
      const linetable = this.bytesField(layout < L310 ? "co_lnotab" : "co_linetable");
      if (
        argcount < 0 ||
        posonlyargcount < 0 ||
        kwonlyargcount < 0 ||
        nlocals < 0 ||
        argcount < posonlyargcount
      ) {
        throw this.fail("bad marshal data (negative or inconsistent argument counts)", start, "SystemError");
      }
      // Same keys in the same order as makeCodeObject (one hidden class; test/bytecode/code-object.test.ts).
      co = {
        type: "code",
        layout: layout === L36 ? "3.6" : layout === L38 ? "3.8" : "3.10",
        argcount,
        posonlyargcount,
        kwonlyargcount,
        nlocals,
        stacksize,
        flags,
        code,
        consts,
        names,
        varnames,
        freevars,
        cellvars,
        localsplusnames: null,
        localspluskinds: null,
        filename,
        name,
        qualname: name,
        firstlineno,
        linetable,
        exceptiontable: null,
      };
    } else {
      const localsplusnames = this.namesField("co_localsplusnames");
      const localspluskinds = this.bytesField("co_localspluskinds");
      const filename = this.strField("co_filename");
      const name = this.strField("co_name");
      const qualname = this.strField("co_qualname");
      const firstlineno = this.i32();
      const linetable = this.bytesField("co_linetable");
      const exceptiontable = this.bytesField("co_exceptiontable");
      // The checks of _PyCode_Validate that keep the derived fields well defined.
      if (argcount < posonlyargcount || posonlyargcount < 0 || kwonlyargcount < 0) {
        throw this.fail("bad marshal data (negative or inconsistent argument counts)", start, "SystemError");
      }
      if (localsplusnames.length !== localspluskinds.length) {
        throw this.fail("code: localsplus mismatch", start, "ValueError");
      }
      if (code.length % 2 !== 0) throw this.fail("code: co_code is malformed", start, "ValueError");
      const derived = deriveLocals(localsplusnames, localspluskinds);
      co = {
        type: "code",
        layout: "3.11",
        argcount,
        posonlyargcount,
        kwonlyargcount,
        nlocals: derived.varnames.length,
        stacksize,
        flags,
        code,
        consts,
        names,
        varnames: derived.varnames,
        freevars: derived.freevars,
        cellvars: derived.cellvars,
        localsplusnames,
        localspluskinds,
        filename,
        name,
        qualname,
        firstlineno,
        linetable,
        exceptiontable,
      };
    }
    if (slot >= 0) this.refs[slot] = co;
    return co;
  }

  private codeField(field: string): MarshalValue {
    const p = this.pos;
    const value = this.readObject();
    if (value === undefined)
      throw this.fail(`NULL object in marshal data for code (${field})`, p, "TypeError");
    return value;
  }

  private bytesField(field: string): Uint8Array {
    const p = this.pos;
    const value = this.codeField(field);
    if (!(value instanceof Uint8Array)) throw this.badField(field, "bytes", p);
    return value;
  }

  private tupleField(field: string): readonly MarshalValue[] {
    const p = this.pos;
    const value = this.codeField(field);
    if (!Array.isArray(value)) throw this.badField(field, "a tuple", p);
    return value;
  }

  private namesField(field: string): readonly string[] {
    const p = this.pos;
    const value = this.codeField(field);
    if (!Array.isArray(value)) throw this.badField(field, "a tuple of str", p);
    const items = value as readonly MarshalValue[];
    for (let i = 0; i < items.length; i++) {
      if (typeof items[i] !== "string") throw this.badField(field, "a tuple of str", p);
    }
    return items as readonly string[];
  }

  private strField(field: string): string {
    const p = this.pos;
    const value = this.codeField(field);
    if (typeof value !== "string") throw this.badField(field, "str", p);
    return value;
  }

  // --- errors ---------------------------------------------------------------------------------------------

  fail(reason: string, offset: number, type: MarshalPythonType): MarshalError {
    return new MarshalError(reason, offset, type, this.filename);
  }

  private tooShort(offset: number): MarshalError {
    return this.fail("marshal data too short", offset, "EOFError");
  }

  private unhashable(typeName: string, offset: number): MarshalError {
    if (typeName === "<recursion>") {
      return this.fail(
        "maximum recursion depth exceeded while calling a Python object",
        offset,
        "RecursionError",
      );
    }
    return this.fail(`unhashable type: '${typeName}'`, offset, "TypeError");
  }

  private badField(field: string, expected: string, offset: number): MarshalError {
    return this.fail(
      `bad marshal data (code object field ${field} is not ${expected})`,
      offset,
      "SystemError",
    );
  }
}
