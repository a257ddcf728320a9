/**
 * Where a raised exception goes inside a frame (ceval's `exception_unwind`):
 * 3.11+ looks the raising instruction up in the exception table; 3.8–3.10 pop the block stack, entering the
 * innermost SETUP_FINALLY handler with the previous and the new exception pushed as triples.
 * "The exception being handled" (`sys.exc_info()`) is the scope's per-task stack: entering a handler pushes,
 * POP_EXCEPT and the unwinding of an EXCEPT_HANDLER block pop.
 */
import type { PyBaseException } from "../../core/errors.js";
import type { PyValue } from "../../core/values.js";
import { handlerAt } from "./exception-table.js";
import type { BytecodeFrame } from "./frame.js";
import type { Instruction } from "./instructions.js";
import { ExceptionTypeEntry } from "./runtime-values.js";

/** Jump to the handler for `error` raised by `instr`; false when no handler in this frame covers it. */
export function enterHandler(frame: BytecodeFrame, instr: Instruction, error: PyBaseException): boolean {
  return frame.minor >= 11 ? enterTableHandler(frame, instr, error) : enterBlockHandler(frame, error);
}

function enterTableHandler(frame: BytecodeFrame, instr: Instruction, error: PyBaseException): boolean {
  const entry = handlerAt(frame.exceptionTable, instr.offset);
  if (entry === null) return false;
  frame.unwindTo(entry.depth);
  // `lasti`: the raising instruction, in code units, for RERAISE to restore.
  if (entry.lasti) frame.push(BigInt(instr.offset / 2));
  frame.push(error);
  frame.jumpTo(entry.target);
  return true;
}

/** (traceback, value, type) as 3.8–3.10 push an exception; tracebacks are not modelled. */
export function exceptionTriple(error: PyBaseException | undefined): PyValue[] {
  return error === undefined ? [null, null, null] : [null, error, new ExceptionTypeEntry(error)];
}

function enterBlockHandler(frame: BytecodeFrame, error: PyBaseException): boolean {
  const handled = frame.scope.handled;
  for (let block = frame.blocks.pop(); block !== undefined; block = frame.blocks.pop()) {
    if (block.kind === "except-handler") {
      // UNWIND_EXCEPT_HANDLER: drop the handler's values and restore the exception it saved.
      frame.unwindTo(block.level + 3);
      frame.popN(3);
      handled.pop();
      continue;
    }
    frame.unwindTo(block.level);
    frame.blocks.push({ kind: "except-handler", handler: -1, level: frame.stack.length });
    frame.push(...exceptionTriple(handled.at(-1)));
    handled.push(error);
    frame.push(...exceptionTriple(error));
    frame.jumpTo(block.handler);
    return true;
  }
  return false;
}
