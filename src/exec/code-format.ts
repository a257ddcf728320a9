/**
 * "importkit-ast" version 2: the scenario executor's compiled code ({@link ScenarioCode}) as bytes, for
 * snapshots and frozen tables, so a module loads without lezer parsing its source again. Binary, so that
 * loading is one pass over the bytes building the tree, with the strings decoded in one go.
 *
 *   code      = varint(S) strings body             S = the length in bytes of `strings`; nothing follows body
 *   strings   = the UTF-8 of JSON.stringify(list of the code's distinct strings, in order of first use)
 *   body      = stmts
 *   stmts     = varint(n) stmt{n}
 *   stmt      = tag line fields, by tag:
 *                 0 import       aliases
 *                 1 importFrom   str(module) varint(level) aliases
 *                 2 importStar   str(module) varint(level)
 *                 3 assign       names(targets) expr(value)
 *                 4 delete       names
 *                 5 pass
 *                 6 expr         expr
 *                 7 raise        operand
 *                 8 try          stmts(body) handlers stmts(orelse) stmts(finalbody)
 *                 9 functionDef  str(name) exprs(defaults) stmts(body)
 *                10 classDef     str(name) exprs(bases) stmts(body)
 *   expr      = tag line fields, by tag:
 *                 0 None   1 True   2 False   7 Ellipsis          (no fields)
 *                 3 str        str                  4 int    str(decimal: /^-?(0|[1-9][0-9]*)$/, never "-0")
 *                 5 float      str(JS String(x); "-0" for -0.0, "NaN", "Infinity", "-Infinity")
 *                 6 bytes      varint(n) byte{n}
 *                 8 name       str(id)              9 attribute  expr(object) str(attr)
 *                10 unary      op expr              op = one byte: 0 "-", 1 "+", 2 "~"
 *                11 list  12 tuple  13 set   exprs   14 dict  varint(n) (expr(key) expr(value)){n}
 *   aliases   = varint(n) (str(name) optstr(asName)){n}
 *   names     = varint(n) str{n}
 *   exprs     = varint(n) expr{n}
 *   operand   = 0 (bare raise) | 1 expr | 2 expr(callee) exprs(args) varint(n) (str(name) expr){n}
 *   handlers  = varint(n) (line optexpr(type) optstr(asName) stmts(body)){n}
 *   optexpr   = 0 | 1 expr               optstr = varint(0) for None, varint(i + 1) for string i
 *   str       = varint(i): string i of `strings`
 *   tag       = one byte             line = varint, 1 ≤ line ≤ 2^53 - 1        level = varint ≤ 2^53 - 1
 *   varint    = unsigned LEB128 in its shortest form (a multi-byte varint does not end in a 0 byte)
 *
 * The strings are JSON so that every JS string round-trips (lone surrogates as `\uXXXX`) and decode once,
 * with the engine's own parser. A string's index is assigned at its first use, in the order the fields above
 * are written, so the list is in first-use order and holds no string twice or unused.
 *
 * Nesting: module-level statements are at depth 1; a node's expressions, nested statements and handlers'
 * contents are one deeper. Nothing may be deeper than {@link MAX_NESTING}: encode refuses such code
 * (NotSupportedError) and decode such data, which keeps decoding within a small, fixed stack.
 *
 * decode accepts exactly the bytes encode writes: the string list must be the canonical JSON of a list of
 * distinct strings, every varint the shortest, every index the next new string or an earlier one, every
 * string used, and every field valid. Anything else is a CodeFormatError whose reason says where: `byte N`
 * (the offset of the field that is wrong) or `strings` (the string list's layer: UTF-8, JSON, spelling).
 */
import { decodeUtf8Strict } from "../bytecode/utf8.js";
import { CodeFormatError, NotSupportedError } from "../core/errors.js";
import type { CodeFormat, CompiledCode } from "../core/interfaces.js";
import { parseJsonText } from "../core/json-text.js";
import { PyBytes, type PyValue, typeName } from "../core/values.js";
import type { ExceptHandler, Expr, ImportAlias, RaiseOperand, Stmt, UnaryOp } from "./ast.js";
import { Ellipsis } from "./builtins.js";
import { ScenarioCode } from "./compile.js";

export const MAX_NESTING = 1000;

