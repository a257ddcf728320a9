/**
 * Wordcode → instructions, per version: EXTENDED_ARG prefixes folded into the argument, 3.11+'s inline CACHE
 * code units skipped, jump arguments turned into byte offsets (bytes in 3.8–3.9, code units from 3.10,
 * relative to the instruction after the caches from 3.11).
 */
import type { CodeObject } from "../../bytecode/code-object.js";
import type { OpcodeTable } from "./opcode-table.js";

export interface Instruction {
  /** Byte offset of the opcode itself (after any EXTENDED_ARG prefixes), as `dis` shows it. */
  readonly offset: number;
  /** Byte offset of the first EXTENDED_ARG prefix, else `offset`: where jumps to this instruction land. */
  readonly start: number;
  readonly opcode: number;
  readonly name: string;
  readonly arg: number;
  /** Byte offset of the next instruction, past the inline caches. */
  readonly next: number;
  /** The byte offset a jump goes to; null for instructions that do not jump. */
  readonly target: number | null;
}

/** A code object's instructions, addressable by byte offset. */
export class DecodedCode {
  private readonly indexByOffset = new Map<number, number>();

  constructor(readonly instructions: readonly Instruction[]) {
    instructions.forEach((instr, index) => {
      this.indexByOffset.set(instr.start, index);
      this.indexByOffset.set(instr.offset, index);
    });
  }

  /** The index of the instruction at byte offset `offset` (its start or its opcode), if one is there. */
  indexAt(offset: number): number | undefined {
    return this.indexByOffset.get(offset);
  }
}

export function decodeInstructions(code: Uint8Array, table: OpcodeTable): DecodedCode {
  const instructions: Instruction[] = [];
  let start = 0;
  let extended = 0;
  for (let offset = 0; offset + 1 < code.length; ) {
    const opcode = code[offset] as number;
    const arg = extended * 256 + (code[offset + 1] as number);
    if (opcode === table.extendedArg) {
      extended = arg;
      offset += 2;
      continue;
    }
    const name = table.name(opcode);
    const next = offset + 2 + 2 * table.cacheEntries(name);
    instructions.push({ offset, start, opcode, name, arg, next, target: jumpTarget(table, name, arg, next) });
    extended = 0;
    offset = next;
    start = offset;
  }
  return new DecodedCode(instructions);
}

function jumpTarget(table: OpcodeTable, name: string, arg: number, next: number): number | null {
  switch (table.jumpKind(name)) {
    case "absolute":
      return arg * table.jumpUnit;
    case "forward":
      return next + arg * table.jumpUnit;
    case "backward":
      return next - arg * table.jumpUnit;
    case null:
      return null;
  }
}

const decodedByCode = new WeakMap<CodeObject, DecodedCode>();

/** Decode once per code object (a code object belongs to one version, so one table). */
export function decodedCode(code: CodeObject, table: OpcodeTable): DecodedCode {
  let decoded = decodedByCode.get(code);
  if (decoded === undefined) decodedByCode.set(code, (decoded = decodeInstructions(code.code, table)));
  return decoded;
}
