/**
 * Unary operators on names (`X = -A`; literal operands are folded by the compiler). They run through the
 * source executor's evaluator, so results and TypeErrors are the same by construction.
 */
import type { PyValue } from "../../core/values.js";
import type { UnaryOp } from "../ast.js";
import { evaluate } from "../evaluate.js";
import type { BytecodeFrame } from "./frame.js";
import type { HandlerTable } from "./handler.js";
import { refusing } from "./refusal.js";

export function applyUnary(frame: BytecodeFrame, op: UnaryOp, operand: PyValue): PyValue {
  const line = frame.code.firstlineno;
  return refusing(() =>
    evaluate(frame.scope, { kind: "unary", line, op, operand: { kind: "constant", line, value: operand } }),
  );
}

export const unaryHandlers: HandlerTable = {
  UNARY_NEGATIVE: (frame) => frame.push(applyUnary(frame, "-", frame.pop())),
  // Up to 3.11; 3.12+ uses CALL_INTRINSIC_1 INTRINSIC_UNARY_POSITIVE.
  UNARY_POSITIVE: (frame) => frame.push(applyUnary(frame, "+", frame.pop())),
  UNARY_INVERT: (frame) => frame.push(applyUnary(frame, "~", frame.pop())),
};
