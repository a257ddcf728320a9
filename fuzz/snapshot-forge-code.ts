/**
 * The snapshot leg's `forge-code` tier for executor code: importkit-ast v2 (src/exec/code-format.ts's header
 * is the spec) decoded, edited as a tree, written again, and sometimes damaged as bytes. See
 * {@link forgeExecutorCode}.
 */
import { CodeFormatError, NotSupportedError } from "../src/core/errors.js";
import { PyBytes, type PyValue, typeName } from "../src/core/values.js";
import { Ellipsis } from "../src/exec/builtins.js";
import { MAX_NESTING, scenarioCodeFormat } from "../src/exec/code-format.js";
import { ScenarioCode } from "../src/exec/compile.js";
import { type Loose, show } from "./loose.js";
import { concat } from "./mutate.js";
import type { Rng } from "./rng.js";

// ---- executor code: importkit-ast v2 (code-format.ts's header is the spec) ----------------------------

/** Decoded executor code edited in place (the AST types are readonly; decode makes fresh objects). */
type Node = Loose;
/** Where a value sits: `holder[key]`, a node's field or a list's item. */
type Slot = readonly [Loose, string | number];

const FORGED_CODE_FILE = "/snap/forged.py";

/** A deep copy of AST material: lists and plain objects copied, constants (bigint, PyBytes, Ellipsis) shared. */
function copyAst<T>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  let out: Loose;
  if (Array.isArray(value)) out = [];
  else if (Object.getPrototypeOf(value) === Object.prototype) out = {};
  else return value;
  for (const k in value) out[k] = copyAst(value[k]);
  return out;
}

/** A node's direct parts, by the schema of ast.ts: its expressions are one deeper, so are its blocks. */
interface NodeParts {
  /** Slots holding an expression. */
  readonly exprs: Slot[];
  /** Blocks of statements (bodies, handlers' bodies, orelse, finalbody). */
  readonly blocks: Loose[][];
  /** Every list of the node: blocks, expression lists, names, aliases, handlers, keywords, dict entries. */
  readonly lists: Loose[][];
  /** Slots holding a string: names, modules, attributes, keywords, `as` names, string constants. */
  readonly strs: Slot[];
  readonly handlers: Loose[];
}

function partsOfNode(node: Node): NodeParts {
  const p: NodeParts = { exprs: [], blocks: [], lists: [], strs: [], handlers: [] };
  const exprList = (list: Loose[]) => {
    p.lists.push(list);
    for (let i = 0; i < list.length; i++) p.exprs.push([list, i]);
  };
  const block = (list: Loose[]) => {
    p.blocks.push(list);
    p.lists.push(list);
  };
  const strList = (list: Loose[]) => {
    p.lists.push(list);
    for (let i = 0; i < list.length; i++) p.strs.push([list, i]);
  };
  const aliases = (list: Loose[]) => {
    p.lists.push(list);
    for (const a of list) {
      p.strs.push([a, "name"]);
      if (a.asName !== null) p.strs.push([a, "asName"]);
    }
  };
  switch (node.kind) {
    case "import":
      aliases(node.names);
      break;
    case "importFrom":
      p.strs.push([node, "module"]);
      aliases(node.names);
      break;
    case "importStar":
      p.strs.push([node, "module"]);
      break;
    case "assign":
      strList(node.targets);
      p.exprs.push([node, "value"]);
      break;
    case "delete":
      strList(node.names);
      break;
    case "expr":
      p.exprs.push([node, "value"]);
      break;
    case "raise": {
      const op = node.operand;
      if (op?.kind === "value") p.exprs.push([op, "value"]);
      else if (op?.kind === "call") {
        p.exprs.push([op, "callee"]);
        exprList(op.args);
        p.lists.push(op.keywords);
        for (const kw of op.keywords) {
          p.strs.push([kw, 0]);
          p.exprs.push([kw, 1]);
        }
      }
      break;
    }
    case "try":
      block(node.body);
      p.lists.push(node.handlers);
      for (const h of node.handlers) {
        p.handlers.push(h);
        if (h.type !== null) p.exprs.push([h, "type"]);
        if (h.asName !== null) p.strs.push([h, "asName"]);
        block(h.body);
      }
      block(node.orelse);
      block(node.finalbody);
      break;
    case "functionDef":
    case "classDef":
      p.strs.push([node, "name"]);
      exprList(node.kind === "functionDef" ? node.defaults : node.bases);
      block(node.body);
      break;
    case "constant":
      if (typeof node.value === "string") p.strs.push([node, "value"]);
      break;
    case "name":
      p.strs.push([node, "id"]);
      break;
    case "attribute":
      p.exprs.push([node, "object"]);
      p.strs.push([node, "attr"]);
      break;
    case "unary":
      p.exprs.push([node, "operand"]);
      break;
    case "list":
    case "tuple":
    case "set":
      exprList(node.elements);
      break;
    case "dict":
      p.lists.push(node.entries);
      for (const e of node.entries) p.exprs.push([e, 0], [e, 1]);
      break;
  }
  return p;
}

