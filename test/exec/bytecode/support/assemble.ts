/**
 * A tiny assembler for hand-built code objects (3.14 has no interpreter here): instruction names from the
 * version's opcode table, EXTENDED_ARG for big arguments, zeroed inline caches, `@label` jump arguments and
 * 3.11+ exception-table entries by label.
 */
import type { CodeObject, MarshalValue } from "../../../../src/bytecode/index.js";
import { makeCodeObject } from "../../../../src/bytecode/index.js";
import type { BytecodeVersion } from "../../../../src/exec/bytecode/index.js";
import { type OpcodeTable, opcodeTable } from "../../../../src/exec/bytecode/opcode-table.js";

/** `[name, arg]`, `[name]`, or `["LABEL", name]`; an arg `"@name"` is a jump to that label. */
export type Asm = readonly [string, (number | string)?];

export interface HandlerSpec {
  readonly from: string;
  readonly to: string;
  readonly target: string;
  readonly depth: number;
  readonly lasti: boolean;
}

export interface CodeSpec {
  readonly version: BytecodeVersion;
  readonly code: readonly Asm[];
  readonly consts?: readonly MarshalValue[];
  readonly names?: readonly string[];
  readonly localsplusnames?: readonly string[];
  readonly localspluskinds?: readonly number[];
  readonly handlers?: readonly HandlerSpec[];
  readonly name?: string;
  readonly qualname?: string;
  readonly filename?: string;
  readonly flags?: number;
}

function numberOf(table: OpcodeTable, name: string): number {
  for (let op = 0; op < 256; op++) if (table.name(op) === name) return op;
  throw new Error(`no opcode ${name}`);
}

/** Lay out instructions (all arguments < 256 but jumps, which must stay < 256 too). */
function layout(table: OpcodeTable, code: readonly Asm[]): { labels: Map<string, number>; size: number } {
  const labels = new Map<string, number>();
  let offset = 0;
  for (const [name, arg] of code) {
    if (name === "LABEL") labels.set(String(arg), offset);
    else offset += 2 + 2 * table.cacheEntries(name) + (typeof arg === "number" && arg > 255 ? 2 : 0);
  }
  return { labels, size: offset };
}

function varint(value: number, first: boolean): number[] {
  const groups: number[] = [];
  let rest = value;
  do {
    groups.unshift(rest & 63);
    rest = Math.floor(rest / 64);
  } while (rest > 0);
  return groups.map((group, i) => group | (i < groups.length - 1 ? 64 : 0) | (first && i === 0 ? 128 : 0));
}

export function assemble(spec: CodeSpec): CodeObject {
  const table = opcodeTable(spec.version);
  const { labels, size } = layout(table, spec.code);
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const [name, rawArg] of spec.code) {
    if (name === "LABEL") continue;
    const caches = table.cacheEntries(name);
    const next = offset + 2 + 2 * caches + (typeof rawArg === "number" && rawArg > 255 ? 2 : 0);
    let arg = 0;
    if (typeof rawArg === "number") arg = rawArg;
    else if (typeof rawArg === "string") {
      const target = labels.get(rawArg.slice(1));
      if (target === undefined) throw new Error(`no label ${rawArg}`);
      const kind = table.jumpKind(name);
      arg = (kind === "backward" ? next - target : target - next) / 2;
    }
    if (arg > 255) {
      bytes[offset++] = table.extendedArg;
      bytes[offset++] = arg >> 8;
    }
    bytes[offset++] = numberOf(table, name);
    bytes[offset++] = arg & 255;
    offset += 2 * caches;
  }
  const exceptionTable: number[] = [];
  for (const handler of spec.handlers ?? []) {
    const at = (label: string): number => {
      const found = labels.get(label);
      if (found === undefined) throw new Error(`no label ${label}`);
      return found / 2;
    };
    exceptionTable.push(
      ...varint(at(handler.from), true),
      ...varint(at(handler.to) - at(handler.from), false),
      ...varint(at(handler.target), false),
      ...varint(handler.depth * 2 + (handler.lasti ? 1 : 0), false),
    );
  }
  const localsplusnames = spec.localsplusnames ?? [];
  return makeCodeObject({
    layout: "3.11",
    argcount: 0,
    posonlyargcount: 0,
    kwonlyargcount: 0,
    nlocals: 0,
    stacksize: 20,
    flags: spec.flags ?? 0,
    code: bytes,
    consts: spec.consts ?? [],
    names: spec.names ?? [],
    varnames: [],
    freevars: [],
    cellvars: [],
    localsplusnames,
    localspluskinds: Uint8Array.from(spec.localspluskinds ?? localsplusnames.map(() => 0x40)),
    filename: spec.filename ?? "hand.py",
    name: spec.name ?? "<module>",
    qualname: spec.qualname ?? spec.name ?? "<module>",
    firstlineno: 1,
    linetable: new Uint8Array(0),
    exceptiontable: Uint8Array.from(exceptionTable),
  });
}
