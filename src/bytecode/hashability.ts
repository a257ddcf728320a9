/**
 * CPython's reader adds set elements and dict keys to real hash tables, so an unhashable one fails with
 * `TypeError: unhashable type: 'list'`. This reproduces that check (without building hash tables: equal
 * elements are not merged, see decoder notes).
 */
import { MarshalDict, MarshalList, MarshalSet, MarshalSlice, type MarshalValue } from "./marshal-values.js";

/** Python's type name of the first unhashable object inside `value`, or null when it is hashable. */
export function unhashableTypeName(value: MarshalValue | undefined, depth = 0): string | null {
  if (value === null || typeof value !== "object") return null;
  if (depth > 1000) return "<recursion>";
  if (Array.isArray(value)) {
    for (const item of value as readonly (MarshalValue | undefined)[]) {
      const bad = unhashableTypeName(item, depth + 1);
      if (bad !== null) return bad;
    }
    return null;
  }
  if (value instanceof MarshalList) return "list";
  if (value instanceof MarshalDict) return "dict";
  if (value instanceof MarshalSet) return value.kind === "set" ? "set" : null;
  if (value instanceof MarshalSlice) {
    // Slices are hashable from 3.12 on (they only exist in marshal v5, i.e. 3.14): hash((start, stop, step)).
    return (
      unhashableTypeName(value.start, depth + 1) ??
      unhashableTypeName(value.stop, depth + 1) ??
      unhashableTypeName(value.step, depth + 1)
    );
  }
  if ("type" in value && value.type === "code") return unhashableTypeName(value.consts, depth + 1);
  return null;
}