/** How many levels a node spans: 1 for a leaf, else 1 + its deepest part's. */
function heightOf(node: Node): number {
  const p = partsOfNode(node);
  let h = 0;
  for (const [holder, key] of p.exprs) h = Math.max(h, heightOf(holder[key]));
  for (const list of p.blocks) for (const s of list) h = Math.max(h, heightOf(s));
  return h + 1;
}

interface Site {
  readonly slot: Slot;
  /** Its nesting as code-format.ts counts it (module statements: 1). */
  readonly depth: number;
}

interface AstSites {
  readonly stmts: Site[];
  readonly exprs: Site[];
  readonly blocks: Loose[][];
  readonly lists: Loose[][];
  readonly strs: Slot[];
  /** Statements, expressions and handlers: what has a line. */
  readonly lined: Loose[];
  /** importFrom and importStar statements: what has a level. */
  readonly leveled: Loose[];
}

/**
 * The deepest nesting made: past MAX_NESTING (the decoder refuses at MAX_NESTING + 1, whatever follows), and
 * well within what this leg's own recursion can take on a main thread's stack (copyAst: about 1,900 nested
 * `except` blocks; the writer: about 2,300 nested `try` blocks).
 */
const MAX_FORGED_DEPTH = 1300;

/** Nodes deeper than this are edited only as a whole (what an earlier edit nested a thousand deep, mostly). */
const AST_WALK_DEPTH = 48;

function sitesOf(body: Loose[]): AstSites {
  const s: AstSites = {
    stmts: [],
    exprs: [],
    blocks: [body],
    lists: [body],
    strs: [],
    lined: [],
    leveled: [],
  };
  const visit = (slot: Slot, depth: number, isStmt: boolean) => {
    const node = slot[0][slot[1]];
    (isStmt ? s.stmts : s.exprs).push({ slot, depth });
    s.lined.push(node);
    if (node.kind === "importFrom" || node.kind === "importStar") s.leveled.push(node);
    if (depth >= AST_WALK_DEPTH) return;
    const p = partsOfNode(node);
    s.blocks.push(...p.blocks);
    s.lists.push(...p.lists);
    s.strs.push(...p.strs);
    s.lined.push(...p.handlers);
    for (const e of p.exprs) visit(e, depth + 1, false);
    for (const list of p.blocks) block(list, depth + 1);
  };
  const block = (list: Loose[], depth: number) => {
    for (let i = 0; i < list.length; i++) visit([list, i], depth, true);
  };
  block(body, 1);
  return s;
}

const STMT_KINDS = [
  "import",
  "importFrom",
  "importStar",
  "assign",
  "delete",
  "pass",
  "expr",
  "raise",
  "try",
  "functionDef",
  "classDef",
] as const;
/** Expression kinds by tag; tags 0–7 are the constants (None, True, False, str, int, float, bytes, Ellipsis). */
const EXPR_TAGS = [
  "None",
  "True",
  "False",
  "str",
  "int",
  "float",
  "bytes",
  "Ellipsis",
  "name",
  "attribute",
  "unary",
  "list",
  "tuple",
  "set",
  "dict",
] as const;
const EXPR_KINDS = ["constant", "name", "attribute", "unary", "list", "tuple", "set", "dict"] as const;
const UNARY_OPS = ["-", "+", "~"] as const;

/** Strings for names, modules, attributes and str constants: valid in the format, hostile to what reads them. */
const AST_STRINGS: readonly string[] = [
  "",
  "\0",
  "\ud800",
  "\udc00x",
  "\ud83d\ude00",
  "é",
  "ｍａｉｎ",
  "\n",
  "\u2028",
  " ",
  '"',
  "\\",
  ".",
  "..",
  "a..b",
  "a.b",
  "pkg.",
  "/",
  "__proto__",
  "constructor",
  "toString",
  "__name__",
  "__file__",
  "__doc__",
  "__builtins__",
  "__import__",
  "__future__",
  "sys",
  "os",
  "builtins",
  "main",
  "pkg",
  "pkg.sub",
  "util",
  "None",
  "0",
  "-0",
  "01",
  "1e3",
  "NaN",
  "x".repeat(1000),
  "a".repeat(100_000),
];

const AST_CONSTANTS: readonly PyValue[] = [
  null,
  true,
  false,
  Ellipsis,
  "",
  "\0",
  "\ud800",
  "x",
  0n,
  1n,
  -1n,
  2n ** 63n,
  -(2n ** 64n),
  10n ** 400n,
  0,
  -0,
  0.1,
  1.5,
  -2.5,
  1e21,
  1e-7,
  5e-324,
  Number.MAX_VALUE,
  2 ** 53,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  new PyBytes(new Uint8Array(0)),
  new PyBytes(Uint8Array.of(0, 0x80, 0xff)),
  new PyBytes(new Uint8Array(300).fill(0x61)),
];

/** Lines and levels: the valid ones around the varint boundaries, and what encode refuses (0, -1, 2^53, 1.5). */
const LINE_VALUES = [
  1,
  2,
  127,
  128,
  16_383,
  16_384,
  2 ** 31,
  2 ** 32,
  2 ** 53 - 1,
  0,
  -1,
  2 ** 53,
  2 ** 64,
  1.5,
  1e300,
];
const LEVEL_VALUES = [0, 1, 2, 3, 127, 128, 2 ** 53 - 1, -1, 2 ** 53, 0.5];

