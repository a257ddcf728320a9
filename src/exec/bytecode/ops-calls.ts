/**
 * Calls, in each version's stack convention:
 * 3.8–3.10 `callable, args` (CALL_FUNCTION[_KW]) or `NULL|method, callable|self, args` (CALL_METHOD);
 * 3.11–3.12 `NULL|method, callable|self, args` (PRECALL + CALL, keyword names from KW_NAMES);
 * 3.13+ `callable, NULL|self, args` (CALL; CALL_KW with the keyword names on top).
 */
import type { PyValue } from "../../core/values.js";
import { PyTuple } from "../../core/values.js";
import { callValue } from "./call-value.js";
import { constantValue } from "./constants.js";
import type { BytecodeFrame } from "./frame.js";
import type { HandlerTable } from "./handler.js";
import { Refusal } from "./refusal.js";
import { NULL } from "./runtime-values.js";

function keywordNames(value: PyValue): readonly string[] {
  if (value instanceof PyTuple && value.items.every((item) => typeof item === "string"))
    return value.items as readonly string[];
  throw new Refusal("keyword names that are not a tuple of str");
}

/** Call with `values`, whose last `names.length` entries are the keyword arguments. */
async function call(
  frame: BytecodeFrame,
  callee: PyValue,
  values: readonly PyValue[],
  names: readonly string[],
): Promise<void> {
  const positional = values.slice(0, values.length - names.length);
  const keywords = names.map((name, i): [string, PyValue] => [
    name,
    values[positional.length + i] as PyValue,
  ]);
  frame.push(await callValue(frame, callee, positional, keywords));
}

/** CALL / CALL_KW / CALL_METHOD: the two entries below the arguments, in the version's order. */
function calleeAndArgs(frame: BytecodeFrame, argc: number): [PyValue, PyValue[]] {
  const args = frame.popN(argc);
  const upper = frame.pop();
  const lower = frame.pop();
  if (frame.minor >= 13) return upper === NULL ? [lower, args] : [lower, [upper, ...args]];
  return lower === NULL ? [upper, args] : [lower, [upper, ...args]];
}

export const callHandlers: HandlerTable = {
  CALL_FUNCTION: (frame, instr) => {
    const args = frame.popN(instr.arg);
    return call(frame, frame.pop(), args, []);
  },
  CALL_FUNCTION_KW: (frame, instr) => {
    const names = keywordNames(frame.pop());
    const args = frame.popN(instr.arg);
    return call(frame, frame.pop(), args, names);
  },
  CALL_METHOD: (frame, instr) => {
    const [callee, args] = calleeAndArgs(frame, instr.arg);
    return call(frame, callee, args, []);
  },
  // 3.11: unpacks bound methods before CALL; the subset has none.
  PRECALL: () => {},
  KW_NAMES: (frame, instr) => {
    const names = frame.code.consts[instr.arg];
    if (names === undefined) throw new Refusal(`const index ${instr.arg} out of range`);
    frame.kwNames = keywordNames(constantValue(names));
  },
  CALL: (frame, instr) => {
    const names = frame.kwNames ?? [];
    frame.kwNames = null;
    const [callee, args] = calleeAndArgs(frame, instr.arg);
    return call(frame, callee, args, names);
  },
  CALL_KW: (frame, instr) => {
    const names = keywordNames(frame.pop());
    const [callee, args] = calleeAndArgs(frame, instr.arg);
    return call(frame, callee, args, names);
  },
};
