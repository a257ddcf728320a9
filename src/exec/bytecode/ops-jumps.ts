/**
 * Jumps. The decoder already turned each argument into a byte offset; conditional jumps only ever test the
 * bool an exception match pushed (`if` is outside the subset).
 */
import type { PyValue } from "../../core/values.js";
import { typeName } from "../../core/values.js";
import type { BytecodeFrame } from "./frame.js";
import type { Handler, HandlerTable } from "./handler.js";
import { Refusal } from "./refusal.js";

function truth(value: PyValue): boolean {
  if (typeof value === "boolean") return value;
  throw new Refusal(`truth value of a '${typeName(value)}'`);
}

const jump: Handler = (frame, instr) => frame.jumpTo(frame.target(instr));

function popJumpIf(when: boolean): Handler {
  return (frame: BytecodeFrame, instr) => {
    if (truth(frame.pop()) === when) frame.jumpTo(frame.target(instr));
  };
}

export const jumpHandlers: HandlerTable = {
  JUMP_FORWARD: jump,
  JUMP_ABSOLUTE: jump,
  JUMP_BACKWARD: jump,
  JUMP_BACKWARD_NO_INTERRUPT: jump,
  POP_JUMP_IF_FALSE: popJumpIf(false),
  POP_JUMP_IF_TRUE: popJumpIf(true),
  // 3.11 spells the direction out.
  POP_JUMP_FORWARD_IF_FALSE: popJumpIf(false),
  POP_JUMP_FORWARD_IF_TRUE: popJumpIf(true),
  POP_JUMP_BACKWARD_IF_FALSE: popJumpIf(false),
  POP_JUMP_BACKWARD_IF_TRUE: popJumpIf(true),
};