const showValue = (v: unknown): string => {
  if (typeof v === "bigint") return v.toString().length > 24 ? `int(${v.toString().length} digits)` : `${v}n`;
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
  if (v instanceof PyBytes) return `bytes(${v.data.length})`;
  if (v === Ellipsis) return "Ellipsis";
  return show(v);
};

const labelOf = (item: Loose): string =>
  typeof item === "string"
    ? "name"
    : Array.isArray(item)
      ? "pair"
      : (item?.kind ?? (item !== null && typeof item === "object" && "body" in item ? "handler" : "alias"));

const none = (line: number): Node => ({ kind: "constant", line, value: null });

/** An expression rebuilt as another kind, from its parts (its expressions, strings) where it has them. */
function reshapeExpr(rng: Rng, node: Node, kind: (typeof EXPR_KINDS)[number]): Node {
  const p = partsOfNode(node);
  const exprs = p.exprs.map(([h, k]) => h[k]);
  const strings = p.strs.map(([h, k]) => h[k] as string);
  const line = node.line;
  switch (kind) {
    case "constant":
      return { kind, line, value: rng.pick(AST_CONSTANTS) };
    case "name":
      return { kind, line, id: strings[0] ?? rng.pick(["x", "__name__", "os"]) };
    case "attribute":
      return { kind, line, object: exprs[0] ?? { kind: "name", line, id: "os" }, attr: strings[0] ?? "path" };
    case "unary":
      return {
        kind,
        line,
        op: rng.pick(UNARY_OPS),
        operand: exprs[0] ?? { kind: "constant", line, value: 1n },
      };
    case "dict": {
      const entries: Node[][] = [];
      for (let i = 0; i < exprs.length; i += 2) entries.push([exprs[i], exprs[i + 1] ?? none(line)]);
      return { kind, line, entries };
    }
    default:
      return { kind, line, elements: exprs };
  }
}

/** A statement rebuilt as another kind, from its parts (expressions, strings, blocks) where it has them. */
function reshapeStmt(rng: Rng, node: Node, kind: (typeof STMT_KINDS)[number]): Node {
  const p = partsOfNode(node);
  const exprs = p.exprs.map(([h, k]) => h[k]);
  const strings = p.strs.map(([h, k]) => h[k] as string);
  const line = node.line;
  const inner = p.blocks.flat();
  const block = inner.length > 0 ? inner : [{ kind: "pass", line }];
  const aliases = strings.map((name) => ({ name, asName: rng.chance(0.2) ? "alias" : null }));
  const level = typeof node.level === "number" ? node.level : rng.below(3);
  switch (kind) {
    case "import":
      return { kind, line, names: aliases };
    case "importFrom":
      return { kind, line, module: strings[0] ?? "os", level, names: aliases.slice(1) };
    case "importStar":
      return { kind, line, module: strings[0] ?? "os", level };
    case "assign":
      return { kind, line, targets: strings.length > 0 ? strings : ["x"], value: exprs[0] ?? none(line) };
    case "delete":
      return { kind, line, names: strings };
    case "pass":
      return { kind, line };
    case "expr":
      return { kind, line, value: exprs[0] ?? none(line) };
    case "raise": {
      const callee = exprs[0] ?? { kind: "name", line, id: "ValueError" };
      const r = rng.below(3);
      const operand =
        r === 0
          ? null
          : r === 1
            ? { kind: "value", value: callee }
            : { kind: "call", callee, args: exprs.slice(1), keywords: strings.map((k) => [k, none(line)]) };
      return { kind, line, operand };
    }
    case "try": {
      const handlers = node.kind === "try" ? node.handlers : [];
      if (handlers.length === 0 && rng.chance(0.7))
        handlers.push({
          line,
          type: exprs[0] ?? null,
          asName: strings[0] ?? null,
          body: [{ kind: "pass", line }],
        });
      return {
        kind,
        line,
        body: block,
        handlers,
        orelse: [],
        finalbody: rng.chance(0.3) ? [{ kind: "pass", line }] : [],
      };
    }
    case "functionDef":
      return { kind, line, name: strings[0] ?? "f", defaults: exprs, body: block };
    case "classDef":
      return { kind, line, name: strings[0] ?? "C", bases: exprs, body: block };
  }
}

/** `node` wrapped `n` times in expressions (or, for a statement, blocks): nesting past MAX_NESTING. */
function nestAst(rng: Rng, node: Node, isStmt: boolean, n: number): [Node, string] {
  const line = node.line;
  let v = node;
  if (isStmt) {
    const unit = rng.pick(["try", "except", "def", "class"] as const);
    for (let d = 0; d < n; d++) {
      if (unit === "try")
        v = { kind: "try", line, body: [v], handlers: [], orelse: [], finalbody: [{ kind: "pass", line }] };
      else if (unit === "except")
        v = {
          kind: "try",
          line,
          body: [{ kind: "pass", line }],
          handlers: [{ line, type: null, asName: null, body: [v] }],
          orelse: [],
          finalbody: [],
        };
      else if (unit === "def") v = { kind: "functionDef", line, name: "f", defaults: [], body: [v] };
      else v = { kind: "classDef", line, name: "C", bases: [], body: [v] };
    }
    return [v, unit];
  }
  const unit = rng.pick(["tuple", "list", "set", "unary", "attribute", "dict"] as const);
  const op = rng.pick(UNARY_OPS);
  for (let d = 0; d < n; d++) {
    if (unit === "unary") v = { kind: "unary", line, op, operand: v };
    else if (unit === "attribute") v = { kind: "attribute", line, object: v, attr: "a" };
    else if (unit === "dict") v = { kind: "dict", line, entries: [[none(line), v]] };
    else v = { kind: unit, line, elements: [v] };
  }
  return [v, unit];
}

