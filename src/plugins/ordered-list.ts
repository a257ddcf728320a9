/**
 * A named, ordered list that plugins edit: the importer list, the path hooks. Every item has a unique name
 * ("builtin", "frozen", "path"; "zip", "directory"); positions are given relative to names, so
 * plugins compose without knowing each other's indices. Unknown names fail loudly, listing the known ones.
 */

/** Where to put an item: first, last (the default), at an index, or next to a named item. */
export type Placement =
  | "first"
  | "last"
  | { readonly at: number }
  | { readonly before: string }
  | { readonly after: string };

export class OrderedList<T> {
  private entries: { name: string; item: T }[] = [];

  constructor(
    /** What the list holds, for error messages ("importer", "path hook"). */
    private readonly kind: string,
    initial: readonly (readonly [name: string, item: T])[] = [],
  ) {
    for (const [name, item] of initial) this.add(name, item);
  }

  get names(): string[] {
    return this.entries.map((e) => e.name);
  }

  get items(): T[] {
    return this.entries.map((e) => e.item);
  }

  has(name: string): boolean {
    return this.entries.some((e) => e.name === name);
  }

  get(name: string): T {
    return this.entries[this.indexOf(name)]!.item;
  }

  add(name: string, item: T, where: Placement = "last"): this {
    if (this.has(name))
      throw new Error(
        `there is already ${article(this.kind)} ${this.kind} named '${name}' (${this.describe()})`,
      );
    this.entries.splice(this.position(where), 0, { name, item });
    return this;
  }

  remove(name: string): T {
    const [removed] = this.entries.splice(this.indexOf(name), 1);
    return removed!.item;
  }

  /** Put another item in `name`'s place (same name, same position). */
  replace(name: string, item: T): this {
    this.entries[this.indexOf(name)]!.item = item;
    return this;
  }

  /** Move a named item. */
  move(name: string, where: Placement): this {
    const from = this.indexOf(name);
    // The target is found with the item still in place (a bad placement changes nothing), then shifted
    // for its removal.
    let to = this.position(where);
    if (to > from) to--;
    const [entry] = this.entries.splice(from, 1);
    this.entries.splice(to, 0, entry!);
    return this;
  }

  /** The new order, naming every item exactly once. */
  reorder(names: readonly string[]): this {
    const missing = this.names.filter((n) => !names.includes(n));
    if (missing.length > 0 || names.length !== this.entries.length || new Set(names).size !== names.length) {
      throw new Error(
        `reorder must name every ${this.kind} once: got [${names.join(", ")}], have [${this.describe()}]`,
      );
    }
    this.entries = names.map((n) => this.entries[this.indexOf(n)]!);
    return this;
  }

  private position(where: Placement): number {
    if (where === "first") return 0;
    if (where === "last") return this.entries.length;
    if ("at" in where) {
      if (!Number.isInteger(where.at) || where.at < 0 || where.at > this.entries.length) {
        throw new Error(`no position ${where.at} in the ${this.kind} list (0–${this.entries.length})`);
      }
      return where.at;
    }
    if ("before" in where) return this.indexOf(where.before);
    return this.indexOf(where.after) + 1;
  }

  private indexOf(name: string): number {
    const i = this.entries.findIndex((e) => e.name === name);
    if (i < 0) throw new Error(`no ${this.kind} named '${name}' (have: ${this.describe()})`);
    return i;
  }

  private describe(): string {
    return this.names.join(", ") || "none";
  }
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? "an" : "a";
}
