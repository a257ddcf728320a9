/**
 * The readable form of `importkit pyc dump`: the code objects of a decoded pyc (or any marshal value), nested
 * as they are in `co_consts`, each with its name and qualname, argument counts, flags, sizes, line range and
 * a summary of its constants. A code object met again through a marshal ref is named, not printed twice.
 */
import type { CodeObject } from "../bytecode/code-object.js";
import type { MarshalValue } from "../bytecode/marshal-values.js";
import { lineRange } from "./pyc-lines.js";
import { isCode, strRepr, valueRepr } from "./pyc-repr.js";

/** CPython's CO_* flag bits (Include/cpython/code.h); some are version-specific. */
const CODE_FLAGS: readonly (readonly [number, string, (minor: number) => boolean])[] = [
  [0x1, "OPTIMIZED", () => true],
  [0x2, "NEWLOCALS", () => true],
  [0x4, "VARARGS", () => true],
  [0x8, "VARKEYWORDS", () => true],
  [0x10, "NESTED", () => true],
  [0x20, "GENERATOR", () => true],
  [0x40, "NOFREE", (m) => m <= 10],
  [0x80, "COROUTINE", () => true],
  [0x100, "ITERABLE_COROUTINE", () => true],
  [0x200, "ASYNC_GENERATOR", () => true],
  [0x20000, "FUTURE_DIVISION", () => true],
  [0x40000, "FUTURE_ABSOLUTE_IMPORT", () => true],
  [0x80000, "FUTURE_WITH_STATEMENT", () => true],
  [0x100000, "FUTURE_PRINT_FUNCTION", () => true],
  [0x200000, "FUTURE_UNICODE_LITERALS", () => true],
  [0x400000, "FUTURE_BARRY_AS_BDFL", () => true],
  [0x800000, "FUTURE_GENERATOR_STOP", () => true],
  [0x1000000, "FUTURE_ANNOTATIONS", () => true],
  [0x4000000, "HAS_DOCSTRING", (m) => m >= 14],
  [0x8000000, "METHOD", (m) => m >= 14],
];

/** "0x3 (OPTIMIZED|NEWLOCALS)"; unknown bits stay in hex. */
export function flagsText(flags: number, minor: number): string {
  const names: string[] = [];
  let rest = flags >>> 0;
  for (const [bit, name, applies] of CODE_FLAGS) {
    if (rest & bit && applies(minor)) {
      names.push(name);
      rest = (rest & ~bit) >>> 0;
    }
  }
  if (rest) names.push(`0x${rest.toString(16)}`);
  return `0x${(flags >>> 0).toString(16)}${names.length ? ` (${names.join("|")})` : ""}`;
}

const LIST_ITEMS = 8;
const CONST_LIMITS = { text: 24, items: 4, depth: 2 } as const;

function clip(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

function nameList(names: readonly string[]): string {
  const shown = names.slice(0, LIST_ITEMS).map((n) => (/^[\w.<>-]+$/.test(n) ? n : strRepr(n, 30)));
  if (names.length > LIST_ITEMS) shown.push(`… ${names.length - LIST_ITEMS} more`);
  return shown.join(", ");
}

/** The tree of `value` (a code object normally; any marshal value in raw mode), as lines. */
export function valueTree(value: MarshalValue, minor: number, indent = ""): string[] {
  const lines: string[] = [];
  if (isCode(value)) codeTree(value, minor, indent, lines, new Set());
  else {
    lines.push(`${indent}value: ${valueRepr(value, { text: 60, items: 12, depth: 4 })}`);
    // Code objects anywhere inside a raw value (e.g. a tuple of them) are still worth printing.
    for (const code of codesInside(value)) codeTree(code, minor, `${indent}  `, lines, new Set());
  }
  return lines;
}

function codeTree(
  code: CodeObject,
  minor: number,
  indent: string,
  lines: string[],
  printed: Set<CodeObject>,
): void {
  if (printed.has(code)) {
    lines.push(`${indent}code ${code.qualname} (the same object again, through a marshal ref)`);
    return;
  }
  printed.add(code);
  const range = lineRange(code);
  const last = Math.max(range.last, code.firstlineno);
  const qualname = code.qualname !== code.name ? ` (qualname ${code.qualname})` : "";
  lines.push(
    `${indent}code ${code.name}${qualname}  ${code.filename}  ` +
      `line${last !== code.firstlineno ? `s ${code.firstlineno}–${last}` : ` ${code.firstlineno}`}` +
      (range.wellFormed ? "" : " (line table malformed)"),
  );
  const d = `${indent}  `;
  const posonly = code.layout === "3.6" ? "" : `posonly ${code.posonlyargcount}, `;
  lines.push(
    `${d}args ${code.argcount} (${posonly}kwonly ${code.kwonlyargcount})  nlocals ${code.nlocals}  ` +
      `stacksize ${code.stacksize}  flags ${flagsText(code.flags, minor)}`,
  );
  const sizes = [
    `code ${code.code.length} B`,
    `consts ${code.consts.length}`,
    `names ${code.names.length}`,
    code.localsplusnames
      ? `localsplus ${code.localsplusnames.length}`
      : `varnames ${code.varnames.length}, freevars ${code.freevars.length}, cellvars ${code.cellvars.length}`,
    `${code.layout === "3.6" || code.layout === "3.8" ? "lnotab" : "linetable"} ${code.linetable.length} B`,
  ];
  if (code.exceptiontable) sizes.push(`exceptiontable ${code.exceptiontable.length} B`);
  lines.push(`${d}sizes: ${sizes.join(", ")}`);
  if (code.names.length) lines.push(`${d}names: ${nameList(code.names)}`);
  if (code.varnames.length) lines.push(`${d}varnames: ${nameList(code.varnames)}`);
  if (code.cellvars.length) lines.push(`${d}cellvars: ${nameList(code.cellvars)}`);
  if (code.freevars.length) lines.push(`${d}freevars: ${nameList(code.freevars)}`);
  if (code.consts.length) {
    const shown = code.consts.slice(0, LIST_ITEMS).map((c) => clip(valueRepr(c, CONST_LIMITS), 48));
    if (code.consts.length > LIST_ITEMS) shown.push(`… ${code.consts.length - LIST_ITEMS} more`);
    lines.push(`${d}consts: ${shown.join(", ")}`);
  }
  for (const inner of codesInside(code.consts)) codeTree(inner, minor, d, lines, printed);
}

/** Code objects among `value`'s items (a tuple's, recursively through tuples, frozensets and the like). */
function codesInside(value: MarshalValue): CodeObject[] {
  const found: CodeObject[] = [];
  const seen = new Set<object>();
  const walk = (v: MarshalValue) => {
    if (v === null || typeof v !== "object" || v instanceof Uint8Array) return;
    if (seen.has(v)) return;
    seen.add(v);
    if (isCode(v)) {
      found.push(v);
      return;
    }
    if (Array.isArray(v)) for (const x of v as readonly MarshalValue[]) walk(x);
    else if ("items" in v && Array.isArray(v.items)) for (const x of v.items as MarshalValue[]) walk(x);
    else if ("entries" in v && Array.isArray(v.entries))
      for (const [k, x] of v.entries as [MarshalValue, MarshalValue][]) {
        walk(k);
        walk(x);
      }
  };
  if (Array.isArray(value)) for (const x of value as readonly MarshalValue[]) walk(x);
  else walk(value);
  return found;
}
