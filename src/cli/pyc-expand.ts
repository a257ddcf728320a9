/**
 * Can a decoded value be written in the corpus dump format? The format resolves marshal references by
 * writing a shared object out in full at every place it occurs, so a reference cycle (legal marshal: a list
 * may hold itself) cannot be written at all, and a few hundred bytes of nested references can expand to
 * billions of objects. `dumpSize` walks the value once per distinct object (shared ones are memoised) and
 * says how many values the dump would hold, or which problem stops it, before anything is expanded.
 */
import type { MarshalValue } from "../bytecode/marshal-values.js";
import { MarshalDict, MarshalList, MarshalSet, MarshalSlice } from "../bytecode/marshal-values.js";
import { isCode } from "./pyc-repr.js";

/** The default bound on a dump's expanded values: far above any real pyc (the corpus's biggest: ~60k). */
export const MAX_DUMP_VALUES = 5_000_000;

export type DumpCheck =
  | { readonly ok: true; readonly values: number }
  | { readonly ok: false; readonly reason: string };

function children(v: MarshalValue): readonly MarshalValue[] | null {
  if (v === null || typeof v !== "object" || v instanceof Uint8Array) return null;
  if (Array.isArray(v)) return v as readonly MarshalValue[];
  if (isCode(v)) return v.consts;
  if (v instanceof MarshalList || v instanceof MarshalSet) return v.items;
  if (v instanceof MarshalDict) return v.entries.flat();
  if (v instanceof MarshalSlice) return [v.start, v.stop, v.step];
  return null;
}

export function dumpSize(value: MarshalValue, limit = MAX_DUMP_VALUES): DumpCheck {
  const size = new Map<object, number>();
  const open = new Set<object>();
  // Iterative post-order walk: a value's size is 1 + its children's (each shared child counted every time).
  const stack: { v: MarshalValue; kids: readonly MarshalValue[]; next: number; total: number }[] = [];
  let result = 0;
  const enter = (v: MarshalValue): number | null => {
    const kids = children(v);
    if (kids === null) return 1;
    const known = size.get(v as object);
    if (known !== undefined) return known;
    if (open.has(v as object)) return -1;
    open.add(v as object);
    stack.push({ v, kids, next: 0, total: 1 });
    return null;
  };
  const first = enter(value);
  if (first === -1) return { ok: false, reason: "a reference cycle" };
  if (first !== null) return { ok: true, values: first };
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    if (top.next < top.kids.length) {
      const got = enter(top.kids[top.next++]!);
      if (got === -1) {
        return {
          ok: false,
          reason: "a reference cycle (a container that holds itself), which the dump format cannot write",
        };
      }
      if (got !== null) top.total += got;
    } else {
      stack.pop();
      open.delete(top.v as object);
      size.set(top.v as object, top.total);
      if (top.total > limit) {
        return {
          ok: false,
          reason: `its shared references would expand to more than ${limit.toLocaleString("en-US")} values`,
        };
      }
      if (stack.length) stack[stack.length - 1]!.total += top.total;
      else result = top.total;
    }
  }
  return { ok: true, values: result };
}
