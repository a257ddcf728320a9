/** `co_consts` entries (marshal values) as the Python values LOAD_CONST pushes. */
import type { CodeObject } from "../../bytecode/code-object.js";
import type { MarshalValue } from "../../bytecode/marshal-values.js";
import {
  ELLIPSIS,
  MarshalComplex,
  MarshalDict,
  MarshalFloat,
  MarshalList,
  MarshalSet,
  MarshalSingleton,
  MarshalSlice,
} from "../../bytecode/marshal-values.js";
import type { PyValue } from "../../core/values.js";
import { PyBytes, PyDict, PyList, PySet, PyTuple } from "../../core/values.js";
import { Ellipsis } from "../builtins.js";
import { builtinExceptionClasses } from "../exception-types.js";
import { Refusal } from "./refusal.js";
import { CodeValue } from "./runtime-values.js";

export function constantValue(value: MarshalValue): PyValue {
  if (value === null || typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "number") return BigInt(value);
  if (typeof value === "bigint") return value;
  if (value instanceof Uint8Array) return new PyBytes(value);
  if (Array.isArray(value)) return new PyTuple(value.map(constantValue));
  if (value instanceof MarshalFloat) return value.value;
  if (value instanceof MarshalSet) {
    const set = new PySet(value.kind);
    for (const item of value.items) set.add(constantValue(item));
    return set;
  }
  // Lists and dicts are never compiler output (only hand-made pycs), but have exact equivalents.
  if (value instanceof MarshalList) return new PyList(value.items.map(constantValue));
  if (value instanceof MarshalDict) {
    const dict = new PyDict();
    for (const [k, v] of value.entries) dict.set(constantValue(k), constantValue(v));
    return dict;
  }
  if (value instanceof MarshalSingleton) {
    if (value === ELLIPSIS) return Ellipsis;
    const stopIteration = builtinExceptionClasses.get("StopIteration");
    if (stopIteration !== undefined) return stopIteration;
  }
  if (value instanceof MarshalComplex) throw new Refusal("complex constant");
  if (value instanceof MarshalSlice) throw new Refusal("slice constant");
  if (isCodeObject(value)) return new CodeValue(value);
  throw new Refusal("unknown constant");
}

function isCodeObject(value: MarshalValue): value is CodeObject {
  return typeof value === "object" && value !== null && "type" in value && value.type === "code";
}