const decodedBody = (bytes: Uint8Array): Loose[] =>
  (scenarioCodeFormat.decode(bytes, FORGED_CODE_FILE) as ScenarioCode).body as Loose[];

/** One edit of the code's tree, or null where the picked edit has nothing to work on. */
function astEdit(rng: Rng, body: Loose[], others: readonly Uint8Array[]): string | null {
  const s = sitesOf(body);
  const get = (slot: Slot) => slot[0][slot[1]];
  const set = (slot: Slot, v: Loose) => {
    slot[0][slot[1]] = v;
  };
  const what = rng.below(13);
  if (what <= 1) {
    if (s.strs.length === 0) return null;
    const slot = rng.pick(s.strs);
    const old = get(slot);
    const value = rng.chance(0.4) ? get(rng.pick(s.strs)) : rng.pick(AST_STRINGS);
    set(slot, value);
    return `str ${show(old)}→${show(value)}`;
  }
  if (what === 2) {
    if (s.lined.length === 0) return null;
    const node = rng.pick(s.lined);
    const value = rng.pick(LINE_VALUES);
    const old = node.line;
    node.line = value;
    return `line ${labelOf(node)}@${old}→${value}`;
  }
  if (what === 3) {
    if (s.leveled.length === 0) return null;
    const node = rng.pick(s.leveled);
    const value = rng.pick(LEVEL_VALUES);
    const old = node.level;
    node.level = value;
    return `level ${node.kind}@${node.line} ${old}→${value}`;
  }
  if (what === 4) {
    if (s.exprs.length === 0) return null;
    const { slot } = rng.pick(s.exprs);
    const node = get(slot);
    const value = rng.pick(AST_CONSTANTS);
    if (node.kind === "constant" && rng.chance(0.5)) node.value = value;
    else set(slot, { kind: "constant", line: node.line, value });
    return `constant ${labelOf(node)}@${node.line}→${showValue(value)}`;
  }
  if (what === 5 || what === 6) {
    const isStmt = what === 5;
    const sites = isStmt ? s.stmts : s.exprs;
    if (sites.length === 0) return null;
    const { slot } = rng.pick(sites);
    const node = get(slot);
    const kinds: readonly string[] = isStmt ? STMT_KINDS : EXPR_KINDS;
    const kind = rng.pick(kinds.filter((k) => k !== node.kind));
    set(slot, isStmt ? reshapeStmt(rng, node, kind as Loose) : reshapeExpr(rng, node, kind as Loose));
    return `kind ${node.kind}@${node.line}→${kind}`;
  }
  if (what === 7) {
    const lists = s.lists.filter((l) => l.length > 0);
    if (lists.length === 0) return null;
    const list = rng.pick(lists);
    const i = rng.below(list.length);
    const j = rng.below(list.length);
    const op = rng.pick(["drop", "dup", "swap"] as const);
    const label = `[${i}] of ${list.length} ${labelOf(list[i])}s`;
    if (op === "drop") list.splice(i, 1);
    else if (op === "dup") list.splice(i, 0, copyAst(list[i]));
    else [list[i], list[j]] = [list[j], list[i]];
    return op === "swap" ? `swap [${i}] [${j}] of ${list.length} ${labelOf(list[i])}s` : `${op} ${label}`;
  }
  if (what === 8) {
    // Copies both ways: where one holds the other, the second copy lands in the detached subtree (no cycle).
    const isStmt = rng.chance(0.4);
    const sites = isStmt ? s.stmts : s.exprs;
    if (sites.length < 2) return null;
    const a = rng.pick(sites);
    const b = rng.pick(sites);
    const va = copyAst(get(a.slot));
    const vb = copyAst(get(b.slot));
    set(a.slot, vb);
    set(b.slot, va);
    return `swap ${va.kind}@${va.line} ${vb.kind}@${vb.line}`;
  }
  if (what === 9) {
    if (others.length === 0) return null;
    let donor: AstSites;
    try {
      donor = sitesOf(decodedBody(rng.pick(others)));
    } catch (error) {
      if (error instanceof CodeFormatError) return null;
      throw error;
    }
    if (rng.chance(0.5) && donor.stmts.length > 0) {
      const stmt = copyAst(get(rng.pick(donor.stmts).slot));
      const block = rng.pick(s.blocks);
      if (block.length > 0 && rng.chance(0.5)) block[rng.below(block.length)] = stmt;
      else block.splice(rng.below(block.length + 1), 0, stmt);
      return `graft ${stmt.kind}@${stmt.line} from another module`;
    }
    if (donor.exprs.length === 0) return null;
    const expr = copyAst(get(rng.pick(donor.exprs).slot));
    if (s.exprs.length > 0) set(rng.pick(s.exprs).slot, expr);
    else body.push({ kind: "expr", line: expr.line, value: expr });
    return `graft ${expr.kind}@${expr.line} from another module`;
  }
  if (what === 10) {
    // A new statement of any kind (the seeds hold no raise, delete or star import), made of another's parts.
    const block = rng.pick(s.blocks);
    const model = s.stmts.length > 0 ? copyAst(get(rng.pick(s.stmts).slot)) : { kind: "pass", line: 1 };
    const stmt = reshapeStmt(
      rng,
      model,
      rng.pick([...STMT_KINDS, "raise", "raise", "try", "delete"] as const),
    );
    block.splice(rng.below(block.length + 1), 0, stmt);
    return `new ${stmt.kind}@${stmt.line}`;
  }
  // Nesting: a fixed depth, or just at the limit (the deepest node at MAX_NESTING - 1, MAX_NESTING, + 1).
  const isStmt = rng.chance(0.3);
  const sites = isStmt ? s.stmts : s.exprs;
  if (sites.length === 0) return null;
  const site = rng.pick(sites);
  const node = get(site.slot);
  const deepest = site.depth + heightOf(node) - 1;
  const n = Math.min(
    MAX_FORGED_DEPTH - deepest,
    rng.chance(0.5)
      ? rng.pick([10, 998, 999, 1000, 1001, 1250])
      : Math.max(1, MAX_NESTING + rng.pick([-1, 0, 1]) - deepest),
  );
  if (n < 1) return null;
  const [nested, unit] = nestAst(rng, node, isStmt, n);
  set(site.slot, nested);
  return `nest ${node.kind}@${node.line} in ${unit} ×${n} (to depth ${deepest + n})`;
}

