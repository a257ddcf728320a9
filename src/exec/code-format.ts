/**
 * "importkit-ast" version 1: the scenario executor's compiled code ({@link ScenarioCode}) as bytes, for
 * snapshots and frozen tables, so a module loads without lezer parsing its source again.
 *
 * The bytes are UTF-8 JSON spelt exactly as `JSON.stringify` spells it: no whitespace, no byte order mark,
 * its escapes only (control characters and lone surrogates as `\uXXXX`, so every JS string round-trips;
 * any other character as itself). Only the module body is stored: the caller gives the filename. Each node
 * is an array: its `kind` from ast.ts, then its fields in the order below; a constant's kind says its
 * value's type instead, except for JSON's own null, booleans and strings (one array per constant, not two).
 *
 *   code     = [stmt*]
 *   stmt     = ["import", line, [alias*]]
 *            | ["importFrom", line, module, level, [alias*]]
 *            | ["importStar", line, module, level]
 *            | ["assign", line, [name*], expr]                 targets, value
 *            | ["delete", line, [name*]]
 *            | ["pass", line]
 *            | ["expr", line, expr]
 *            | ["raise", line, operand]
 *            | ["try", line, [stmt*], [handler*], [stmt*], [stmt*]]   body, handlers, else, finally
 *            | ["functionDef", line, name, [expr*], [stmt*]]   defaults, body
 *            | ["classDef", line, name, [expr*], [stmt*]]      bases, body
 *   alias    = [name, name | null]                             name, asName
 *   operand  = null | ["value", expr] | ["call", expr, [expr*], [[name, expr]*]]   callee, args, keywords
 *   handler  = [line, expr | null, name | null, [stmt*]]       type, asName, body
 *   expr     = ["constant", line, null | true | false | string]      None, bool, str
 *            | ["int", line, digits]      decimal: /^-?(0|[1-9][0-9]*)$/, never "-0"
 *            | ["float", line, text]      JS String(x) ("1.5", "1e+300", "NaN", "Infinity", "-Infinity"); "-0" for -0.0
 *            | ["bytes", line, base64]    standard alphabet, padded
 *            | ["ellipsis", line]         the Ellipsis singleton
 *            | ["name", line, name]
 *            | ["attribute", line, expr, name]
 *            | ["unary", line, "-" | "+" | "~", expr]
 *            | ["list" | "tuple" | "set", line, [expr*]]
 *            | ["dict", line, [[expr, expr]*]]                 key, value
 *   line     = integer, 1 ≤ line ≤ 2^53 - 1
 *   level    = integer, 0 ≤ level ≤ 2^53 - 1
 *   module, name = any string
 *
 * Nesting: module-level statements are at depth 1; a node's expressions, nested statements and handlers'
 * contents are one deeper. Nothing may be deeper than {@link MAX_NESTING}: encode refuses such code
 * (NotSupportedError) and decode such data, which keeps decoding within a small, fixed stack.
 *
 * decode accepts exactly the bytes encode writes: every field is checked, and the JSON text must equal the
 * canonical spelling of what it parsed to. Anything else is a CodeFormatError whose reason starts with
 * where, as a JSONPath (`$[3][2]` is item 2 of statement 3), or says which layer failed (UTF-8, JSON).
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

type Json = null | boolean | number | string | Json[];

const isLine = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 1;
// -0 is refused: JSON writes it as 0, which would not round-trip by Object.is.
const isLevel = (v: unknown): v is number =>
  Number.isSafeInteger(v) && (v as number) >= 0 && !Object.is(v, -0);
const isUnaryOp = (v: unknown): v is UnaryOp => v === "-" || v === "+" || v === "~";
const intPattern = /^-?(?:0|[1-9][0-9]*)$/;
/** The one spelling of a float: String(x) is the shortest text that reads back as x, except for -0. */
const floatText = (x: number): string => (Object.is(x, -0) ? "-0" : String(x));

// ---------------------------------------------------------------------------------------------- encode

const show = (v: unknown): string => (typeof v === "number" ? floatText(v) : String(v));

/** AST → JSON value, checking what the type system cannot (so encode never writes what decode refuses). */
class Encoder {
  constructor(private readonly filename: string) {}

