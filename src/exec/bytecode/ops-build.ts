/** Container displays: BUILD_*, and the LIST_EXTEND / SET_UPDATE / DICT_UPDATE forms constant folding uses. */
import type { PyValue } from "../../core/values.js";
import { PyDict, PyList, PySet, PyTuple, typeName } from "../../core/values.js";
import { hashing } from "../evaluate.js";
import type { BytecodeFrame } from "./frame.js";
import type { HandlerTable } from "./handler.js";
import { Refusal } from "./refusal.js";

/** The items of an iterable constant folding produces (a tuple or frozenset), or of any list, set or str. */
function itemsOf(value: PyValue): readonly PyValue[] {
  if (value instanceof PyTuple || value instanceof PyList) return value.items;
  if (value instanceof PySet) return [...value.items.values()];
  if (typeof value === "string") return [...value];
  throw new Refusal(`iterating a '${typeName(value)}'`);
}

function newSet(items: readonly PyValue[]): PySet {
  const set = new PySet();
  hashing(() => {
    for (const item of items) set.add(item);
  });
  return set;
}

function newDict(entries: readonly (readonly [PyValue, PyValue])[]): PyDict {
  const dict = new PyDict();
  hashing(() => {
    for (const [key, value] of entries) dict.set(key, value);
  });
  return dict;
}

/** The container `count` values below the top (LIST_EXTEND & co. leave it in place). */
function target<T>(frame: BytecodeFrame, count: number, type: new (...args: never[]) => T): T {
  const value = frame.peek(count);
  if (!(value instanceof type)) throw new Refusal(`update of a '${typeName(value)}'`);
  return value;
}

export const buildHandlers: HandlerTable = {
  BUILD_TUPLE: (frame, instr) => frame.push(new PyTuple(frame.popN(instr.arg))),
  BUILD_LIST: (frame, instr) => frame.push(new PyList(frame.popN(instr.arg))),
  // Every element is evaluated before any is hashed.
  BUILD_SET: (frame, instr) => frame.push(newSet(frame.popN(instr.arg))),
  BUILD_MAP: (frame, instr) => {
    const flat = frame.popN(2 * instr.arg);
    const entries: [PyValue, PyValue][] = [];
    for (let i = 0; i < flat.length; i += 2) entries.push([flat[i] as PyValue, flat[i + 1] as PyValue]);
    frame.push(newDict(entries));
  },
  // 3.8–3.13: values, then a constant tuple of keys on top.
  BUILD_CONST_KEY_MAP: (frame, instr) => {
    const keys = frame.pop();
    const values = frame.popN(instr.arg);
    if (!(keys instanceof PyTuple) || keys.items.length !== values.length)
      throw new Refusal("BUILD_CONST_KEY_MAP without a matching key tuple");
    frame.push(newDict(keys.items.map((key, i): [PyValue, PyValue] => [key, values[i] as PyValue])));
  },
  LIST_EXTEND: (frame, instr) => {
    const items = itemsOf(frame.pop());
    target(frame, instr.arg, PyList).items.push(...items);
  },
  SET_UPDATE: (frame, instr) => {
    const items = itemsOf(frame.pop());
    const set = target(frame, instr.arg, PySet);
    hashing(() => {
      for (const item of items) set.add(item);
    });
  },
  DICT_UPDATE: (frame, instr) => {
    const update = frame.pop();
    if (!(update instanceof PyDict)) throw new Refusal(`dict update from a '${typeName(update)}'`);
    const dict = target(frame, instr.arg, PyDict);
    for (const [key, value] of update.entries.values()) dict.set(key, value);
  },
  // Big displays (3.10+): one element at a time into the container `arg` below.
  LIST_APPEND: (frame, instr) => {
    const item = frame.pop();
    target(frame, instr.arg, PyList).items.push(item);
  },
  SET_ADD: (frame, instr) => {
    const item = frame.pop();
    const set = target(frame, instr.arg, PySet);
    hashing(() => set.add(item));
  },
  MAP_ADD: (frame, instr) => {
    const value = frame.pop();
    const key = frame.pop();
    const dict = target(frame, instr.arg, PyDict);
    hashing(() => dict.set(key, value));
  },
  // 3.9–3.11; 3.12+ uses CALL_INTRINSIC_1 INTRINSIC_LIST_TO_TUPLE.
  LIST_TO_TUPLE: (frame) => frame.push(listToTuple(frame.pop())),
};

export function listToTuple(value: PyValue): PyTuple {
  if (!(value instanceof PyList)) throw new Refusal(`LIST_TO_TUPLE of a '${typeName(value)}'`);
  return new PyTuple(value.items);
}