// The fuzzer's own writer of the format: what encode writes for every tree encode accepts (checked on each
// use), and, for what it refuses (nesting past MAX_NESTING, lines 0 or 2^53, level -1), the bytes a careless
// writer would make of it, so that such code still reaches the decoder. It records where each field is, for
// damage aimed at one field.

type AstFieldRole =
  | "stmt"
  | "expr"
  | "operand"
  | "marker"
  | "op"
  | "line"
  | "level"
  | "count"
  | "index"
  | "bytes-length"
  | "strings-length";
interface AstField {
  readonly role: AstFieldRole;
  readonly at: number;
  readonly end: number;
}
interface WrittenAst {
  readonly bytes: Uint8Array;
  readonly fields: readonly AstField[];
  /** Where the string list's JSON starts and ends. */
  readonly table: readonly [number, number];
}

/**
 * The fuzzer's writer and encode disagree on a tree both accept: one of them is not the spec. A finding: the
 * worker dies making the input, and run.ts reports it with the replay command.
 */
export class WriterMismatch extends Error {}

/** Unsigned LEB128, shortest form. */
function leb(n: bigint): number[] {
  const out: number[] = [];
  do {
    const b = Number(n & 0x7fn);
    n >>= 7n;
    out.push(n > 0n ? b | 0x80 : b);
  } while (n > 0n);
  return out;
}

/** The spec's `varint` of a number field, written as it is: negatives as 64-bit two's complement, fractions cut. */
const lebOf = (v: number): number[] => {
  const n = Number.isFinite(v) ? BigInt(Math.trunc(v)) : 0n;
  return leb(n < 0n ? BigInt.asUintN(64, n) : n);
};

class AstWriter {
  private readonly out: number[] = [];
  private readonly fields: AstField[] = [];
  private readonly strings = new Map<string, number>();

  private field(role: AstFieldRole, bytes: readonly number[]): void {
    this.fields.push({ role, at: this.out.length, end: this.out.length + bytes.length });
    for (const b of bytes) this.out.push(b);
  }

  private num(role: AstFieldRole, v: number): void {
    this.field(role, lebOf(v));
  }

  /** A string's index, the next one at its first use. */
  private intern(s: string): number {
    let i = this.strings.get(s);
    if (i === undefined) this.strings.set(s, (i = this.strings.size));
    return i;
  }

  private str(s: string): void {
    this.num("index", this.intern(s));
  }

  private optStr(s: string | null): void {
    this.num("index", s === null ? 0 : this.intern(s) + 1);
  }

  private stmts(list: readonly Node[]): void {
    this.num("count", list.length);
    for (const s of list) this.stmt(s);
  }

  private exprs(list: readonly Node[]): void {
    this.num("count", list.length);
    for (const e of list) this.expr(e);
  }

  private names(list: readonly string[]): void {
    this.num("count", list.length);
    for (const n of list) this.str(n);
  }

  private aliases(list: readonly Loose[]): void {
    this.num("count", list.length);
    for (const a of list) {
      this.str(a.name);
      this.optStr(a.asName);
    }
  }