  private refuse(what: string): never {
    throw new NotSupportedError(`cannot write the code of ${this.filename} as importkit-ast: ${what}`);
  }

  private line(v: number): number {
    if (!isLine(v)) this.refuse(`line ${show(v)} is not an integer >= 1`);
    return v;
  }

  private name(v: string): string {
    if (typeof v !== "string") this.refuse(`name ${String(v)} is not a string`);
    return v;
  }

  private optName(v: string | null): string | null {
    return v === null ? null : this.name(v);
  }

  private nesting(depth: number): void {
    if (depth > MAX_NESTING) this.refuse(`statements and expressions nest deeper than ${MAX_NESTING}`);
  }

  stmts(body: readonly Stmt[], depth: number): Json[] {
    return body.map((s) => this.stmt(s, depth));
  }

  private exprs(list: readonly Expr[], depth: number): Json[] {
    return list.map((e) => this.expr(e, depth));
  }

  private aliases(names: readonly ImportAlias[]): Json[] {
    return names.map((a) => [this.name(a.name), this.optName(a.asName)]);
  }

  private stmt(s: Stmt, depth: number): Json {
    this.nesting(depth);
    const line = this.line(s.line);
    const d = depth + 1;
    switch (s.kind) {
      case "import":
        return [s.kind, line, this.aliases(s.names)];
      case "importFrom":
      case "importStar": {
        if (!isLevel(s.level)) this.refuse(`import level ${show(s.level)} is not an integer >= 0`);
        const head: Json[] = [s.kind, line, this.name(s.module), s.level];
        return s.kind === "importFrom" ? [...head, this.aliases(s.names)] : head;
      }
      case "assign":
        return [s.kind, line, s.targets.map((t) => this.name(t)), this.expr(s.value, d)];
      case "delete":
        return [s.kind, line, s.names.map((n) => this.name(n))];
      case "pass":
        return [s.kind, line];
      case "expr":
        return [s.kind, line, this.expr(s.value, d)];
      case "raise":
        return [s.kind, line, this.operand(s.operand, d)];
      case "try":
        return [
          s.kind,
          line,
          this.stmts(s.body, d),
          s.handlers.map((h) => this.handler(h, d)),
          this.stmts(s.orelse, d),
          this.stmts(s.finalbody, d),
        ];
      case "functionDef":
        return [s.kind, line, this.name(s.name), this.exprs(s.defaults, d), this.stmts(s.body, d)];
      case "classDef":
        return [s.kind, line, this.name(s.name), this.exprs(s.bases, d), this.stmts(s.body, d)];
      default:
        return this.refuse(`unknown statement kind ${String((s as { kind: unknown }).kind)}`);
    }
  }

  private operand(op: RaiseOperand | null, depth: number): Json {
    if (op === null) return null;
    if (op.kind === "value") return ["value", this.expr(op.value, depth)];
    const keywords = op.keywords.map(([k, v]): Json => [this.name(k), this.expr(v, depth)]);
    return ["call", this.expr(op.callee, depth), this.exprs(op.args, depth), keywords];
  }

  private handler(h: ExceptHandler, depth: number): Json {
    const type = h.type === null ? null : this.expr(h.type, depth);
    return [this.line(h.line), type, this.optName(h.asName), this.stmts(h.body, depth)];
  }

  private expr(e: Expr, depth: number): Json {
    this.nesting(depth);
    const line = this.line(e.line);
    const d = depth + 1;
    switch (e.kind) {
      case "constant":
        return this.constant(line, e.value);
      case "name":
        return [e.kind, line, this.name(e.id)];
      case "attribute":
        return [e.kind, line, this.expr(e.object, d), this.name(e.attr)];
      case "unary":
        if (!isUnaryOp(e.op)) this.refuse(`unknown unary operator ${String(e.op)}`);
        return [e.kind, line, e.op, this.expr(e.operand, d)];
      case "list":
      case "tuple":
      case "set":
        return [e.kind, line, this.exprs(e.elements, d)];
      case "dict":
        return [e.kind, line, e.entries.map(([k, v]): Json => [this.expr(k, d), this.expr(v, d)])];
      default:
        return this.refuse(`unknown expression kind ${String((e as { kind: unknown }).kind)}`);
    }
  }

