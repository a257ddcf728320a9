/**
 * Cells of a class body (3.11+ localsplus slots). CPython 3.14 compiles every class body that defines a
 * method with a `__classdict__` cell: `MAKE_CELL; LOAD_LOCALS; STORE_DEREF` at the start and
 * `LOAD_FAST_BORROW <cell>; STORE_NAME __classdictcell__` at the end (type.__new__ then drops the name).
 */
import type { PyValue } from "../../core/values.js";
import type { BytecodeFrame } from "./frame.js";
import type { HandlerTable } from "./handler.js";
import { Refusal } from "./refusal.js";
import { Cell, LocalsMapping } from "./runtime-values.js";

function slot(frame: BytecodeFrame, index: number): PyValue {
  const value = frame.fast[index];
  if (value === undefined) throw new Refusal(`unbound fast slot ${index}`);
  return value;
}

function cell(frame: BytecodeFrame, index: number): Cell {
  const value = slot(frame, index);
  if (!(value instanceof Cell)) throw new Refusal(`fast slot ${index} holds no cell`);
  return value;
}

/** LOAD_FAST & co. on a cell slot push the cell object itself (3.11+'s LOAD_CLOSURE). */
function loadFast(frame: BytecodeFrame, index: number): void {
  frame.push(slot(frame, index));
}

export const cellHandlers: HandlerTable = {
  MAKE_CELL: (frame, instr) => {
    const made = new Cell();
    made.value = frame.fast[instr.arg];
    frame.fast[instr.arg] = made;
  },
  LOAD_LOCALS: (frame) => frame.push(new LocalsMapping(frame.locals)),
  STORE_DEREF: (frame, instr) => {
    cell(frame, instr.arg).value = frame.pop();
  },
  LOAD_DEREF: (frame, instr) => {
    const value = cell(frame, instr.arg).value;
    if (value === undefined) throw new Refusal("load of an empty cell");
    frame.push(value);
  },
  LOAD_CLOSURE: (frame, instr) => loadFast(frame, instr.arg),
  LOAD_FAST: (frame, instr) => loadFast(frame, instr.arg),
  LOAD_FAST_BORROW: (frame, instr) => loadFast(frame, instr.arg),
};