  private stmt(s: Node): void {
    this.field("stmt", [STMT_KINDS.indexOf(s.kind) & 0xff]);
    this.num("line", s.line);
    switch (s.kind) {
      case "import":
        this.aliases(s.names);
        break;
      case "importFrom":
        this.str(s.module);
        this.num("level", s.level);
        this.aliases(s.names);
        break;
      case "importStar":
        this.str(s.module);
        this.num("level", s.level);
        break;
      case "assign":
        this.names(s.targets);
        this.expr(s.value);
        break;
      case "delete":
        this.names(s.names);
        break;
      case "expr":
        this.expr(s.value);
        break;
      case "raise": {
        const op = s.operand;
        this.field("operand", [op === null ? 0 : op.kind === "value" ? 1 : 2]);
        if (op?.kind === "value") this.expr(op.value);
        else if (op !== null) {
          this.expr(op.callee);
          this.exprs(op.args);
          this.num("count", op.keywords.length);
          for (const [k, v] of op.keywords) {
            this.str(k);
            this.expr(v);
          }
        }
        break;
      }
      case "try":
        this.stmts(s.body);
        this.num("count", s.handlers.length);
        for (const h of s.handlers) {
          this.num("line", h.line);
          this.field("marker", [h.type === null ? 0 : 1]);
          if (h.type !== null) this.expr(h.type);
          this.optStr(h.asName);
          this.stmts(h.body);
        }
        this.stmts(s.orelse);
        this.stmts(s.finalbody);
        break;
      case "functionDef":
      case "classDef":
        this.str(s.name);
        this.exprs(s.kind === "functionDef" ? s.defaults : s.bases);
        this.stmts(s.body);
        break;
    }
  }

  private expr(e: Node): void {
    if (e.kind === "constant") {
      this.constant(e.line, e.value);
      return;
    }
    this.field("expr", [EXPR_TAGS.indexOf(e.kind) & 0xff]);
    this.num("line", e.line);
    switch (e.kind) {
      case "name":
        this.str(e.id);
        break;
      case "attribute":
        this.expr(e.object);
        this.str(e.attr);
        break;
      case "unary":
        this.field("op", [UNARY_OPS.indexOf(e.op) & 0xff]);
        this.expr(e.operand);
        break;
      case "list":
      case "tuple":
      case "set":
        this.exprs(e.elements);
        break;
      case "dict":
        this.num("count", e.entries.length);
        for (const [k, v] of e.entries) {
          this.expr(k);
          this.expr(v);
        }
        break;
    }
  }

  /** A constant's tag says its type: None, True, False, Ellipsis alone; str, int, float as a string; bytes. */
  private constant(line: number, v: PyValue): void {
    const tag = (name: (typeof EXPR_TAGS)[number]) => {
      this.field("expr", [EXPR_TAGS.indexOf(name)]);
      this.num("line", line);
    };
    if (v === null) tag("None");
    else if (v === true) tag("True");
    else if (v === false) tag("False");
    else if (v === Ellipsis) tag("Ellipsis");
    else if (typeof v === "string") {
      tag("str");
      this.str(v);
    } else if (typeof v === "bigint") {
      tag("int");
      this.str(v.toString());
    } else if (typeof v === "number") {
      tag("float");
      this.str(Object.is(v, -0) ? "-0" : String(v));
    } else if (v instanceof PyBytes) {
      tag("bytes");
      this.num("bytes-length", v.data.length);
      for (const b of v.data) this.out.push(b);
    } else throw new Error(`the fuzzer's importkit-ast writer has no encoding for a ${typeName(v)}`);
  }

  /** `code = varint(S) strings body`, body = the module's statements. */
  module(body: readonly Node[]): WrittenAst {
    this.stmts(body);
    const table = new TextEncoder().encode(JSON.stringify([...this.strings.keys()]));
    const head = leb(BigInt(table.length));
    const shift = head.length + table.length;
    return {
      bytes: concat(Uint8Array.from(head), table, Uint8Array.from(this.out)),
      fields: [
        { role: "strings-length", at: 0, end: head.length },
        ...this.fields.map((f) => ({ role: f.role, at: f.at + shift, end: f.end + shift })),
      ],
      table: [head.length, shift],
    };
  }
}

/** Tags past the last valid one, per tag field (its count of valid values). */
const TAG_LIMITS: Readonly<Partial<Record<AstFieldRole, number>>> = {
  stmt: 11,
  expr: 15,
  operand: 3,
  marker: 2,
  op: 3,
};

/**
 * One field of the code set to another value: a tag out of range or another valid one; a varint off by one,
 * 0, huge, more than the bytes left, not in its shortest form, or cut off.
 */