const S_IMPORT = 0;
const S_IMPORT_FROM = 1;
const S_IMPORT_STAR = 2;
const S_ASSIGN = 3;
const S_DELETE = 4;
const S_PASS = 5;
const S_EXPR = 6;
const S_RAISE = 7;
const S_TRY = 8;
const S_FUNCTION_DEF = 9;
const S_CLASS_DEF = 10;

const E_NONE = 0;
const E_TRUE = 1;
const E_FALSE = 2;
const E_STR = 3;
const E_INT = 4;
const E_FLOAT = 5;
const E_BYTES = 6;
const E_ELLIPSIS = 7;
const E_NAME = 8;
const E_ATTRIBUTE = 9;
const E_UNARY = 10;
const E_LIST = 11;
const E_TUPLE = 12;
const E_SET = 13;
const E_DICT = 14;

const UNARY_OPS: readonly UnaryOp[] = ["-", "+", "~"];
const SEQUENCE_KINDS = ["list", "tuple", "set"] as const;

const isLine = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 1;
// -0 is refused: it would read back as 0, which differs by Object.is.
const isLevel = (v: unknown): v is number =>
  Number.isSafeInteger(v) && (v as number) >= 0 && !Object.is(v, -0);
const intPattern = /^-?(?:0|[1-9][0-9]*)$/;
/** The one spelling of a float: String(x) is the shortest text that reads back as x, except for -0. */
const floatText = (x: number): string => (Object.is(x, -0) ? "-0" : String(x));

// ---------------------------------------------------------------------------------------------- encode

const show = (v: unknown): string => (typeof v === "number" ? floatText(v) : String(v));