  private constant(line: number, v: PyValue): Json {
    switch (typeof v) {
      case "boolean":
      case "string":
        return ["constant", line, v];
      case "bigint":
        return ["int", line, v.toString()];
      case "number":
        return ["float", line, floatText(v)];
    }
    if (v === null) return ["constant", line, null];
    if (v === Ellipsis) return ["ellipsis", line];
    // Exactly PyBytes, not a subclass, so the round trip keeps prototypes (decode makes a plain Uint8Array).
    if (
      v instanceof PyBytes &&
      Object.getPrototypeOf(v) === PyBytes.prototype &&
      v.data instanceof Uint8Array
    ) {
      const data = Buffer.from(v.data.buffer, v.data.byteOffset, v.data.byteLength);
      return ["bytes", line, data.toString("base64")];
    }
    return this.refuse(`a constant of type ${typeName(v)} has no encoding`);
  }
}

// ---------------------------------------------------------------------------------------------- decode

/** A string for error reasons: quoted and escaped, cut short so hostile input keeps reasons small. */
const quote = (s: string): string => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);

/** A short description of a JSON value for error reasons. */
function describe(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === "number") return `the number ${v}`;
  if (typeof v === "string") return `the string ${quote(v)}`;
  return "an object";
}

/**
 * JSON value → AST, checking every field. `path` holds the indices from the root down to the array being
 * read, for error reasons; the `…At(holder, i)` readers read `holder[i]` and push `i` while inside it.
 */
class Decoder {
  private readonly path: number[] = [];

  constructor(private readonly filename: string) {}

  private fail(reason: string, key?: number): never {
    let where = "$";
    for (const k of this.path) where += `[${k}]`;
    if (key !== undefined) where += `[${key}]`;
    throw new CodeFormatError(this.filename, `${where}: ${reason}`);
  }

  private array(v: unknown, what: string): readonly unknown[] {
    if (!Array.isArray(v)) this.fail(`expected ${what}, got ${describe(v)}`);
    return v;
  }

  private arity(node: readonly unknown[], n: number, what: string): void {
    if (node.length !== n) this.fail(`${what} needs ${n} items, got ${node.length}`);
  }

  private nesting(depth: number): void {
    if (depth > MAX_NESTING) this.fail(`statements and expressions nest deeper than ${MAX_NESTING}`);
  }

  private lineAt(node: readonly unknown[], i: number): number {
    const v = node[i];
    if (!isLine(v)) this.fail(`expected a line number (an integer >= 1), got ${describe(v)}`, i);
    return v;
  }

  private nameAt(node: readonly unknown[], i: number): string {
    const v = node[i];
    if (typeof v !== "string") this.fail(`expected a name (a string), got ${describe(v)}`, i);
    return v;
  }

  private optNameAt(node: readonly unknown[], i: number): string | null {
    return node[i] === null ? null : this.nameAt(node, i);
  }

  private namesAt(node: readonly unknown[], i: number): string[] {
    this.path.push(i);
    const items = this.array(node[i], "a list of names");
    const out: string[] = [];
    for (let j = 0; j < items.length; j++) out.push(this.nameAt(items, j));
    this.path.pop();
    return out;
  }

  /** The module body: the root value. */
  module(v: unknown): Stmt[] {
    return this.stmts(v, 1);
  }

  private stmts(v: unknown, depth: number): Stmt[] {
    const items = this.array(v, "a list of statements");
    const out: Stmt[] = [];
    for (let j = 0; j < items.length; j++) {
      this.path.push(j);
      out.push(this.stmt(items[j], depth));
      this.path.pop();
    }
    return out;
  }

  private stmtsAt(node: readonly unknown[], i: number, depth: number): Stmt[] {
    this.path.push(i);
    const out = this.stmts(node[i], depth);
    this.path.pop();
    return out;
  }

