/**
 * The ordered file hooks a directory (or archive) finder consults: CPython's (loader, suffixes) pairs,
 * editable at run time. Finders read the flattened (suffix, hook) list, rebuilt only when the registry
 * changes. The default order is CPython's: extension modules, source, bytecode.
 */
import type { FileHook } from "../core/interfaces.js";

export interface SuffixHook {
  readonly suffix: string;
  readonly hook: FileHook;
}

export class FileHookRegistry {
  private hooks: FileHook[];
  private flattened: readonly SuffixHook[] | null = null;

  constructor(hooks: readonly FileHook[] = []) {
    this.hooks = [...hooks];
  }

  /** The hooks in priority order. */
  get list(): readonly FileHook[] {
    return this.hooks;
  }

  /** Every (suffix, hook) pair in the order finders try them. */
  get suffixHooks(): readonly SuffixHook[] {
    if (this.flattened === null) {
      this.flattened = this.hooks.flatMap((hook) => hook.suffixes.map((suffix) => ({ suffix, hook })));
    }
    return this.flattened;
  }

  /** Add a hook at `index` (default: last). */
  add(hook: FileHook, index = this.hooks.length): void {
    this.hooks.splice(index, 0, hook);
    this.flattened = null;
  }

  /** Add a hook just before the one named `name`. */
  addBefore(name: string, hook: FileHook): void {
    this.add(hook, this.indexOf(name));
  }

  remove(name: string): FileHook {
    const [removed] = this.hooks.splice(this.indexOf(name), 1);
    this.flattened = null;
    return removed!;
  }

  /** Replace the whole order, e.g. `registry.reorder(["source", "extension"])`. */
  reorder(names: readonly string[]): void {
    this.hooks = names.map((n) => this.hooks[this.indexOf(n)]!);
    this.flattened = null;
  }

  private indexOf(name: string): number {
    const i = this.hooks.findIndex((h) => h.name === name);
    if (i < 0)
      throw new Error(`no file hook named '${name}' (have: ${this.hooks.map((h) => h.name).join(", ")})`);
    return i;
  }
}
