/**
 * The import statement's instructions: IMPORT_NAME calls `__import__` (the import system's `importName`);
 * IMPORT_FROM and IMPORT_STAR are core's `importFrom` / `importStar`, with CPython's exact messages.
 */
import { importFrom, importStar } from "../../core/import-statement.js";
import { Module } from "../../core/module.js";
import type { PyValue } from "../../core/values.js";
import { PyTuple, typeName } from "../../core/values.js";
import type { BytecodeFrame } from "./frame.js";
import type { HandlerTable } from "./handler.js";
import { Refusal } from "./refusal.js";

function fromlistOf(value: PyValue): readonly string[] | null {
  if (value === null) return null;
  if (value instanceof PyTuple && value.items.every((item) => typeof item === "string")) {
    return value.items as readonly string[];
  }
  throw new Refusal(`import fromlist of type '${typeName(value)}'`);
}

function levelOf(value: PyValue): number {
  if (typeof value === "bigint" && value >= 0n) return Number(value);
  throw new Refusal(`import level of type '${typeName(value)}'`);
}

function moduleOf(value: PyValue, what: string): Module {
  if (value instanceof Module) return value;
  throw new Refusal(`${what} from a '${typeName(value)}' object`);
}

async function importName(frame: BytecodeFrame, nameIndex: number): Promise<void> {
  const fromlist = fromlistOf(frame.pop());
  const level = levelOf(frame.pop());
  const { ctx } = frame.scope;
  frame.push(await ctx.system.importName(frame.name(nameIndex), frame.module, fromlist, level, ctx));
}

/** `from m import *` into the running namespace (CALL_INTRINSIC_1 INTRINSIC_IMPORT_STAR in 3.12+). */
export function importAllFrom(frame: BytecodeFrame, from: PyValue): void {
  importStar(moduleOf(from, "import *"), frame.locals);
}

export const importHandlers: HandlerTable = {
  IMPORT_NAME: (frame, instr) => importName(frame, instr.arg),
  IMPORT_FROM: (frame, instr) => {
    const from = moduleOf(frame.peek(1), "import");
    frame.push(importFrom(from, frame.name(instr.arg), frame.scope.ctx.system.modules));
  },
  IMPORT_STAR: (frame) => importAllFrom(frame, frame.pop()),
};
