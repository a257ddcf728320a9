/**
 * The ordered file hooks a directory (or archive) finder consults: CPython's (loader, suffixes) pairs,
 * editable at run time, by hook name. Finders read the flattened (suffix, hook) list, rebuilt only when
 * the registry changes. The default order is CPython's: extension modules, source, bytecode.
 */
import type { FileHook } from "../core/interfaces.js";
import { OrderedList, type Placement } from "../plugins/ordered-list.js";

export interface SuffixHook {
  readonly suffix: string;
  readonly hook: FileHook;
}

/**
 * The file names that could hold module `tail` for one (suffix, hook) pair, in order: `tail + suffix`, then,
 * for a hook whose files make several modules, `stem + suffix` for each module suffix that `tail` ends with.
 */
export function candidateFiles(tail: string, { suffix, hook }: SuffixHook): string[] {
  const moduleSuffixes = hook.moduleSuffixes;
  if (moduleSuffixes === undefined) return [tail + suffix];
  const files: string[] = [];
  for (const moduleSuffix of moduleSuffixes) {
    if (moduleSuffix === "") files.push(tail + suffix);
    else if (tail.length > moduleSuffix.length && tail.endsWith(moduleSuffix)) {
      const stem = tail.slice(0, -moduleSuffix.length);
      // A package's `__init__` file makes the package only: no `__init____skel` module.
      if (stem !== "__init__") files.push(stem + suffix);
    }
  }
  return files;
}

/** The module names (last components) a file `stem + suffix` makes under `hook`. */
export function modulesOfStem(stem: string, hook: FileHook): readonly string[] {
  const moduleSuffixes = hook.moduleSuffixes;
  if (moduleSuffixes === undefined || stem === "__init__") return [stem];
  return moduleSuffixes.map((moduleSuffix) => stem + moduleSuffix);
}

export class FileHookRegistry {
  private readonly hooks = new OrderedList<FileHook>("file hook");
  private flattened: readonly SuffixHook[] | null = null;

  constructor(hooks: readonly FileHook[] = []) {
    for (const hook of hooks) this.hooks.add(hook.name, hook);
  }

  /** The hooks in priority order. */
  get list(): readonly FileHook[] {
    return this.hooks.items;
  }

  get names(): string[] {
    return this.hooks.names;
  }

  /** Every (suffix, hook) pair in the order finders try them. */
  get suffixHooks(): readonly SuffixHook[] {
    if (this.flattened === null) {
      this.flattened = this.hooks.items.flatMap((hook) => hook.suffixes.map((suffix) => ({ suffix, hook })));
    }
    return this.flattened;
  }

  get(name: string): FileHook {
    return this.hooks.get(name);
  }

  has(name: string): boolean {
    return this.hooks.has(name);
  }

  /** Add a hook (default: last; a number is an index). */
  add(hook: FileHook, where: Placement | number = "last"): void {
    this.hooks.add(hook.name, hook, typeof where === "number" ? { at: where } : where);
    this.flattened = null;
  }

  /** Add a hook just before the one named `name`. */
  addBefore(name: string, hook: FileHook): void {
    this.add(hook, { before: name });
  }

  remove(name: string): FileHook {
    const removed = this.hooks.remove(name);
    this.flattened = null;
    return removed;
  }

  /** Put `hook` in the place of the hook named `name`. */
  replace(name: string, hook: FileHook): void {
    if (hook.name !== name) {
      this.add(hook, { before: name });
      this.remove(name);
    } else {
      this.hooks.replace(name, hook);
    }
    this.flattened = null;
  }

  move(name: string, where: Placement): void {
    this.flattened = null;
    this.hooks.move(name, where);
  }

  /** The whole new order, naming every hook once, e.g. `registry.reorder(["source", "extension", "bytecode"])`. */
  reorder(names: readonly string[]): void {
    this.hooks.reorder(names);
    this.flattened = null;
  }
}
