/**
 * Name instructions. Module and class bodies use the *_NAME forms (locals, then globals, then builtins);
 * `global` declarations give the *_GLOBAL forms (globals, then builtins).
 */
import { NameError } from "../../core/errors.js";
import type { PyValue } from "../../core/values.js";
import { lookupBuiltin } from "../builtins.js";
import { loadName } from "../evaluate.js";
import type { BytecodeFrame } from "./frame.js";
import type { HandlerTable } from "./handler.js";
import { Refusal, refusing } from "./refusal.js";
import { NULL } from "./runtime-values.js";

function notDefined(name: string): NameError {
  return new NameError(`name '${name}' is not defined`);
}

function loadGlobal(frame: BytecodeFrame, name: string): PyValue {
  const value = frame.globals.get(name);
  if (value !== undefined) return value;
  const builtin = lookupBuiltin(name);
  if (builtin.kind === "found") return builtin.value;
  if (builtin.kind === "unmodelled") throw new Refusal(`builtin '${name}'`);
  throw notDefined(name);
}

export const nameHandlers: HandlerTable = {
  LOAD_NAME: (frame, instr) => {
    const name = frame.name(instr.arg);
    frame.push(refusing(() => loadName(frame.scope, name, frame.code.firstlineno)));
  },
  STORE_NAME: (frame, instr) => {
    frame.locals.set(frame.name(instr.arg), frame.pop());
  },
  DELETE_NAME: (frame, instr) => {
    const name = frame.name(instr.arg);
    if (!frame.locals.delete(name)) throw notDefined(name);
  },
  // 3.11+: the low bit pushes a NULL for a call, before the value up to 3.12, after it from 3.13.
  LOAD_GLOBAL: (frame, instr) => {
    if (frame.minor < 11) return frame.push(loadGlobal(frame, frame.name(instr.arg)));
    const value = loadGlobal(frame, frame.name(instr.arg >> 1));
    if (!(instr.arg & 1)) frame.push(value);
    else if (frame.minor >= 13) frame.push(value, NULL);
    else frame.push(NULL, value);
  },
  STORE_GLOBAL: (frame, instr) => {
    frame.globals.set(frame.name(instr.arg), frame.pop());
  },
  DELETE_GLOBAL: (frame, instr) => {
    const name = frame.name(instr.arg);
    if (!frame.globals.delete(name)) throw notDefined(name);
  },
};
