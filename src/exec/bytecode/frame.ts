/**
 * The state of one running code object: value stack, next instruction, 3.8–3.10's block stack, and the
 * scope it runs in. The scope is the source executor's Frame, so names, the module and the per-task stack of
 * handled exceptions (`sys.exc_info()`) are shared with modules run from source.
 */
import type { CodeObject } from "../../bytecode/code-object.js";
import type { Module } from "../../core/module.js";
import type { PyValue } from "../../core/values.js";
import type { Frame } from "../frame.js";
import type { ExceptionTableEntry } from "./exception-table.js";
import type { DecodedCode, Instruction } from "./instructions.js";
import type { OpcodeTable } from "./opcode-table.js";
import { Refusal } from "./refusal.js";
import type { BytecodeVersion } from "./versions.js";
import { minorOf } from "./versions.js";

/** A 3.8–3.10 block (SETUP_FINALLY's handler, or the EXCEPT_HANDLER pushed when entering one). */
export interface Block {
  readonly kind: "finally" | "except-handler";
  /** Byte offset of the handler (for "finally"). */
  readonly handler: number;
  /** Stack depth when the block was pushed. */
  readonly level: number;
}

/** Runs a nested code object (a class body) in `locals`, with this frame's globals. */
export type RunNested = (code: CodeObject, locals: Map<string, PyValue>) => Promise<void>;

export class BytecodeFrame {
  readonly stack: PyValue[] = [];
  readonly blocks: Block[] = [];
  /** Index of the next instruction to run. */
  pc = 0;
  /** Set by RETURN_VALUE / RETURN_CONST: the frame is done. */
  returned = false;
  /** 3.11+ "fast" slots (`co_localsplusnames`): in module and class bodies, only cells use them. */
  readonly fast: (PyValue | undefined)[] = [];
  /** 3.11–3.12: the keyword names KW_NAMES set for the next CALL. */
  kwNames: readonly string[] | null = null;
  readonly minor: number;

  constructor(
    readonly code: CodeObject,
    readonly decoded: DecodedCode,
    readonly exceptionTable: readonly ExceptionTableEntry[],
    readonly table: OpcodeTable,
    readonly version: BytecodeVersion,
    readonly scope: Frame,
    readonly filename: string,
    readonly runNested: RunNested,
  ) {
    this.minor = minorOf(version);
  }

  get module(): Module {
    return this.scope.module;
  }

  get locals(): Map<string, PyValue> {
    return this.scope.locals;
  }

  get globals(): Map<string, PyValue> {
    return this.scope.globals;
  }

  /** `file:line` for the source executor's helpers (their refusals become this instruction's). */
  get location(): string {
    return `${this.filename}:${this.code.firstlineno}`;
  }

  push(...values: PyValue[]): void {
    this.stack.push(...values);
  }

  pop(): PyValue {
    if (this.stack.length === 0) throw new Refusal("pop from an empty value stack");
    return this.stack.pop() as PyValue;
  }

  /** Pop `count` values, returned bottom first. */
  popN(count: number): PyValue[] {
    if (count > this.stack.length) throw new Refusal("pop below the value stack");
    return count === 0 ? [] : this.stack.splice(this.stack.length - count, count);
  }

  /** `PEEK(n)`: the n-th value from the top, 1 being the top. */
  peek(n: number): PyValue {
    const value = this.stack[this.stack.length - n];
    if (value === undefined) throw new Refusal("peek below the value stack");
    return value;
  }

  /** Drop values down to `depth`. */
  unwindTo(depth: number): void {
    this.stack.length = Math.min(this.stack.length, depth);
  }

  jumpTo(offset: number): void {
    const index = this.decoded.indexAt(offset);
    if (index === undefined) throw new Refusal(`jump to ${offset}, which is no instruction`);
    this.pc = index;
  }

  /** `co_names[index]`. */
  name(index: number): string {
    const name = this.code.names[index];
    if (name === undefined) throw new Refusal(`name index ${index} out of range`);
    return name;
  }

  /** A jump instruction's target. */
  target(instr: Instruction): number {
    if (instr.target === null) throw new Refusal(`${instr.name} has no jump target`);
    return instr.target;
  }
}