function fieldDamage(rng: Rng, w: WrittenAst): [Uint8Array, string] {
  // A role first, then a field of it: the rare ones (a raise operand, an except marker) get their share.
  const role = rng.pick([...new Set(w.fields.map((f) => f.role))]);
  const f = rng.pick(w.fields.filter((f) => f.role === role));
  const splice = (by: readonly number[]) =>
    concat(w.bytes.subarray(0, f.at), Uint8Array.from(by), w.bytes.subarray(f.end));
  const limit = TAG_LIMITS[f.role];
  if (limit !== undefined) {
    const old = w.bytes[f.at]!;
    const value = rng.chance(0.3) ? rng.below(limit) : rng.pick([limit, limit + 1, 0x7f, 0x80, 0xff]);
    return [splice([value]), `${f.role} tag@${f.at} ${old}→${value}`];
  }
  let v = 0n;
  for (let i = f.end - 1; i >= f.at; i--) v = (v << 7n) | BigInt(w.bytes[i]! & 0x7f);
  const what = `${f.role}@${f.at} ${v}`;
  if (rng.chance(0.25)) {
    const longer = leb(v);
    longer[longer.length - 1]! |= 0x80;
    longer.push(...(rng.chance(0.8) ? [0] : [0x80, 0]));
    return [splice(longer), `${what} not in its shortest form`];
  }
  if (rng.chance(0.1)) {
    const cut = concat(
      w.bytes.subarray(0, f.at),
      f.end - f.at > 1 ? w.bytes.subarray(f.at, f.end - 1) : Uint8Array.of(0x80),
    );
    return [cut, `${what} cut off`];
  }
  const [label, by] = rng.pick<readonly [string, readonly number[]]>([
    ["0", [0]],
    [`${v + 1n}`, leb(v + 1n)],
    [`${v > 0n ? v - 1n : 2n}`, leb(v > 0n ? v - 1n : 2n)],
    ["2^53-1", leb(2n ** 53n - 1n)],
    ["2^53", leb(2n ** 53n)],
    ["2^64-1", leb(2n ** 64n - 1n)],
    ["the bytes left + 1", leb(BigInt(w.bytes.length - f.end + 1))],
  ]);
  return [splice(by), `${what}→${label}`];
}

/** A string list's JSON, scanned: where its top-level commas are, which characters lie inside strings. */
function jsonLayout(text: string): { commas: number[]; inside: number[] } {
  const commas: number[] = [];
  const inside: number[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      else if (/[A-Za-z0-9_.]/.test(c!)) inside.push(i);
    } else if (c === '"') inString = true;
    else if (c === ",") commas.push(i);
  }
  return { commas, inside };
}

/** Texts for a string of the list, many of them what an int's or float's string is not. */
const LIST_STRINGS: readonly string[] = [
  "01",
  "-0",
  "+1",
  "1.0",
  "1e3",
  " 1",
  "1 ",
  "0x10",
  "1_000",
  "٣",
  "9".repeat(10_000),
  "1.50",
  "1E21",
  "1e21",
  "1e+21",
  ".5",
  "NaN",
  "-NaN",
  "Infinity",
  "inf",
  "-0.0",
  "",
  "\0",
  "\ud800",
  "__proto__",
  "x",
];

/**
 * The string list edited: its items (replaced, duplicated, added, dropped, reordered) or its text (whitespace,
 * escapes, bytes, other JSON); its length prefix then fixed (one time in six, kept).
 */
function stringsDamage(rng: Rng, w: WrittenAst): [Uint8Array, string] {
  const [at, end] = w.table;
  const text = new TextDecoder().decode(w.bytes.subarray(at, end));
  const list = JSON.parse(text) as string[];
  let json: Uint8Array;
  let step: string;
  const what = rng.below(10);
  if (what < 5) {
    const i = rng.below(list.length);
    const out = list.slice();
    if (what === 0 && list.length > 0) {
      const by = rng.chance(0.5)
        ? rng.pick(LIST_STRINGS)
        : rng.chance(0.5)
          ? rng.pick(list)
          : rng.pick(AST_STRINGS);
      out[i] = by;
      step = `[${i}] ${show(list[i])}→${show(by)}`;
    } else if (what === 1 && list.length > 0) {
      out.splice(rng.below(list.length + 1), 0, list[i]!);
      step = `[${i}] twice`;
    } else if (what === 2 && list.length > 0) {
      out.splice(i, 1);
      step = `[${i}] dropped`;
    } else if (what === 3 && list.length > 1) {
      const j = rng.below(list.length);
      [out[i], out[j]] = [out[j]!, out[i]!];
      if (i === j) out.reverse();
      step = i === j ? "reversed" : `[${i}] and [${j}] swapped`;
    } else {
      const extra = rng.pick(AST_STRINGS);
      out.push(extra);
      step = `${show(extra)} added`;
    }
    json = new TextEncoder().encode(JSON.stringify(out));
  } else if (what < 8) {
    const { commas, inside } = jsonLayout(text);
    let edited: string;
    if (what === 5) {
      const places = [1, text.length - 1, text.length, 0, ...commas.map((c) => c + 1)];
      const i = rng.pick(places);
      const ws = rng.pick([" ", "\n", "\t", "\r\n"]);
      edited = text.slice(0, i) + ws + text.slice(i);
      step = `whitespace@${i}`;
    } else if (what === 6 && inside.length > 0) {
      const i = rng.pick(inside);
      edited = `${text.slice(0, i)}\\u${text.charCodeAt(i).toString(16).padStart(4, "0")}${text.slice(i + 1)}`;
      step = `escape@${i}`;
    } else {
      edited = rng.pick([
        "{}",
        '"a"',
        "[1]",
        "[null]",
        '[["a"]]',
        "null",
        "[",
        "",
        '["a",]',
        '["a" "b"]',
        "[]",
      ]);
      step = `other JSON ${edited}`;
    }
    json = new TextEncoder().encode(edited);
    step = `text ${step}`;
  } else {
    const bytes = w.bytes.slice(at, end);
    const i = rng.below(bytes.length + 1);
    const by = rng.pick<readonly number[]>([
      [0],
      [0x22],
      [0x5c],
      [0x5d],
      [0x2c],
      [0x80],
      [0xc0, 0x80],
      [0xff],
      [0xed, 0xa0, 0x80],
      [0xef, 0xbb, 0xbf],
    ]);
    const replace = rng.chance(0.5) && i < bytes.length;
    json = concat(bytes.subarray(0, i), Uint8Array.from(by), bytes.subarray(replace ? i + 1 : i));
    step = `bytes ${replace ? "replaced" : "inserted"}@${i} ${by.map((b) => b.toString(16)).join(" ")}`;
  }
  const keep = rng.chance(1 / 6);
  const head = keep ? w.bytes.subarray(0, at) : Uint8Array.from(leb(BigInt(json.length)));
  return [concat(head, json, w.bytes.subarray(end)), `strings ${step}${keep ? " (length kept)" : ""}`];
}

