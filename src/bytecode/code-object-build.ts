/**
 * Builds {@link CodeObject}s from the fields a marshal stream holds, for every layout, in one object shape
 * (one hidden class for the JIT). 3.11+ streams hold localsplus names and kinds instead of varnames,
 * cellvars and freevars; those are derived here exactly as CPython's code object derives them.
 */
import type { CodeObject } from "./code-object.js";

/** CO_FAST_* kind bits (Include/internal/pycore_code.h). */
export const CO_FAST_HIDDEN = 0x10;
export const CO_FAST_LOCAL = 0x20;
export const CO_FAST_CELL = 0x40;
export const CO_FAST_FREE = 0x80;

const NO_NAMES: readonly string[] = [];

/** Everything a code object holds, before the `type` tag is added. */
export type CodeFields = Omit<CodeObject, "type">;

/** The one place code objects are allocated, so they all share a shape. */
export function makeCodeObject(f: CodeFields): CodeObject {
  return {
    type: "code",
    layout: f.layout,
    argcount: f.argcount,
    posonlyargcount: f.posonlyargcount,
    kwonlyargcount: f.kwonlyargcount,
    nlocals: f.nlocals,
    stacksize: f.stacksize,
    flags: f.flags,
    code: f.code,
    consts: f.consts,
    names: f.names,
    varnames: f.varnames,
    freevars: f.freevars,
    cellvars: f.cellvars,
    localsplusnames: f.localsplusnames,
    localspluskinds: f.localspluskinds,
    filename: f.filename,
    name: f.name,
    qualname: f.qualname,
    firstlineno: f.firstlineno,
    linetable: f.linetable,
    exceptiontable: f.exceptiontable,
  };
}

/** The names whose kind byte has `bit` set, in localsplus order (shared empty array when none). */
export function namesOfKind(names: readonly string[], kinds: Uint8Array, bit: number): readonly string[] {
  let out: string[] | null = null;
  for (let i = 0; i < names.length; i++) {
    if ((kinds[i]! & bit) !== 0) (out ??= []).push(names[i]!);
  }
  return out ?? NO_NAMES;
}

export interface DerivedLocals {
  readonly varnames: readonly string[];
  readonly cellvars: readonly string[];
  readonly freevars: readonly string[];
}

/**
 * 3.11+: `co_varnames`, `co_cellvars` and `co_freevars` from localsplus names and kinds (PYC.md §5), in one
 * pass; an argument that is also a cell (kind 0x60) is in both varnames and cellvars.
 */
export function deriveLocals(names: readonly string[], kinds: Uint8Array): DerivedLocals {
  let varnames: string[] | null = null;
  let cellvars: string[] | null = null;
  let freevars: string[] | null = null;
  for (let i = 0; i < names.length; i++) {
    const k = kinds[i]!;
    if ((k & CO_FAST_LOCAL) !== 0) (varnames ??= []).push(names[i]!);
    if ((k & CO_FAST_CELL) !== 0) (cellvars ??= []).push(names[i]!);
    if ((k & CO_FAST_FREE) !== 0) (freevars ??= []).push(names[i]!);
  }
  return { varnames: varnames ?? NO_NAMES, cellvars: cellvars ?? NO_NAMES, freevars: freevars ?? NO_NAMES };
}
