/**
 * raise, try/except/finally. 3.8–3.10: SETUP_FINALLY / POP_BLOCK blocks, exceptions pushed as triples,
 * 3.8's BEGIN_FINALLY / END_FINALLY / CALL_FINALLY / POP_FINALLY, matching by COMPARE_OP (3.8) or
 * JUMP_IF_NOT_EXC_MATCH (3.9–3.10). 3.11+: the exception table, PUSH_EXC_INFO, CHECK_EXC_MATCH.
 */
import { PyBaseException, RuntimeError, TypeError_ } from "../../core/errors.js";
import type { PyValue } from "../../core/values.js";
import { instantiateException, PyExceptionClass } from "../exception-types.js";
import { caughtException, exceptionMatches } from "./exception-match.js";
import type { BytecodeFrame } from "./frame.js";
import type { HandlerTable } from "./handler.js";
import { Refusal, refusing } from "./refusal.js";
import { ExceptionTypeEntry, NULL } from "./runtime-values.js";

/** `raise` with no operand: the exception being handled, else CPython's RuntimeError. */
function reraiseCurrent(frame: BytecodeFrame): PyBaseException {
  return frame.scope.handled.at(-1) ?? new RuntimeError("No active exception to reraise");
}

/** `raise X`: an exception instance as it is, an exception class called with no arguments. */
function raised(frame: BytecodeFrame, value: PyValue): PyBaseException {
  if (value instanceof PyBaseException) return value;
  if (value instanceof PyExceptionClass) {
    return refusing(() => instantiateException(value, [], [], frame.location));
  }
  return new TypeError_("exceptions must derive from BaseException");
}

/** 3.8–3.10: pop an EXCEPT_HANDLER block and the exception it saved (POP_EXCEPT). */
function popExceptHandler(frame: BytecodeFrame): void {
  const block = frame.blocks.pop();
  if (block?.kind !== "except-handler") throw new Refusal("POP_EXCEPT without an except handler block");
  frame.popN(3);
  frame.scope.handled.pop();
}

/** 3.8–3.10: pop a (traceback, value, type) triple and raise its value (END_FINALLY, RERAISE). */
function reraiseTriple(frame: BytecodeFrame, type: PyValue): never {
  if (!(type instanceof ExceptionTypeEntry)) throw new Refusal("re-raise of something that is no exception");
  frame.popN(2);
  throw type.error;
}

export const exceptionHandlers: HandlerTable = {
  RAISE_VARARGS: (frame, instr) => {
    if (instr.arg === 0) throw reraiseCurrent(frame);
    if (instr.arg === 1) throw raised(frame, frame.pop());
    throw new Refusal("raise ... from");
  },
  RERAISE: (frame) => {
    if (frame.minor <= 10) reraiseTriple(frame, frame.pop());
    // 3.11+: the exception on top; an oparg names a lasti below it, which only tracebacks use.
    const error = frame.pop();
    if (!(error instanceof PyBaseException)) throw new Refusal("RERAISE of a non-exception");
    throw error;
  },
  // 3.11+: `exc` → `previous exc_info, exc`.
  PUSH_EXC_INFO: (frame) => {
    const error = frame.pop();
    if (!(error instanceof PyBaseException)) throw new Refusal("PUSH_EXC_INFO of a non-exception");
    const handled = frame.scope.handled;
    frame.push(handled.at(-1) ?? null);
    handled.push(error);
    frame.push(error);
  },
  POP_EXCEPT: (frame) => {
    if (frame.minor <= 10) return popExceptHandler(frame);
    frame.pop();
    frame.scope.handled.pop();
  },
  CHECK_EXC_MATCH: (frame) => {
    const classes = frame.pop();
    frame.push(exceptionMatches(caughtException(frame.peek(1)), classes));
  },
  JUMP_IF_NOT_EXC_MATCH: (frame, instr) => {
    const classes = frame.pop();
    if (!exceptionMatches(caughtException(frame.pop()), classes)) frame.jumpTo(frame.target(instr));
  },
  // 3.8: only `exception match` (10) of the comparisons is in the subset.
  COMPARE_OP: (frame, instr) => {
    if (frame.minor !== 8 || instr.arg !== 10) throw new Refusal("comparison");
    const classes = frame.pop();
    const matched = exceptionMatches(caughtException(frame.pop()), classes);
    frame.push(matched);
  },
  SETUP_FINALLY: (frame, instr) => {
    frame.blocks.push({ kind: "finally", handler: frame.target(instr), level: frame.stack.length });
  },
  POP_BLOCK: (frame) => {
    if (frame.blocks.pop() === undefined) throw new Refusal("POP_BLOCK without a block");
  },
  // 3.8: `finally` entered normally has NULL where an exception triple would be.
  BEGIN_FINALLY: (frame) => frame.push(NULL),
  END_FINALLY: (frame) => {
    const top = frame.pop();
    if (top === NULL) return;
    if (typeof top === "bigint") return frame.jumpTo(Number(top));
    reraiseTriple(frame, top);
  },
  // 3.8: `return`/`break` through `finally`: push where to resume, run the finally body.
  CALL_FINALLY: (frame, instr) => {
    frame.push(BigInt(instr.next));
    frame.jumpTo(frame.target(instr));
  },
  POP_FINALLY: (frame, instr) => {
    const result = instr.arg ? frame.pop() : undefined;
    const top = frame.pop();
    if (top !== NULL && typeof top !== "bigint") {
      frame.popN(2);
      popExceptHandler(frame);
    }
    if (result !== undefined) frame.push(result);
  },
};
