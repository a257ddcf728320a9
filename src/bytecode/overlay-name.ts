/**
 * Overlay names (issue #4): the marshallable, hashable constants that name an overlay. Valid names are a
 * str, an int (a safe-integer `number` or a `bigint`, as the marshal decoder produces them), or a tuple of
 * valid names. A str beginning with two underscores is reserved (neither the compiler nor the reader
 * accepts it). Leaf module: no project imports beyond this directory.
 */
import type { MarshalValue } from "./marshal-values.js";
import { pythonStrRepr } from "./python-repr.js";

/** A marshallable hashable constant; only str / int / tuple of those are valid (see {@link isValidOverlayName}). */
export type OverlayName = MarshalValue;

/** Deepest tuple nesting accepted in a name (the marshal reader's own limit is 2000). */
export const MAX_OVERLAY_NAME_DEPTH = 100;

/** Whether `name` is a str, an int or a tuple of those (reserved names included; see {@link isReservedOverlayName}). */
export function isValidOverlayName(name: unknown, depth = 0): name is OverlayName {
  if (typeof name === "string" || typeof name === "bigint") return true;
  if (typeof name === "number") return Number.isSafeInteger(name);
  if (Array.isArray(name)) {
    if (depth >= MAX_OVERLAY_NAME_DEPTH) return false;
    for (const item of name as readonly unknown[]) if (!isValidOverlayName(item, depth + 1)) return false;
    return true;
  }
  return false;
}

/** Names that are strs beginning with `__` are reserved. */
export function isReservedOverlayName(name: OverlayName): boolean {
  return typeof name === "string" && name.startsWith("__");
}

/**
 * An equality key: two names have the same key exactly when Python's `==` holds between them (`5` and `5n`
 * are the same int; `'5'` is not `5`; tuples compare element-wise). Throws TypeError for an invalid name.
 */
export function overlayNameKey(name: OverlayName): string {
  if (typeof name === "string") return JSON.stringify(name);
  if (typeof name === "number") {
    if (!Number.isSafeInteger(name)) throw new TypeError("overlay name: not an int");
    return String(name === 0 ? 0 : name);
  }
  if (typeof name === "bigint") return name.toString();
  if (Array.isArray(name)) {
    let out = "(";
    for (const item of name as readonly OverlayName[]) out += `${overlayNameKey(item)},`;
    return `${out})`;
  }
  throw new TypeError("overlay name: not a str, int or tuple");
}

/** Python's `repr` of a name: `'lazy'`, `3`, `('lazy', 'x')`, `('one',)`, `()`. */
export function overlayNameRepr(name: OverlayName): string {
  if (typeof name === "string") return pythonStrRepr(name);
  if (typeof name === "number" || typeof name === "bigint") return (name === 0 ? 0 : name).toString();
  if (Array.isArray(name)) {
    const items = (name as readonly OverlayName[]).map(overlayNameRepr);
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(", ")})`;
  }
  throw new TypeError("overlay name: not a str, int or tuple");
}