/** A growable byte buffer. */
class ByteWriter {
  private buffer = new Uint8Array(1024);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + n) size *= 2;
    const bigger = new Uint8Array(size);
    bigger.set(this.buffer.subarray(0, this.length));
    this.buffer = bigger;
  }

  byte(b: number): void {
    this.room(1);
    this.buffer[this.length++] = b;
  }

  /** Unsigned LEB128 of a safe integer ≥ 0, shortest form. */
  varint(n: number): void {
    this.room(8);
    while (n >= 0x80) {
      this.buffer[this.length++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buffer[this.length++] = n;
  }

  bytes(data: Uint8Array): void {
    this.room(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
  }

  result(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

/** AST → bytes, checking what the type system cannot (so encode never writes what decode refuses). */
class Encoder {
  private readonly out = new ByteWriter();
  private readonly strings = new Map<string, number>();

  constructor(private readonly filename: string) {}

  private refuse(what: string): never {
    throw new NotSupportedError(`cannot write the code of ${this.filename} as importkit-ast: ${what}`);
  }

  module(body: readonly Stmt[]): Uint8Array {
    this.stmts(body, 1);
    const table = utf8Encoder.encode(JSON.stringify([...this.strings.keys()]));
    const head = new ByteWriter();
    head.varint(table.length);
    head.bytes(table);
    head.bytes(this.out.result());
    return head.result();
  }

  private line(v: number): void {
    if (!isLine(v)) this.refuse(`line ${show(v)} is not an integer >= 1`);
    this.out.varint(v);
  }

  /** The index of string `v` in the list, added at its first use. */
  private intern(v: string, what: string): number {
    if (typeof v !== "string") this.refuse(`${what} ${String(v)} is not a string`);
    let index = this.strings.get(v);
    if (index === undefined) {
      index = this.strings.size;
      this.strings.set(v, index);
    }
    return index;
  }

  private str(v: string, what = "name"): void {
    this.out.varint(this.intern(v, what));
  }

  private optStr(v: string | null): void {
    this.out.varint(v === null ? 0 : this.intern(v, "name") + 1);
  }

  private level(v: number): void {
    if (!isLevel(v)) this.refuse(`import level ${show(v)} is not an integer >= 0`);
    this.out.varint(v);
  }

  private nesting(depth: number): void {
    if (depth > MAX_NESTING) this.refuse(`statements and expressions nest deeper than ${MAX_NESTING}`);
  }

  private stmts(body: readonly Stmt[], depth: number): void {
    this.out.varint(body.length);
    for (const s of body) this.stmt(s, depth);
  }

  private exprs(list: readonly Expr[], depth: number): void {
    this.out.varint(list.length);
    for (const e of list) this.expr(e, depth);
  }

  private names(list: readonly string[]): void {
    this.out.varint(list.length);
    for (const n of list) this.str(n);
  }

  private aliases(list: readonly ImportAlias[]): void {
    this.out.varint(list.length);
    for (const a of list) {
      this.str(a.name);
      this.optStr(a.asName);
    }
  }

  private stmt(s: Stmt, depth: number): void {
    this.nesting(depth);
    const out = this.out;
    const d = depth + 1;
    switch (s.kind) {
      case "import":
        out.byte(S_IMPORT);
        this.line(s.line);
        this.aliases(s.names);
        return;
      case "importFrom":
        out.byte(S_IMPORT_FROM);
        this.line(s.line);
        this.str(s.module);
        this.level(s.level);
        this.aliases(s.names);
        return;
      case "importStar":
        out.byte(S_IMPORT_STAR);
        this.line(s.line);
        this.str(s.module);
        this.level(s.level);
        return;
      case "assign":
        out.byte(S_ASSIGN);
        this.line(s.line);
        this.names(s.targets);
        this.expr(s.value, d);
        return;
      case "delete":
        out.byte(S_DELETE);
        this.line(s.line);
        this.names(s.names);
        return;
      case "pass":
        out.byte(S_PASS);
        this.line(s.line);
        return;
      case "expr":
        out.byte(S_EXPR);
        this.line(s.line);
        this.expr(s.value, d);
        return;
      case "raise":
        out.byte(S_RAISE);
        this.line(s.line);
        this.operand(s.operand, d);
        return;
      case "try":
        out.byte(S_TRY);
        this.line(s.line);
        this.stmts(s.body, d);
        out.varint(s.handlers.length);
        for (const h of s.handlers) this.handler(h, d);
        this.stmts(s.orelse, d);
        this.stmts(s.finalbody, d);
        return;
      case "functionDef":
      case "classDef":
        out.byte(s.kind === "functionDef" ? S_FUNCTION_DEF : S_CLASS_DEF);
        this.line(s.line);
        this.str(s.name);
        this.exprs(s.kind === "functionDef" ? s.defaults : s.bases, d);
        this.stmts(s.body, d);
        return;
      default:
        this.refuse(`unknown statement kind ${String((s as { kind: unknown }).kind)}`);
    }
  }

  private operand(op: RaiseOperand | null, depth: number): void {
    if (op === null) {
      this.out.byte(0);
      return;
    }
    if (op.kind === "value") {
      this.out.byte(1);
      this.expr(op.value, depth);
      return;
    }
    this.out.byte(2);
    this.expr(op.callee, depth);
    this.exprs(op.args, depth);
    this.out.varint(op.keywords.length);
    for (const [k, v] of op.keywords) {
      this.str(k);
      this.expr(v, depth);
    }
  }

  private handler(h: ExceptHandler, depth: number): void {
    this.line(h.line);
    if (h.type === null) this.out.byte(0);
    else {
      this.out.byte(1);
      this.expr(h.type, depth);
    }
    this.optStr(h.asName);
    this.stmts(h.body, depth);
  }

  private expr(e: Expr, depth: number): void {
    this.nesting(depth);
    const out = this.out;
    const d = depth + 1;
    switch (e.kind) {
      case "constant":
        this.constant(e.line, e.value);
        return;
      case "name":
        out.byte(E_NAME);
        this.line(e.line);
        this.str(e.id);
        return;
      case "attribute":
        out.byte(E_ATTRIBUTE);
        this.line(e.line);
        this.expr(e.object, d);
        this.str(e.attr);
        return;
      case "unary": {
        const op = UNARY_OPS.indexOf(e.op);
        if (op < 0) this.refuse(`unknown unary operator ${String(e.op)}`);
        out.byte(E_UNARY);
        this.line(e.line);
        out.byte(op);
        this.expr(e.operand, d);
        return;
      }
      case "list":
      case "tuple":
      case "set":
        out.byte(e.kind === "list" ? E_LIST : e.kind === "tuple" ? E_TUPLE : E_SET);
        this.line(e.line);
        this.exprs(e.elements, d);
        return;
      case "dict":
        out.byte(E_DICT);
        this.line(e.line);
        out.varint(e.entries.length);
        for (const [k, v] of e.entries) {
          this.expr(k, d);
          this.expr(v, d);
        }
        return;
      default:
        this.refuse(`unknown expression kind ${String((e as { kind: unknown }).kind)}`);
    }
  }

  private constant(line: number, v: PyValue): void {
    const out = this.out;
    const tagged = (tag: number) => {
      out.byte(tag);
      this.line(line);
    };
    switch (typeof v) {
      case "boolean":
        tagged(v ? E_TRUE : E_FALSE);
        return;
      case "string":
        tagged(E_STR);
        this.str(v, "string");
        return;
      case "bigint":
        tagged(E_INT);
        this.str(v.toString(), "int");
        return;
      case "number":
        tagged(E_FLOAT);
        this.str(floatText(v), "float");
        return;
    }
    if (v === null || v === Ellipsis) {
      tagged(v === null ? E_NONE : E_ELLIPSIS);
      return;
    }
    // Exactly PyBytes, not a subclass, so the round trip keeps prototypes (decode makes a plain Uint8Array).
    if (
      v instanceof PyBytes &&
      Object.getPrototypeOf(v) === PyBytes.prototype &&
      v.data instanceof Uint8Array
    ) {
      tagged(E_BYTES);
      out.varint(v.data.length);
      out.bytes(v.data);
      return;
    }
    this.refuse(`a constant of type ${typeName(v)} has no encoding`);
  }
}

// ---------------------------------------------------------------------------------------------- decode

/** A string for error reasons: quoted and escaped, cut short so hostile input keeps reasons small. */
const quote = (s: string): string => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);

/**
 * Bytes → AST, checking every field. `at` is the offset of the next byte; `start` that of the field being
 * read, which error reasons name.
 */
class Decoder {
  private at = 0;
  private start = 0;
  private strings: readonly string[] = [];
  /** How many strings have been used so far: the next new string's index. */
  private used = 0;

  constructor(
    private readonly filename: string,
    private readonly data: Uint8Array,
  ) {}

  private fail(reason: string, at = this.start): never {
    throw new CodeFormatError(this.filename, `byte ${at}: ${reason}`);
  }

  private byte(what: string): number {
    this.start = this.at;
    if (this.at >= this.data.length) this.fail(`truncated: expected ${what}`);
    return this.data[this.at++] as number;
  }

  /** A shortest-form unsigned LEB128 up to 2^53 - 1. */
  private varint(what: string): number {
    const data = this.data;
    const start = this.at;
    this.start = start;
    let value = 0;
    let scale = 1;
    for (let i = 0; ; i++) {
      if (this.at >= data.length) this.fail(`truncated: expected ${what}`);
      const b = data[this.at++] as number;
      value += (b & 0x7f) * scale;
      if (b < 0x80) {
        if (b === 0 && i > 0) this.fail(`${what} is not in its shortest form`);
        if (value > Number.MAX_SAFE_INTEGER) this.fail(`${what} is larger than 2^53 - 1`);
        return value;
      }
      scale *= 0x80;
      if (i === 7) this.fail(`${what} is larger than 2^53 - 1`);
    }
  }

  /** A count of items that take at least one byte each: more than the bytes left is refused early. */
  private count(what: string): number {
    const n = this.varint(what);
    if (n > this.data.length - this.at)
      this.fail(`${what} ${n} is more than the ${this.data.length - this.at} bytes left`);
    return n;
  }

  private line(): number {
    const v = this.varint("a line number");
    if (v === 0) this.fail("line 0 (lines start at 1)");
    return v;
  }

  private index(i: number): string {
    if (i < this.used) return this.strings[i] as string;
    if (i === this.used && i < this.strings.length) {
      this.used++;
      return this.strings[i] as string;
    }
    if (i >= this.strings.length) this.fail(`string ${i} does not exist (there are ${this.strings.length})`);
    return this.fail(
      `string ${i} is used before string ${this.used} (strings are listed in order of first use)`,
    );
  }

  private str(what = "a string index"): string {
    return this.index(this.varint(what));
  }

  private optStr(): string | null {
    const i = this.varint("a name index or 0");
    return i === 0 ? null : this.index(i - 1);
  }

  private nesting(depth: number): void {
    if (depth > MAX_NESTING) this.fail(`statements and expressions nest deeper than ${MAX_NESTING}`);
  }

  /** The whole code: the string list, then the body; nothing may follow, and every string is used. */
  module(): Stmt[] {
    const length = this.count("the strings' length");
    this.strings = decodeStrings(this.data.subarray(this.at, this.at + length), this.filename);
    this.at += length;
    const body = this.stmts(1);
    if (this.at !== this.data.length)
      this.fail(`${this.data.length - this.at} bytes follow the code`, this.at);
    if (this.used !== this.strings.length)
      this.fail(
        `${this.strings.length - this.used} of the ${this.strings.length} strings are never used`,
        this.at,
      );
    return body;
  }

  private stmts(depth: number): Stmt[] {
    const n = this.count("a statement count");
    const out: Stmt[] = [];
    for (let j = 0; j < n; j++) out.push(this.stmt(depth));
    return out;
  }

  private exprs(depth: number): Expr[] {
    const n = this.count("an expression count");
    const out: Expr[] = [];
    for (let j = 0; j < n; j++) out.push(this.expr(depth));
    return out;
  }

  private names(): string[] {
    const n = this.count("a name count");
    const out: string[] = [];
    for (let j = 0; j < n; j++) out.push(this.str());
    return out;
  }

  private aliases(): ImportAlias[] {
    const n = this.count("an alias count");
    const out: ImportAlias[] = [];
    for (let j = 0; j < n; j++) out.push({ name: this.str(), asName: this.optStr() });
    return out;
  }

  private level(): number {
    return this.varint("an import level");
  }

  private stmt(depth: number): Stmt {
    const tag = this.byte("a statement");
    const tagAt = this.start;
    this.nesting(depth);
    const line = this.line();
    const d = depth + 1;
    switch (tag) {
      case S_IMPORT:
        return { kind: "import", line, names: this.aliases() };
      case S_IMPORT_FROM:
        return { kind: "importFrom", line, module: this.str(), level: this.level(), names: this.aliases() };
      case S_IMPORT_STAR:
        return { kind: "importStar", line, module: this.str(), level: this.level() };
      case S_ASSIGN:
        return { kind: "assign", line, targets: this.names(), value: this.expr(d) };
      case S_DELETE:
        return { kind: "delete", line, names: this.names() };
      case S_PASS:
        return { kind: "pass", line };
      case S_EXPR:
        return { kind: "expr", line, value: this.expr(d) };
      case S_RAISE:
        return { kind: "raise", line, operand: this.operand(d) };
      case S_TRY:
        return {
          kind: "try",
          line,
          body: this.stmts(d),
          handlers: this.handlers(d),
          orelse: this.stmts(d),
          finalbody: this.stmts(d),
        };
      case S_FUNCTION_DEF:
        return { kind: "functionDef", line, name: this.str(), defaults: this.exprs(d), body: this.stmts(d) };
      case S_CLASS_DEF:
        return { kind: "classDef", line, name: this.str(), bases: this.exprs(d), body: this.stmts(d) };
      default:
        return this.fail(`unknown statement tag ${tag} (0–${S_CLASS_DEF})`, tagAt);
    }
  }

  private operand(depth: number): RaiseOperand | null {
    const tag = this.byte("a raise operand");
    if (tag === 0) return null;
    if (tag === 1) return { kind: "value", value: this.expr(depth) };
    if (tag === 2) {
      const callee = this.expr(depth);
      const args = this.exprs(depth);
      const n = this.count("a keyword count");
      const keywords: [string, Expr][] = [];
      for (let j = 0; j < n; j++) keywords.push([this.str(), this.expr(depth)]);
      return { kind: "call", callee, args, keywords };
    }
    return this.fail(`unknown raise operand tag ${tag} (0 none, 1 value, 2 call)`);
  }

  private handlers(depth: number): ExceptHandler[] {
    const n = this.count("a handler count");
    const out: ExceptHandler[] = [];
    for (let j = 0; j < n; j++) {
      const line = this.line();
      const has = this.byte("an except type marker");
      if (has > 1) this.fail(`an except type marker is 0 or 1, not ${has}`);
      const type = has === 1 ? this.expr(depth) : null;
      out.push({ line, type, asName: this.optStr(), body: this.stmts(depth) });
    }
    return out;
  }

  private expr(depth: number): Expr {
    const tag = this.byte("an expression");
    const tagAt = this.start;
    this.nesting(depth);
    const line = this.line();
    const d = depth + 1;
    switch (tag) {
      case E_NONE:
        return { kind: "constant", line, value: null };
      case E_TRUE:
        return { kind: "constant", line, value: true };
      case E_FALSE:
        return { kind: "constant", line, value: false };
      case E_STR:
        return { kind: "constant", line, value: this.str() };
      case E_INT: {
        const text = this.str("an int's string index");
        if (!intPattern.test(text) || text === "-0")
          this.fail(`expected an int's decimal digits, got ${quote(text)}`);
        return { kind: "constant", line, value: BigInt(text) };
      }
      case E_FLOAT: {
        const text = this.str("a float's string index");
        if (floatText(Number(text)) !== text) this.fail(`expected a float's text, got ${quote(text)}`);
        return { kind: "constant", line, value: Number(text) };
      }
      case E_BYTES: {
        const n = this.count("a bytes length");
        const value = new PyBytes(this.data.slice(this.at, this.at + n));
        this.at += n;
        return { kind: "constant", line, value };
      }
      case E_ELLIPSIS:
        return { kind: "constant", line, value: Ellipsis };
      case E_NAME:
        return { kind: "name", line, id: this.str() };
      case E_ATTRIBUTE:
        return { kind: "attribute", line, object: this.expr(d), attr: this.str() };
      case E_UNARY: {
        const op = UNARY_OPS[this.byte("a unary operator")];
        if (op === undefined)
          this.fail(`unknown unary operator ${this.data[this.start]} (0 '-', 1 '+', 2 '~')`);
        return { kind: "unary", line, op, operand: this.expr(d) };
      }
      case E_LIST:
      case E_TUPLE:
      case E_SET:
        return { kind: SEQUENCE_KINDS[tag - E_LIST]!, line, elements: this.exprs(d) };
      case E_DICT: {
        const n = this.count("a dict entry count");
        const entries: [Expr, Expr][] = [];
        for (let j = 0; j < n; j++) entries.push([this.expr(d), this.expr(d)]);
        return { kind: "dict", line, entries };
      }
      default:
        return this.fail(`unknown expression tag ${tag} (0–${E_DICT})`, tagAt);
    }
  }
}

// ---------------------------------------------------------------------------------------------- format

const utf8Encoder = new TextEncoder();
// fatal: bad UTF-8 is an error; ignoreBOM: a BOM stays in the text, where JSON.parse refuses it.
const utf8Decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The string list: its layer's failures say `strings: …`. */
function decodeStrings(data: Uint8Array, filename: string): string[] {
  const fail = (reason: string): never => {
    throw new CodeFormatError(filename, `strings: ${reason}`);
  };
  let text: string;
  try {
    text = utf8Decoder.decode(data);
  } catch {
    const failure = decodeUtf8Strict(data);
    return fail(`not UTF-8: ${typeof failure === "string" ? "refused" : failure.message()}`);
  }
  const parsed = parseJsonText(text);
  if (!parsed.ok) return fail(`not JSON: ${parsed.reason}`);
  const list = parsed.value;
  if (!Array.isArray(list)) return fail("not a list");
  const seen = new Set<string>();
  for (let i = 0; i < list.length; i++) {
    const s: unknown = list[i];
    if (typeof s !== "string") return fail(`item ${i} is not a string`);
    if (seen.has(s)) return fail(`${quote(s)} is listed twice`);
    seen.add(s);
  }
  // Every item is a string, so this compares spellings only: whitespace, escapes.
  const canonical = JSON.stringify(list);
  if (canonical !== text) {
    let at = 0;
    while (canonical[at] === text[at]) at++;
    return fail(
      `not in canonical form: byte ${Buffer.byteLength(text.slice(0, at))} differs from what encode writes`,
    );
  }
  return list as string[];
}

function decode(data: Uint8Array, filename: string): ScenarioCode {
  if (!(data instanceof Uint8Array)) throw new CodeFormatError(filename, "expected bytes");
  let body: Stmt[];
  try {
    body = new Decoder(filename, data).module();
  } catch (error) {
    // MAX_NESTING keeps the walk shallow, so this is a caller already near the stack's end, or an int
    // beyond BigInt's size limit: still the data's fault as far as decode can tell, so no crash.
    if (error instanceof RangeError)
      throw new CodeFormatError(filename, `too deep or too large: ${error.message}`);
    throw error;
  }
  return new ScenarioCode(filename, body);
}

export const scenarioCodeFormat: CodeFormat = {
  name: "importkit-ast",
  version: 2,
  encode(code: CompiledCode): Uint8Array {
    if (!(code instanceof ScenarioCode)) {
      throw new NotSupportedError(
        `the importkit-ast code format only writes scenario executor code, not that of ${code.filename}`,
      );
    }
    return new Encoder(code.filename).module(code.body);
  },
  decode,
};