/** Damage that knows nothing of the format: bits, bytes, insertions, deletions, truncation, junk, copies. */
function rawDamage(rng: Rng, bytes: Uint8Array): [Uint8Array, string] {
  const i = rng.below(bytes.length);
  const what = rng.below(7);
  if (what === 0 && bytes.length > 0) {
    const out = bytes.slice();
    const bit = rng.below(8);
    out[i] = out[i]! ^ (1 << bit);
    return [out, `bit ${bit} of byte ${i} flipped`];
  }
  if (what === 1 && bytes.length > 0) {
    const out = bytes.slice();
    const by = rng.pick([0, 1, 0x7f, 0x80, 0xff, rng.below(256)]);
    out[i] = by;
    return [out, `byte ${i}=${by}`];
  }
  if (what === 2) {
    const n = 1 + rng.below(4);
    const by = rng.pick([0, 0x80, 0xff, -1]);
    const junk = Uint8Array.from({ length: n }, () => (by < 0 ? rng.below(256) : by));
    return [concat(bytes.subarray(0, i), junk, bytes.subarray(i)), `${n} bytes inserted@${i}`];
  }
  if (what === 3) {
    const n = 1 + rng.below(4);
    return [concat(bytes.subarray(0, i), bytes.subarray(i + n)), `${n} bytes deleted@${i}`];
  }
  if (what === 4) return [bytes.slice(0, i), `truncated@${i}`];
  if (what === 5) {
    const junk = rng.pick([Uint8Array.of(0), Uint8Array.of(5, 1), Uint8Array.of(0x80), bytes.slice(-3)]);
    return [concat(bytes, junk), `${junk.length} bytes appended`];
  }
  const n = 1 + rng.below(16);
  const from = rng.below(bytes.length);
  const chunk = bytes.slice(from, from + n);
  const out = bytes.slice();
  out.set(chunk.subarray(0, Math.max(0, out.length - i)), i);
  return [out, `${chunk.length} bytes@${from} copied to ${i}`];
}

/**
 * Executor code forged: decoded, 1–3 edits of its tree (strings and lines and levels, constants, node kinds,
 * list items dropped, duplicated or swapped, subtrees swapped or grafted from another module, nesting around
 * MAX_NESTING), written again — by encode, or, where encode refuses (too deep, line 0, level -1…), by the
 * fuzzer's own writer; then one time in three damage to the bytes: one field (a tag, a varint), the string
 * list, or anything. Valid code of other meaning and bytes every check of the decoder refuses.
 */
export function forgeExecutorCode(
  rng: Rng,
  bytes: Uint8Array,
  others: readonly Uint8Array[],
): [Uint8Array, string] {
  let body: Loose[];
  try {
    body = decodedBody(bytes);
  } catch (error) {
    if (error instanceof CodeFormatError) return [bytes, "ast:undecodable"];
    throw error;
  }
  const steps: string[] = [];
  const n = 1 + rng.below(3);
  for (let tries = 0; steps.length < n && tries < 4 * n; tries++) {
    const step = astEdit(rng, body, others);
    if (step !== null) steps.push(step);
  }
  const written = new AstWriter().module(body);
  try {
    const encoded = scenarioCodeFormat.encode(new ScenarioCode(FORGED_CODE_FILE, body));
    const at = encoded.findIndex((b, i) => b !== written.bytes[i]);
    if (at >= 0 || encoded.length !== written.bytes.length)
      throw new WriterMismatch(
        `the fuzzer's importkit-ast writer differs from encode at byte ${at < 0 ? encoded.length : at}`,
      );
  } catch (error) {
    if (!(error instanceof NotSupportedError)) throw error;
    steps.push(
      `written by the fuzzer (encode refuses: ${error.message.replace(/^.*?as importkit-ast: /, "")})`,
    );
  }
  let out = written.bytes;
  if (rng.chance(1 / 3)) {
    const r = rng.below(10);
    const [damaged, step] =
      r < 5 ? fieldDamage(rng, written) : r < 8 ? stringsDamage(rng, written) : rawDamage(rng, out);
    out = damaged;
    steps.push(step);
    if (rng.chance(0.15)) {
      const [again, step2] = rawDamage(rng, out);
      out = again;
      steps.push(step2);
    }
  }
  return [out, `ast ${steps.join(", ") || "unchanged"}`];
}