  /** Checks a node's array and kind; returns the node (its kind is checked by the caller's switch). */
  private node(v: unknown, depth: number, what: string): readonly unknown[] {
    this.nesting(depth);
    const node = this.array(v, `${what === "statement" ? "a" : "an"} ${what}`);
    if (typeof node[0] !== "string")
      this.fail(`expected a ${what} kind (a string), got ${describe(node[0])}`, 0);
    return node;
  }

  private stmt(v: unknown, depth: number): Stmt {
    const node = this.node(v, depth, "statement");
    const kind = node[0] as string;
    const d = depth + 1;
    switch (kind) {
      case "import":
        this.arity(node, 3, "an 'import' statement");
        return { kind, line: this.lineAt(node, 1), names: this.aliasesAt(node, 2) };
      case "importFrom":
        this.arity(node, 5, "an 'importFrom' statement");
        return {
          kind,
          line: this.lineAt(node, 1),
          module: this.nameAt(node, 2),
          level: this.levelAt(node, 3),
          names: this.aliasesAt(node, 4),
        };
      case "importStar":
        this.arity(node, 4, "an 'importStar' statement");
        return {
          kind,
          line: this.lineAt(node, 1),
          module: this.nameAt(node, 2),
          level: this.levelAt(node, 3),
        };
      case "assign":
        this.arity(node, 4, "an 'assign' statement");
        return {
          kind,
          line: this.lineAt(node, 1),
          targets: this.namesAt(node, 2),
          value: this.exprAt(node, 3, d),
        };
      case "delete":
        this.arity(node, 3, "a 'delete' statement");
        return { kind, line: this.lineAt(node, 1), names: this.namesAt(node, 2) };
      case "pass":
        this.arity(node, 2, "a 'pass' statement");
        return { kind, line: this.lineAt(node, 1) };
      case "expr":
        this.arity(node, 3, "an 'expr' statement");
        return { kind, line: this.lineAt(node, 1), value: this.exprAt(node, 2, d) };
      case "raise":
        this.arity(node, 3, "a 'raise' statement");
        return { kind, line: this.lineAt(node, 1), operand: this.operandAt(node, 2, d) };
      case "try":
        this.arity(node, 6, "a 'try' statement");
        return {
          kind,
          line: this.lineAt(node, 1),
          body: this.stmtsAt(node, 2, d),
          handlers: this.handlersAt(node, 3, d),
          orelse: this.stmtsAt(node, 4, d),
          finalbody: this.stmtsAt(node, 5, d),
        };
      case "functionDef":
        this.arity(node, 5, "a 'functionDef' statement");
        return {
          kind,
          line: this.lineAt(node, 1),
          name: this.nameAt(node, 2),
          defaults: this.exprsAt(node, 3, d),
          body: this.stmtsAt(node, 4, d),
        };
      case "classDef":
        this.arity(node, 5, "a 'classDef' statement");
        return {
          kind,
          line: this.lineAt(node, 1),
          name: this.nameAt(node, 2),
          bases: this.exprsAt(node, 3, d),
          body: this.stmtsAt(node, 4, d),
        };
      default:
        return this.fail(`unknown statement kind ${quote(kind)}`, 0);
    }
  }

  private levelAt(node: readonly unknown[], i: number): number {
    const v = node[i];
    if (!isLevel(v)) this.fail(`expected an import level (an integer >= 0), got ${describe(v)}`, i);
    return v;
  }

  private aliasesAt(node: readonly unknown[], i: number): ImportAlias[] {
    this.path.push(i);
    const items = this.array(node[i], "a list of import aliases");
    const out: ImportAlias[] = [];
    for (let j = 0; j < items.length; j++) {
      this.path.push(j);
      const alias = this.array(items[j], "an import alias [name, asName]");
      this.arity(alias, 2, "an import alias");
      out.push({ name: this.nameAt(alias, 0), asName: this.optNameAt(alias, 1) });
      this.path.pop();
    }
    this.path.pop();
    return out;
  }

