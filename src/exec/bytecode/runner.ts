/**
 * Runs a module's code object (or a class body) the way CPython's eval loop would, for the scenario subset.
 * Instructions that may import are awaited; a Python exception raised by one goes to the frame's handler or
 * out of the frame; a refusal becomes `opcode NAME at offset N in FILE is not supported`.
 */
import type { CodeObject } from "../../bytecode/code-object.js";
import { NotSupportedError, PyBaseException } from "../../core/errors.js";
import type { ImportContext } from "../../core/interfaces.js";
import type { Module } from "../../core/module.js";
import type { PyValue } from "../../core/values.js";
import { Frame } from "../frame.js";
import { enterHandler } from "./exception-unwind.js";
import { BytecodeFrame } from "./frame.js";
import type { Handler } from "./handler.js";
import { handlers } from "./handlers.js";
import type { Instruction } from "./instructions.js";
import type { OpcodeTable } from "./opcode-table.js";
import { opcodeTable } from "./opcode-table.js";
import { prepareCode } from "./prepared-code.js";
import { Refusal, UnsupportedOpcodeError } from "./refusal.js";
import type { BytecodeVersion } from "./versions.js";

export interface RunOptions {
  /** The file named in refusals (the path the loader read); default: the code object's `co_filename`. */
  readonly filename?: string;
}

/** Run `code` (a module's code object made by CPython `version`) with `module.dict` as globals and locals. */
export async function runCode(
  code: CodeObject,
  module: Module,
  ctx: ImportContext,
  version: BytecodeVersion,
  options: RunOptions = {},
): Promise<void> {
  const filename = options.filename ?? code.filename;
  const table = opcodeTable(version);
  await execute({ table, version, filename }, code, new Frame(module, ctx, filename, module.dict, ""));
}

/** What every frame of one run shares. */
interface RunSettings {
  readonly table: OpcodeTable;
  readonly version: BytecodeVersion;
  readonly filename: string;
}

async function execute(settings: RunSettings, code: CodeObject, scope: Frame): Promise<void> {
  const { table, version, filename } = settings;
  const { decoded, exceptionTable } = prepareCode(code, table, filename);
  const runNested = (nested: CodeObject, locals: Map<string, PyValue>): Promise<void> =>
    execute(settings, nested, new Frame(scope.module, scope.ctx, filename, locals, ""));
  const frame = new BytecodeFrame(code, decoded, exceptionTable, table, version, scope, filename, runNested);
  const handled = scope.handled;
  const depth = handled.length;
  try {
    await loop(frame);
  } finally {
    // Handlers restore the handled-exception stack themselves; an error that is not Python's skips them.
    if (handled.length > depth) handled.length = depth;
  }
}

async function loop(frame: BytecodeFrame): Promise<void> {
  const { instructions } = frame.decoded;
  // Code in the subset never loops, so no instruction runs twice in one frame: more steps than
  // instructions means a loop — outside the subset, and on a corrupt pyc (a jump to itself) endless.
  let budget = instructions.length;
  while (!frame.returned) {
    const instr = instructions[frame.pc];
    if (instr === undefined) throw new NotSupportedError(`ran past the end of the code in ${frame.filename}`);
    if (budget-- === 0)
      throw new UnsupportedOpcodeError(
        instr.name,
        instr.offset,
        frame.filename,
        "a loop (an instruction ran twice)",
      );
    frame.pc++;
    try {
      const pending = (handlers.get(instr.name) as Handler)(frame, instr);
      if (pending !== undefined) await pending;
    } catch (error) {
      handleError(frame, instr, error);
    }
  }
}

/** Continue at this frame's handler for a Python exception, or throw what leaves the frame. */
function handleError(frame: BytecodeFrame, instr: Instruction, error: unknown): void {
  try {
    if (error instanceof PyBaseException && enterHandler(frame, instr, error)) return;
  } catch (failure) {
    error = failure;
  }
  if (error instanceof Refusal) {
    throw new UnsupportedOpcodeError(instr.name, instr.offset, frame.filename, error.what);
  }
  throw error;
}
