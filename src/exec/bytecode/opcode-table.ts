/**
 * One CPython version's opcode table, read from data/opcodes/cpython-3.X.json (generated from the real
 * interpreters by data/opcodes/generate.py; 3.14 by generate_314.py). Only what decoding needs: names by
 * number, inline cache sizes (3.11+), which instructions jump and how their argument counts.
 */
import { readFileSync } from "node:fs";
import type { BytecodeVersion } from "./versions.js";

interface OpcodeTableData {
  readonly version: string;
  readonly source: string;
  readonly extendedArg: number;
  /** 1: jump arguments count bytes (3.8–3.9); 2: they count 2-byte code units (3.10+). */
  readonly jumpUnit: 1 | 2;
  readonly opcodes: Readonly<Record<string, number>>;
  readonly cacheEntries: Readonly<Record<string, number>>;
  readonly hasjrel: readonly string[];
  readonly hasjabs: readonly string[];
  readonly intrinsic1: readonly string[];
}

/** How an instruction's argument names its target. */
export type JumpKind = "absolute" | "forward" | "backward";

export class OpcodeTable {
  private readonly names: readonly string[];
  private readonly jumps: ReadonlyMap<string, JumpKind>;

  constructor(private readonly data: OpcodeTableData) {
    const names: string[] = [];
    for (let op = 0; op < 256; op++) names.push(`<${op}>`);
    for (const [name, op] of Object.entries(data.opcodes)) names[op] = name;
    this.names = names;
    const jumps = new Map<string, JumpKind>();
    for (const name of data.hasjabs) jumps.set(name, "absolute");
    // Only 3.11+ has backward relative jumps, and they all say so in their names.
    for (const name of data.hasjrel) jumps.set(name, name.includes("BACKWARD") ? "backward" : "forward");
    this.jumps = jumps;
  }

  /** Where the table came from (for reports). */
  get source(): string {
    return this.data.source;
  }

  get extendedArg(): number {
    return this.data.extendedArg;
  }

  get jumpUnit(): 1 | 2 {
    return this.data.jumpUnit;
  }

  /** `dis.opname[op]`: the name, or `<op>` for a number the version does not define. */
  name(op: number): string {
    return this.names[op] ?? `<${op}>`;
  }

  /** Inline CACHE code units after the instruction (3.11+; 0 before). */
  cacheEntries(name: string): number {
    return this.data.cacheEntries[name] ?? 0;
  }

  jumpKind(name: string): JumpKind | null {
    return this.jumps.get(name) ?? null;
  }

  /** The name of CALL_INTRINSIC_1's argument (3.12+). */
  intrinsic1(arg: number): string | undefined {
    return this.data.intrinsic1[arg];
  }
}

const tablesDir = new URL("../../../data/opcodes/", import.meta.url);
const loaded = new Map<BytecodeVersion, OpcodeTable>();

export function opcodeTable(version: BytecodeVersion): OpcodeTable {
  let table = loaded.get(version);
  if (table === undefined) {
    const text = readFileSync(new URL(`cpython-${version}.json`, tablesDir), "utf8");
    table = new OpcodeTable(JSON.parse(text) as OpcodeTableData);
    loaded.set(version, table);
  }
  return table;
}