  private operandAt(node: readonly unknown[], i: number, depth: number): RaiseOperand | null {
    if (node[i] === null) return null;
    this.path.push(i);
    const op = this.array(node[i], "a raise operand (null or an array)");
    let out: RaiseOperand;
    if (op[0] === "value") {
      this.arity(op, 2, "a 'value' raise operand");
      out = { kind: "value", value: this.exprAt(op, 1, depth) };
    } else if (op[0] === "call") {
      this.arity(op, 4, "a 'call' raise operand");
      out = {
        kind: "call",
        callee: this.exprAt(op, 1, depth),
        args: this.exprsAt(op, 2, depth),
        keywords: this.keywordsAt(op, 3, depth),
      };
    } else {
      return this.fail(`expected a raise operand kind ("value" or "call"), got ${describe(op[0])}`, 0);
    }
    this.path.pop();
    return out;
  }

  private keywordsAt(node: readonly unknown[], i: number, depth: number): [string, Expr][] {
    this.path.push(i);
    const items = this.array(node[i], "a list of keyword arguments");
    const out: [string, Expr][] = [];
    for (let j = 0; j < items.length; j++) {
      this.path.push(j);
      const pair = this.array(items[j], "a keyword argument [name, value]");
      this.arity(pair, 2, "a keyword argument");
      out.push([this.nameAt(pair, 0), this.exprAt(pair, 1, depth)]);
      this.path.pop();
    }
    this.path.pop();
    return out;
  }

  private handlersAt(node: readonly unknown[], i: number, depth: number): ExceptHandler[] {
    this.path.push(i);
    const items = this.array(node[i], "a list of except handlers");
    const out: ExceptHandler[] = [];
    for (let j = 0; j < items.length; j++) {
      this.path.push(j);
      const h = this.array(items[j], "an except handler");
      this.arity(h, 4, "an except handler");
      out.push({
        line: this.lineAt(h, 0),
        type: h[1] === null ? null : this.exprAt(h, 1, depth),
        asName: this.optNameAt(h, 2),
        body: this.stmtsAt(h, 3, depth),
      });
      this.path.pop();
    }
    this.path.pop();
    return out;
  }

  private exprAt(node: readonly unknown[], i: number, depth: number): Expr {
    this.path.push(i);
    const out = this.expr(node[i], depth);
    this.path.pop();
    return out;
  }

  private exprsAt(node: readonly unknown[], i: number, depth: number): Expr[] {
    this.path.push(i);
    const items = this.array(node[i], "a list of expressions");
    const out: Expr[] = [];
    for (let j = 0; j < items.length; j++) out.push(this.exprAt(items, j, depth));
    this.path.pop();
    return out;
  }

  private expr(v: unknown, depth: number): Expr {
    const node = this.node(v, depth, "expression");
    const kind = node[0] as string;
    const d = depth + 1;
    switch (kind) {
      case "constant": {
        this.arity(node, 3, "a 'constant' expression");
        const line = this.lineAt(node, 1);
        const value = node[2];
        if (value !== null && typeof value !== "boolean" && typeof value !== "string")
          this.fail(`expected null, true, false or a string, got ${describe(value)}`, 2);
        return { kind: "constant", line, value };
      }
      case "int": {
        this.arity(node, 3, "an 'int' expression");
        const line = this.lineAt(node, 1);
        const text = node[2];
        if (typeof text !== "string" || !intPattern.test(text) || text === "-0")
          this.fail(`expected an int's decimal digits, got ${describe(text)}`, 2);
        return { kind: "constant", line, value: BigInt(text) };
      }
      case "float": {
        this.arity(node, 3, "a 'float' expression");
        const line = this.lineAt(node, 1);
        const text = node[2];
        if (typeof text !== "string" || floatText(Number(text)) !== text)
          this.fail(`expected a float's text, got ${describe(text)}`, 2);
        return { kind: "constant", line, value: Number(text) };
      }
      case "bytes": {
        this.arity(node, 3, "a 'bytes' expression");
        const line = this.lineAt(node, 1);
        const text = node[2];
        const data = typeof text === "string" ? Buffer.from(text, "base64") : null;
        // Buffer skips characters outside base64: only the text it would write back is accepted.
        if (data === null || data.toString("base64") !== text)
          this.fail(`expected padded base64, got ${describe(text)}`, 2);
        return { kind: "constant", line, value: new PyBytes(new Uint8Array(data)) };
      }
      case "ellipsis":
        this.arity(node, 2, "an 'ellipsis' expression");
        return { kind: "constant", line: this.lineAt(node, 1), value: Ellipsis };
      case "name":
        this.arity(node, 3, "a 'name' expression");
        return { kind, line: this.lineAt(node, 1), id: this.nameAt(node, 2) };
      case "attribute":
        this.arity(node, 4, "an 'attribute' expression");
        return {
          kind,
          line: this.lineAt(node, 1),
          object: this.exprAt(node, 2, d),
          attr: this.nameAt(node, 3),
        };
      case "unary": {
        this.arity(node, 4, "a 'unary' expression");
        const line = this.lineAt(node, 1);
        const op = node[2];
        if (!isUnaryOp(op)) this.fail(`expected a unary operator ('-', '+' or '~'), got ${describe(op)}`, 2);
        return { kind, line, op, operand: this.exprAt(node, 3, d) };
      }
      case "list":
      case "tuple":
      case "set":
        this.arity(node, 3, `a '${kind}' expression`);
        return { kind, line: this.lineAt(node, 1), elements: this.exprsAt(node, 2, d) };
      case "dict":
        this.arity(node, 3, "a 'dict' expression");
        return { kind, line: this.lineAt(node, 1), entries: this.entriesAt(node, 2, d) };
      default:
        return this.fail(`unknown expression kind ${quote(kind)}`, 0);
    }
  }

