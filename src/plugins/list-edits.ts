/**
 * Declarative edits of the named lists (importers, path hooks, file hooks) — what a JSON configuration can
 * say without code: remove items, move one, or give the whole order.
 */
import type { Placement } from "./ordered-list.js";
import type { ImportPlugin } from "./plugin.js";

export interface ListEdit {
  /** Names to remove. */
  readonly remove?: readonly string[];
  /** Items to move: `{ "name": "bytecode", "before": "source" }` (or "after", "at", "first": true, "last": true). */
  readonly move?: readonly MoveEdit[];
  /** The complete new order (after removals), naming every item once. */
  readonly order?: readonly string[];
}

export type MoveEdit =
  | { readonly name: string; readonly before: string }
  | { readonly name: string; readonly after: string }
  | { readonly name: string; readonly at: number }
  | { readonly name: string; readonly first: true }
  | { readonly name: string; readonly last: true };

/** The operations the three lists share (OrderedList and FileHookRegistry both have them). */
interface EditableList {
  remove(name: string): unknown;
  move(name: string, where: Placement): unknown;
  reorder(names: readonly string[]): unknown;
}

function placementOf(edit: MoveEdit): Placement {
  if ("before" in edit) return { before: edit.before };
  if ("after" in edit) return { after: edit.after };
  if ("at" in edit) return { at: edit.at };
  return "first" in edit ? "first" : "last";
}

function applyEdit(list: EditableList, edit: ListEdit): void {
  for (const name of edit.remove ?? []) list.remove(name);
  for (const move of edit.move ?? []) list.move(move.name, placementOf(move));
  if (edit.order !== undefined) list.reorder(edit.order);
}

/** A plugin that edits the lists as described (applied at each list's own stage). */
export function editLists(
  name: string,
  edits: { importers?: ListEdit; pathHooks?: ListEdit; fileHooks?: ListEdit },
): ImportPlugin {
  return {
    name,
    ...(edits.fileHooks && { fileHooks: (hooks) => applyEdit(hooks, edits.fileHooks!) }),
    ...(edits.pathHooks && { pathHooks: (hooks) => applyEdit(hooks, edits.pathHooks!) }),
    ...(edits.importers && { importers: (importers) => applyEdit(importers, edits.importers!) }),
  };
}
