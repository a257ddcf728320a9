/** Instructions that only move values: constants, stack shuffles, no-ops and returns. */
import { constantValue } from "./constants.js";
import type { BytecodeFrame } from "./frame.js";
import type { HandlerTable } from "./handler.js";
import { Refusal } from "./refusal.js";
import { NULL } from "./runtime-values.js";

function loadConst(frame: BytecodeFrame, index: number): void {
  const value = frame.code.consts[index];
  if (value === undefined) throw new Refusal(`const index ${index} out of range`);
  frame.push(constantValue(value));
}

function nothing(): void {}

export const stackHandlers: HandlerTable = {
  NOP: nothing,
  RESUME: nothing,
  // 3.14: marks the not-taken side of a branch for monitoring.
  NOT_TAKEN: nothing,
  LOAD_CONST: (frame, instr) => loadConst(frame, instr.arg),
  // 3.14: ints 0..255 are no longer constants.
  LOAD_SMALL_INT: (frame, instr) => frame.push(BigInt(instr.arg)),
  PUSH_NULL: (frame) => frame.push(NULL),
  POP_TOP: (frame) => {
    frame.pop();
  },
  DUP_TOP: (frame) => frame.push(frame.peek(1)),
  DUP_TOP_TWO: (frame) => frame.push(frame.peek(2), frame.peek(1)),
  ROT_TWO: (frame) => rotate(frame, 2),
  ROT_THREE: (frame) => rotate(frame, 3),
  ROT_FOUR: (frame) => rotate(frame, 4),
  COPY: (frame, instr) => frame.push(frame.peek(instr.arg)),
  SWAP: (frame, instr) => {
    const { stack } = frame;
    const top = frame.peek(1);
    const other = frame.peek(instr.arg);
    stack[stack.length - 1] = other;
    stack[stack.length - instr.arg] = top;
  },
  // A module or class body's return value is not used (no `__class__` cell in the subset).
  RETURN_VALUE: (frame) => {
    frame.pop();
    frame.returned = true;
  },
  RETURN_CONST: (frame) => {
    frame.returned = true;
  },
};

/** ROT_n: the top value moves down to position n, the ones above it move up. */
function rotate(frame: BytecodeFrame, n: number): void {
  const values = frame.popN(n);
  const top = values.pop();
  if (top !== undefined) frame.push(top, ...values);
}