  private entriesAt(node: readonly unknown[], i: number, depth: number): [Expr, Expr][] {
    this.path.push(i);
    const items = this.array(node[i], "a list of dict entries");
    const out: [Expr, Expr][] = [];
    for (let j = 0; j < items.length; j++) {
      this.path.push(j);
      const pair = this.array(items[j], "a dict entry [key, value]");
      this.arity(pair, 2, "a dict entry");
      out.push([this.exprAt(pair, 0, depth), this.exprAt(pair, 1, depth)]);
      this.path.pop();
    }
    this.path.pop();
    return out;
  }
}

// ---------------------------------------------------------------------------------------------- format

const utf8Encoder = new TextEncoder();
// fatal: bad UTF-8 is an error; ignoreBOM: a BOM stays in the text, where JSON.parse refuses it.
const utf8Decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function decode(data: Uint8Array, filename: string): ScenarioCode {
  if (!(data instanceof Uint8Array)) throw new CodeFormatError(filename, "expected bytes");
  let text: string;
  try {
    text = utf8Decoder.decode(data);
  } catch {
    const failure = decodeUtf8Strict(data);
    throw new CodeFormatError(
      filename,
      `not UTF-8: ${typeof failure === "string" ? "refused" : failure.message()}`,
    );
  }
  const parsed = parseJsonText(text);
  if (!parsed.ok) throw new CodeFormatError(filename, `not JSON: ${parsed.reason}`);
  const json = parsed.value;
  let body: Stmt[];
  try {
    body = new Decoder(filename).module(json);
  } catch (error) {
    // MAX_NESTING keeps the walk shallow, so this is a caller already near the stack's end, or an int
    // beyond BigInt's size limit: still the data's fault as far as decode can tell, so no crash.
    if (error instanceof RangeError)
      throw new CodeFormatError(filename, `too deep or too large: ${error.message}`);
    throw error;
  }
  // The walk accepted the value (so it is shallow): the text must also be its one spelling.
  const canonical = JSON.stringify(json);
  if (canonical !== text) {
    let at = 0;
    while (canonical[at] === text[at]) at++;
    const byte = Buffer.byteLength(text.slice(0, at));
    throw new CodeFormatError(
      filename,
      `not in canonical form: byte ${byte} differs from what encode writes`,
    );
  }
  return new ScenarioCode(filename, body);
}

export const scenarioCodeFormat: CodeFormat = {
  name: "importkit-ast",
  version: 1,
  encode(code: CompiledCode): Uint8Array {
    if (!(code instanceof ScenarioCode)) {
      throw new NotSupportedError(
        `the importkit-ast code format only writes scenario executor code, not that of ${code.filename}`,
      );
    }
    return utf8Encoder.encode(JSON.stringify(new Encoder(code.filename).stmts(code.body, 1)));
  },
  decode,
};
