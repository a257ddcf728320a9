/**
 * The snapshot workload's application: a deterministic (seeded) tree of Python modules in nested packages
 * under one top-level package `app`, written in the scenario subset of Python that importkit's executor runs
 * (../shared/scenarios/FORMAT.md, "Scenario Python") and that CPython 3.11 imports as well.
 *
 * - Shape: `app` and about one package per 12 modules, nested up to `app.a.b.c`; every package's `__init__`
 *   imports its children (`from . import x, y`), so `import app` loads every module, in a known order.
 * - Imports between modules: `from . import x`, `from ..pkg import y`, `from .m import NAME`, `import app.a.b`,
 *   `import app.a.b as c`, `from app.a import b`, `NAME = app.a.b.CONST`, `try: import … except ImportError:`
 *   (of modules that exist and of ones that do not), `import sys`. A module imports only modules that are
 *   complete when it runs (earlier in the load order, not one of its own packages), so no circular-import
 *   subtlety decides whether it works.
 * - Bodies: module docstrings, comments, constants (ints, floats, str, bytes, booleans, None, and lists, tuples,
 *   dicts, sets of literals, some as multi-line tables), `NAME = OTHER`, `del`, `__all__`, and `def`/`class`
 *   with docstrings whose bodies hold only `pass`, a docstring or literal assignments.
 * - Sizes: each module's size in bytes is drawn from the CPython 3.11 standard library's `.py` sizes
 *   ({@link STDLIB_PY_SIZE_QUANTILES}) by stratified sampling (module i of N gets the size at quantile
 *   (i + 0.5) / N, the sizes then shuffled), and the text is padded to exactly that size with a comment. Only
 *   a file whose required imports alone are longer than its draw comes out bigger.
 *
 *   node --import tsx bench/snapshot-app.ts [--modules N] [--seed S] [DIR]   (default bench/build/snapshot-app)
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { buildDir } from "./repo-paths.js";

/**
 * Quantiles of the sizes (bytes) of CPython 3.11.7's standard-library `.py` files: [quantile, bytes], linear
 * interpolation between order statistics (numpy's default). Measured once, on the development VM, from
 * `python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'` (pyenv 3.11.7,
 * $PYENV_ROOT/versions/3.11.7/lib/python3.11) with os.walk over the top level and every package: 650 files,
 * 11,289,032 bytes, mean 17,368, median 8,530, 3 empty, 42 `__init__.py`. Excluded: the regression tests
 * `test/` and every `test`/`tests`/`idle_test` directory inside a package (lib2to3/tests, tkinter/test,
 * ctypes/test, unittest/test, distutils/tests, …), the IDLE application `idlelib/`, the demo scripts
 * `turtledemo/`, the frozen-module fixture `__phello__/`, `site-packages/`, the build files `config-3.11-*`
 * and `__pycache__/`. The largest files: pydoc_data/topics.py 757,011 (the 1.0 point), _pydecimal.py 229,202,
 * tkinter/__init__.py 171,717, turtle.py 144,360. Kept here so the bench never reads the machine's stdlib.
 */
export const STDLIB_PY_SIZE_QUANTILES: readonly (readonly [number, number])[] = [
  [0, 0],
  [0.025, 143],
  [0.05, 323],
  [0.1, 884],
  [0.15, 1055],
  [0.2, 1505],
  [0.25, 2208],
  [0.3, 2917],
  [0.35, 3916],
  [0.4, 5457],
  [0.45, 6694],
  [0.5, 8530],
  [0.55, 10717],
  [0.6, 12428],
  [0.65, 13400],
  [0.7, 14156],
  [0.75, 19507],
  [0.8, 24645],
  [0.85, 32435],
  [0.9, 37429],
  [0.925, 48834],
  [0.95, 63621],
  [0.975, 91071],
  [0.99, 108080],
  [0.995, 139432],
  [0.998, 211962],
  [1, 757011],
];

/** The size at quantile `p` of the table, interpolated linearly between its points. */
export function stdlibSizeAt(p: number): number {
  const table = STDLIB_PY_SIZE_QUANTILES;
  if (p <= 0) return table[0]![1];
  for (let i = 1; i < table.length; i++) {
    const [p1, s1] = table[i]!;
    if (p <= p1) {
      const [p0, s0] = table[i - 1]!;
      return Math.round(s0 + ((s1 - s0) * (p - p0)) / (p1 - p0));
    }
  }
  return table[table.length - 1]![1];
}

export interface AppOptions {
  /** Modules in all, packages and `app` included (default 300). */
  readonly modules?: number;
  readonly seed?: number;
}

export interface AppModule {
  /** Dotted name, e.g. `app.net.codec`. */
  readonly name: string;
  readonly isPackage: boolean;
  /** Path of its file relative to the tree's root, e.g. `app/net/codec.py`, `app/net/__init__.py`. */
  readonly file: string;
  /** The size drawn from the stdlib's distribution. */
  readonly targetBytes: number;
  /** The file's size (UTF-8): the target, unless its required imports alone are longer. */
  readonly bytes: number;
}

export interface GeneratedApp {
  /** The module to import: `import app` loads every module. */
  readonly entry: "app";
  /** Every module, in the order `import app` loads them. */
  readonly modules: readonly AppModule[];
  /** Relative path → text, in load order. */
  readonly files: ReadonlyMap<string, string>;
  readonly packages: number;
  readonly totalBytes: number;
  /** How many of each construct the tree holds (for the test and the report). */
  readonly counts: Readonly<Record<ConstructKind, number>>;
  readonly seed: number;
}

export type ConstructKind =
  | "from_dot_import"
  | "from_dotdot_import"
  | "relative_name_import"
  | "absolute_import"
  | "absolute_import_as"
  | "absolute_from_import"
  | "attribute_constant"
  | "try_import_missing"
  | "try_import_present"
  | "import_sys"
  | "constant"
  | "container_constant"
  | "bytes_constant"
  | "def"
  | "class"
  | "alias"
  | "del"
  | "all";

export const DEFAULT_APP_MODULES = 300;
export const DEFAULT_APP_SEED = 20251121;
export const DEFAULT_APP_DIR = join(buildDir, "snapshot-app");

// ---- randomness ------------------------------------------------------------------------------------------

/** mulberry32: small, fast, and the same sequence on every platform. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Dice {
  constructor(readonly next: () => number) {}
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  /** One of the keys, with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as [K, number][];
    let total = 0;
    for (const [, w] of entries) total += w;
    let x = this.next() * total;
    for (const [k, w] of entries) {
      x -= w;
      if (x < 0) return k;
    }
    return entries[entries.length - 1]![0];
  }
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    return xs;
  }
}

// ---- vocabulary ------------------------------------------------------------------------------------------

const NOUNS = (
  "account adapter agent alias anchor archive atlas audit badge batch beacon binder block bridge broker buffer " +
  "bundle cache canvas cargo catalog cell channel chart chunk cipher circuit clock cluster codec column " +
  "command compass config console cursor daemon datum deck delta digest domain draft driver editor engine " +
  "entry event fabric facet feed fiber field filter flag fleet folder format frame gadget gate gauge glyph " +
  "graph grid group handle harbor header helper hinge index inlet journal kernel ladder layer ledger lens " +
  "lexer link loader locale lock matrix meadow medium member memo mesh meter mirror model monitor motor " +
  "needle nexus node notice number object orbit outlet packet panel parcel parser patch pilot pixel planner " +
  "plugin pointer portal prism probe profile prompt proxy pulse quota radar ranger reader record relay " +
  "render replica report router ruler sampler scale schema scope sensor shard signal socket source spindle " +
  "spool stack stamp status stream switch symbol table tablet tally target teller tensor thread ticket " +
  "timer token tracer tunnel valve vector venue vertex viewer voucher widget window worker writer zone"
).split(" ");
const VERBS = (
  "accept adjust allocate append apply assemble attach balance bind build check clear close collect compile " +
  "compose compute convert copy count create decode define delete deliver detect drain emit encode expand " +
  "fetch filter find flush format freeze gather guard handle hash join launch load lookup map measure merge " +
  "mount normalize open pack parse patch poll prepare probe publish push query read refresh register render " +
  "reset resolve restore route sample scan schedule select send serialize sort split start stop store sync " +
  "tag track transform trim unpack update validate visit wait watch wrap write"
).split(" ");
const ADJECTIVES = (
  "active basic cached compact default direct dynamic early empty extra final fixed global hidden initial " +
  "inner local lower main major minimal native nested normal open outer partial plain primary private public " +
  "quick raw remote reserved safe shared short simple single small stable static strict total upper valid"
).split(" ");
const WORDS = [...NOUNS, ...VERBS, ...ADJECTIVES, "the", "a", "of", "to", "and", "is", "for", "in", "when"];
const KEYWORDS = new Set(
  (
    "False None True and as assert async await break class continue def del elif else except finally for " +
    "from global if import in is lambda nonlocal not or pass raise return try while with yield match case " +
    "type app sys"
  ).split(" "),
);
const MODULE_NAMES = NOUNS.filter((w) => !KEYWORDS.has(w));

// ---- literals --------------------------------------------------------------------------------------------

class Literals {
  constructor(private readonly d: Dice) {}

  words(lo: number, hi: number): string {
    const n = this.d.int(lo, hi);
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(this.d.pick(WORDS));
    return out.join(" ");
  }

  int(): string {
    const d = this.d;
    switch (d.weighted({ small: 5, large: 2, hex: 1, neg: 1, grouped: 1, huge: 0.15 })) {
      case "small":
        return String(d.int(0, 100));
      case "large":
        return String(d.int(0, 2 ** 31));
      case "hex":
        return `0x${d.int(0, 0xffffff).toString(16).toUpperCase()}`;
      case "neg":
        return `-${d.int(1, 5000)}`;
      case "grouped":
        return `${d.int(1, 999)}_${String(d.int(0, 999)).padStart(3, "0")}_000`;
      default:
        return `0x${"F".repeat(d.int(17, 40))}`; // beyond 64 bits
    }
  }

  float(): string {
    const d = this.d;
    switch (d.weighted({ plain: 4, exp: 1, neg: 1 })) {
      case "plain":
        return `${d.int(0, 999)}.${d.int(0, 99)}`;
      case "exp":
        return `${d.int(1, 9)}.${d.int(0, 9)}e${d.chance(0.5) ? "-" : ""}${d.int(1, 30)}`;
      default:
        return `-${d.int(0, 99)}.${d.int(1, 99)}`;
    }
  }

  str(): string {
    const d = this.d;
    let body = this.words(1, 6);
    if (d.chance(0.1)) body = `${body}\\n`;
    if (d.chance(0.05)) body = `${body}\\t${this.words(1, 2)}`;
    if (d.chance(0.04)) body = `${body} caf\u00e9 \u00fcber`; // UTF-8 in the source
    if (d.chance(0.03)) body = `${body} \\u00e9\\x41`;
    if (d.chance(0.03)) body = `${body}\\\\`;
    const q = d.chance(0.6) ? '"' : "'";
    return `${q}${body}${q}`;
  }

  scalar(): string {
    switch (this.d.weighted({ int: 4, float: 1.5, str: 4, bytes: 0.7, bool: 0.6, none: 0.4 })) {
      case "int":
        return this.int();
      case "float":
        return this.float();
      case "str":
        return this.str();
      case "bytes":
        return this.bytesLiteral();
      case "bool":
        return this.d.chance(0.5) ? "True" : "False";
      default:
        return "None";
    }
  }

  bytesLiteral(): string {
    const d = this.d;
    let body = "";
    const n = d.int(1, 12);
    for (let i = 0; i < n; i++) {
      body += d.chance(0.5) ? `\\x${d.int(0, 255).toString(16).padStart(2, "0")}` : d.pick(NOUNS).slice(0, 3);
    }
    const q = d.chance(0.7) ? '"' : "'";
    return `b${q}${body}${q}`;
  }

  /** A hashable literal for a set or a dict key: distinct ints or strs. */
  key(kind: "int" | "str", i: number): string {
    return kind === "int" ? String(i * this.d.int(1, 9) + i) : `"${this.d.pick(NOUNS)}_${i}"`;
  }

  /** A list, tuple, dict or set of literals; wide ones are written one element per line. */
  container(indent: string, maxItems: number, depth = 0): string {
    const d = this.d;
    const kind = d.weighted({ list: 3, tuple: 3, dict: 3, set: 1 });
    const n = kind === "set" ? d.int(1, maxItems) : d.int(0, maxItems);
    const keyKind = d.chance(0.6) ? "str" : "int";
    const items: string[] = [];
    for (let i = 0; i < n; i++) {
      const value =
        depth < 1 && d.chance(0.12) ? this.container(`${indent}    `, 4, depth + 1) : this.scalar();
      if (kind === "dict") items.push(`${this.key(keyKind, i)}: ${value}`);
      else if (kind === "set") items.push(this.key(keyKind, i));
      else items.push(value);
    }
    const [open, close] = kind === "list" ? ["[", "]"] : kind === "tuple" ? ["(", ")"] : ["{", "}"];
    if (n === 0) return kind === "dict" ? "{}" : kind === "list" ? "[]" : "()";
    const oneLine = items.join(", ");
    if (oneLine.length + indent.length < 80 && !oneLine.includes("\n")) {
      return kind === "tuple" && n === 1 ? `(${items[0]},)` : `${open}${oneLine}${close}`;
    }
    const inner = `${indent}    `;
    return `${open}\n${items.map((item) => `${inner}${item},\n`).join("")}${indent}${close}`;
  }
}

// ---- the tree --------------------------------------------------------------------------------------------

interface Node {
  readonly name: string;
  /** The last part. */
  readonly leaf: string;
  readonly isPackage: boolean;
  readonly parent: Node | null;
  readonly depth: number;
  readonly children: Node[];
  targetBytes: number;
  /** Names bound at module level that another module may import by name (constants, functions, classes). */
  exports: string[];
  order: number;
}

function makeTree(count: number, d: Dice): Node[] {
  const root: Node = {
    name: "app",
    leaf: "app",
    isPackage: true,
    parent: null,
    depth: 0,
    children: [],
    targetBytes: 0,
    exports: [],
    order: 0,
  };
  const packages: Node[] = [root];
  const all: Node[] = [root];
  const taken = new Map<Node, Set<string>>([[root, new Set()]]);
  const child = (parent: Node, isPackage: boolean): Node => {
    const used = taken.get(parent)!;
    let leaf = d.pick(MODULE_NAMES);
    for (let k = 2; used.has(leaf); k++) leaf = `${d.pick(MODULE_NAMES)}${k > 6 ? k : ""}`;
    used.add(leaf);
    const node: Node = {
      name: `${parent.name}.${leaf}`,
      leaf,
      isPackage,
      parent,
      depth: parent.depth + 1,
      children: [],
      targetBytes: 0,
      exports: [],
      order: 0,
    };
    parent.children.push(node);
    all.push(node);
    if (isPackage) {
      packages.push(node);
      taken.set(node, new Set());
    }
    return node;
  };
  const packageCount = Math.max(2, Math.round(count / 12));
  for (let i = 1; i < packageCount && all.length < count; i++) {
    // Shallow packages more often than deep ones (app.x, app.x.y, app.x.y.z).
    const candidates = packages.filter((p) => p.depth < 3);
    const parent = d.chance(0.35) ? root : d.pick(candidates);
    child(parent, true);
  }
  // Every package but `app` gets at least one module, the rest go anywhere.
  for (const p of packages.slice(1)) if (all.length < count) child(p, false);
  while (all.length < count) child(d.pick(packages), false);
  return all;
}

/** The order `import app` loads modules: a package, then each child in the order its `__init__` lists them. */
function loadOrder(root: Node): Node[] {
  const out: Node[] = [];
  const visit = (node: Node) => {
    node.order = out.length;
    out.push(node);
    for (const c of node.children) visit(c);
  };
  visit(root);
  return out;
}

function isAncestor(pkg: Node, of: Node): boolean {
  for (let p = of.parent; p !== null; p = p.parent) if (p === pkg) return true;
  return false;
}

/** `from <dots><rest> import <leaf>` for `target` as seen from the package of `from`. */
function relativeFrom(from: Node, target: Node): { module: string; dots: number } {
  const pkg = from.isPackage ? from : from.parent!;
  const pkgParts = pkg.name.split(".");
  const targetParts = target.name.split(".").slice(0, -1); // the target's package
  let common = 0;
  while (common < pkgParts.length && common < targetParts.length && pkgParts[common] === targetParts[common])
    common++;
  const dots = pkgParts.length - common + 1;
  return { module: targetParts.slice(common).join("."), dots };
}

// ---- one module's text ----------------------------------------------------------------------------------

class ModuleWriter {
  private readonly parts: string[] = [];
  private size = 0;
  /** Names bound so far at module level (for `NAME = OTHER` and `del`). */
  readonly bound: string[] = [];
  readonly exports: string[] = [];

  add(text: string): void {
    this.parts.push(text);
    this.size += Buffer.byteLength(text);
  }

  get bytes(): number {
    return this.size;
  }

  text(): string {
    return this.parts.join("");
  }
}

class AppGenerator {
  private readonly lit: Literals;
  private missingCounter = 0;
  readonly counts: Record<ConstructKind, number> = {
    from_dot_import: 0,
    from_dotdot_import: 0,
    relative_name_import: 0,
    absolute_import: 0,
    absolute_import_as: 0,
    absolute_from_import: 0,
    attribute_constant: 0,
    try_import_missing: 0,
    try_import_present: 0,
    import_sys: 0,
    constant: 0,
    container_constant: 0,
    bytes_constant: 0,
    def: 0,
    class: 0,
    alias: 0,
    del: 0,
    all: 0,
  };

  /** The constructs of the body item being made, counted once it is written. */
  private pending: ConstructKind[] = [];

  constructor(private readonly d: Dice) {
    this.lit = new Literals(d);
  }

  docstring(indent: string, maxBytes: number): string {
    const d = this.d;
    const lines: string[] = [];
    const first = this.lit.words(3, 9);
    lines.push(first.charAt(0).toUpperCase() + first.slice(1) + ".");
    let size = first.length + 8;
    if (maxBytes > 200 && d.chance(0.6)) {
      lines.push("");
      const paragraphs = d.int(1, 3);
      for (let p = 0; p < paragraphs && size < maxBytes; p++) {
        const n = d.int(1, 6);
        for (let i = 0; i < n && size < maxBytes; i++) {
          const line = this.lit.words(6, 11);
          lines.push(line);
          size += line.length + indent.length + 1;
        }
        if (p < paragraphs - 1) lines.push("");
      }
    }
    if (lines.length === 1) return `${indent}"""${lines[0]}"""\n`;
    return `${indent}"""${lines.map((l, i) => (i === 0 || l === "" ? l : indent + l)).join("\n")}\n${indent}"""\n`;
  }

  private constantName(): string {
    const name = `${this.d.pick([...NOUNS, ...ADJECTIVES]).toUpperCase()}_${this.d.pick(NOUNS).toUpperCase()}`;
    return this.d.chance(0.15) ? `_${name}` : name;
  }

  private bind(w: ModuleWriter, name: string, exported: boolean): void {
    w.bound.push(name);
    if (exported && !name.startsWith("_")) w.exports.push(name);
  }

  constant(w: ModuleWriter): string {
    const d = this.d;
    const name = this.constantName();
    let value: string;
    const kind = d.weighted({ scalar: 5, container: 3, table: 0.4, bytes: 0.6 });
    if (kind === "scalar") value = this.lit.scalar();
    else if (kind === "bytes") {
      value = this.lit.bytesLiteral();
      this.pending.push("bytes_constant");
    } else {
      value = this.lit.container("", kind === "table" ? 40 : 8);
      this.pending.push("container_constant");
    }
    this.pending.push("constant");
    this.bind(w, name, true);
    return `${name} = ${value}\n`;
  }

  functionDef(w: ModuleWriter): string {
    const d = this.d;
    const name = `${d.chance(0.2) ? "_" : ""}${d.pick(VERBS)}_${d.pick(NOUNS)}`;
    const params: string[] = [];
    const np = d.int(0, 4);
    const used = new Set<string>();
    let defaults = false;
    for (let i = 0; i < np; i++) {
      let p = d.pick(NOUNS);
      while (used.has(p) || KEYWORDS.has(p)) p = `${d.pick(NOUNS)}${i}`;
      used.add(p);
      if (defaults || d.chance(0.3)) {
        defaults = true;
        params.push(`${p}=${this.lit.scalar()}`);
      } else params.push(p);
    }
    if (d.chance(0.1) && params.length > 0 && !defaults) params.push("/");
    if (d.chance(0.15)) params.push("*args");
    else if (d.chance(0.1)) params.push("*", `${d.pick(ADJECTIVES)}_flag=False`);
    if (d.chance(0.15)) params.push("**kwargs");
    let body = "";
    if (d.chance(0.8)) body += this.docstring("    ", 400);
    const assigns = d.int(0, 3);
    for (let i = 0; i < assigns; i++) body += `    ${d.pick(NOUNS)}_value = ${this.lit.scalar()}\n`;
    if (body === "" || d.chance(0.1)) body += "    pass\n";
    this.pending.push("def");
    this.bind(w, name, true);
    return `\n\ndef ${name}(${params.join(", ")}):\n${body}`;
  }

  classDef(w: ModuleWriter): string {
    const d = this.d;
    const name = `${d.chance(0.1) ? "_" : ""}${cap(d.pick(ADJECTIVES))}${cap(d.pick(NOUNS))}`;
    let body = "";
    if (d.chance(0.85)) body += this.docstring("    ", 600);
    const attrs = d.int(0, 8);
    for (let i = 0; i < attrs; i++) {
      const attr = `${d.pick(NOUNS)}${d.chance(0.3) ? `_${d.pick(NOUNS)}` : ""}`;
      body += `    ${attr} = ${d.chance(0.2) ? this.lit.container("    ", 5) : this.lit.scalar()}\n`;
    }
    if (body === "") body = "    pass\n";
    this.pending.push("class");
    this.bind(w, name, true);
    return `\n\nclass ${name}${d.chance(0.2) ? "()" : ""}:\n${body}`;
  }

  comment(): string {
    const n = this.d.int(1, 4);
    let out = "";
    for (let i = 0; i < n; i++) out += `# ${this.lit.words(4, 12)}\n`;
    return out;
  }

  alias(w: ModuleWriter): string | null {
    const named = w.bound.filter((b) => /^[A-Z_]/.test(b));
    if (named.length === 0) return null;
    const other = this.d.pick(named);
    const name = `${other.replace(/^_+/, "")}_ALIAS${this.d.int(0, 99)}`;
    this.pending.push("alias");
    this.bind(w, name, false);
    return `${name} = ${other}\n`;
  }

  deleted(): string {
    const name = `_TMP_${this.d.pick(NOUNS).toUpperCase()}`;
    this.pending.push("del");
    return `${name} = ${this.lit.scalar()}\ndel ${name}\n`;
  }

  /** `try: import …` of a module that does not exist (a path search that fails), or of one that does. */
  tryImport(w: ModuleWriter, node: Node, earlier: readonly Node[]): string {
    const d = this.d;
    const siblings = earlier.filter((e) => e.parent === node.parent && e !== node && !e.isPackage);
    if (siblings.length > 0 && d.chance(0.35) && !node.isPackage) {
      const s = d.pick(siblings);
      this.counts.try_import_present++;
      this.bind(w, s.leaf, false);
      return `try:\n    from . import ${s.leaf}\nexcept ImportError:\n    ${s.leaf} = None\nelse:\n    HAVE_${s.leaf.toUpperCase()} = True\n`;
    }
    const missing = `appx_missing_${this.missingCounter++}`;
    this.counts.try_import_missing++;
    switch (d.int(0, 2)) {
      case 0:
        this.bind(w, missing, false);
        return `try:\n    import ${missing}\nexcept ImportError:\n    ${missing} = None\n`;
      case 1:
        return `try:\n    from .${missing} import helper as _helper\nexcept ModuleNotFoundError:\n    _helper = None\n`;
      default:
        return `try:\n    import ${missing}\nexcept ImportError as e:\n    _IMPORT_ERROR = "${missing} is optional"\n`;
    }
  }

  /** An import of an earlier, complete module, in one of the forms the workload covers. */
  crossImport(w: ModuleWriter, node: Node, done: readonly Node[]): string | null {
    const d = this.d;
    const target = d.pick(done);
    const rel = relativeFrom(node, target);
    const withExports = target.exports.length > 0;
    // Attribute chains through `app.x.y` need every package on the way complete (set on its parent).
    const chainComplete = !target.name
      .split(".")
      .slice(1, -1)
      .some((_, i, parts) => isAncestorName(`app.${parts.slice(0, i + 1).join(".")}`, node));
    const form = d.weighted({
      relative: 4,
      relativeName: withExports ? 2 : 0,
      absolute: 1.5,
      absoluteAs: 1,
      absoluteFrom: 1.5,
      attribute: withExports && chainComplete ? 1 : 0,
    });
    const dots = ".".repeat(rel.dots);
    switch (form) {
      case "relative":
        if (rel.dots === 1 && rel.module === "") this.counts.from_dot_import++;
        else if (rel.dots > 1) this.counts.from_dotdot_import++;
        else this.counts.from_dot_import++;
        this.bind(w, target.leaf, false);
        return `from ${dots}${rel.module} import ${target.leaf}\n`;
      case "relativeName": {
        const names = pickSome(d, target.exports, 3);
        this.counts.relative_name_import++;
        const mod = rel.module === "" ? target.leaf : `${rel.module}.${target.leaf}`;
        for (const n of names) this.bind(w, n, false);
        return `from ${dots}${mod} import ${names.join(", ")}\n`;
      }
      case "absolute":
        this.counts.absolute_import++;
        return `import ${target.name}\n`;
      case "absoluteAs": {
        const alias = `_${target.leaf}_mod`;
        this.counts.absolute_import_as++;
        this.bind(w, alias, false);
        return `import ${target.name} as ${alias}\n`;
      }
      case "absoluteFrom":
        this.counts.absolute_from_import++;
        this.bind(w, target.leaf, false);
        return `from ${target.parent!.name} import ${target.leaf}\n`;
      default: {
        const name = d.pick(target.exports);
        this.counts.attribute_constant++;
        const local = `${name.replace(/^_+/, "").toUpperCase()}_FROM_${target.leaf.toUpperCase()}`;
        this.bind(w, local, false);
        return `import ${target.name}\n${local} = ${target.name}.${name}\n`;
      }
    }
  }

  module(node: Node, earlier: readonly Node[]): string {
    const d = this.d;
    const w = new ModuleWriter();
    const target = node.targetBytes;
    const children = node.children.map((c) => c.leaf);
    const childImport =
      children.length === 0
        ? ""
        : `from . import ${children.join(", ")}`.length <= 100
          ? `from . import ${children.join(", ")}\n`
          : `from . import (\n${children.map((c) => `    ${c},\n`).join("")})\n`;
    const required = Buffer.byteLength(childImport);
    if (target === 0 && required === 0) return "";
    const budget = () => target - w.bytes - required;

    if (d.chance(0.95) && target - required > 60) w.add(this.docstring("", Math.min(2000, target * 0.2)));
    if (budget() > 400 && d.chance(0.15)) {
      w.add("import sys\n");
      this.counts.import_sys++;
      this.bind(w, "sys", false);
    }
    const done = earlier.filter((e) => !isAncestor(e, node));
    const wanted = done.length === 0 ? 0 : Math.min(d.int(0, 5), Math.floor(budget() / 120));
    const seen = new Set<string>();
    for (let i = 0; i < wanted; i++) {
      const line = this.crossImport(w, node, done);
      if (line !== null && !seen.has(line)) {
        seen.add(line);
        w.add(line);
      }
    }
    if (budget() > 300 && d.chance(0.12)) w.add(this.tryImport(w, node, earlier));
    if (childImport !== "") w.add(childImport);
    if (w.bytes > 0 && budget() > 100) w.add("\n");

    // The body, item by item, while an item fits; then `__all__` (sometimes), then a comment pads the file to
    // its exact size.
    const allReserve = budget() > 3000 && d.chance(0.3) ? 300 : 0;
    let misses = 0;
    while (budget() - allReserve > 64 && misses < 8) {
      this.pending = [];
      const kind = d.weighted({
        constant: 40,
        def: 22,
        class: 10,
        comment: 14,
        alias: 3,
        del: 1.5,
        blank: 6,
      });
      let item: string | null;
      switch (kind) {
        case "constant":
          item = this.constant(w);
          break;
        case "def":
          item = this.functionDef(w);
          break;
        case "class":
          item = this.classDef(w);
          break;
        case "comment":
          item = this.comment();
          break;
        case "alias":
          item = this.alias(w);
          break;
        case "del":
          item = this.deleted();
          break;
        default:
          item = "\n";
      }
      if (item === null) continue;
      if (Buffer.byteLength(item) > budget() - allReserve - 2) {
        misses++;
        // Undo a binding the text will not make.
        unbindLast(w, item);
        continue;
      }
      w.add(item);
      for (const k of this.pending) this.counts[k]++;
    }
    if (allReserve > 0 && w.exports.length > 1) {
      let names = [...new Set(w.exports)];
      const allText = () => `__all__ = [${names.map((e) => `"${e}"`).join(", ")}]\n`;
      while (names.length > 1 && Buffer.byteLength(allText()) > budget() - 2) names = names.slice(0, -1);
      w.add(allText());
      this.counts.all++;
    }
    w.add(padding(budget()));
    node.exports = w.exports;
    return w.text();
  }
}

function isAncestorName(pkgName: string, of: Node): boolean {
  for (let p = of.parent; p !== null; p = p.parent) if (p.name === pkgName) return true;
  return false;
}

function pickSome(d: Dice, xs: readonly string[], max: number): string[] {
  const n = Math.min(xs.length, d.int(1, max));
  return d.shuffle([...new Set(xs)]).slice(0, n);
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Forget the names an item that was not written would have bound (items bind as they are made). */
function unbindLast(w: ModuleWriter, item: string): void {
  const m = /^(?:\n\n(?:def|class) )?([A-Za-z_][A-Za-z0-9_]*)/.exec(item);
  const name = m?.[1];
  if (name === undefined) return;
  const b = w.bound.lastIndexOf(name);
  if (b >= 0) w.bound.splice(b, 1);
  const e = w.exports.lastIndexOf(name);
  if (e >= 0) w.exports.splice(e, 1);
}

/** Exactly `n` bytes of ASCII: a comment line (or blank lines when `n` < 3). */
function padding(n: number): string {
  if (n <= 0) return "";
  if (n < 3) return "\n".repeat(n);
  let text = "#";
  const filler = "padding to the size drawn from the standard library's distribution";
  while (text.length < n - 1) text += ` ${filler}`.slice(0, n - 1 - text.length);
  return `${text}\n`;
}

// ---- public --------------------------------------------------------------------------------------------

export function generateApp(options: AppOptions = {}): GeneratedApp {
  const count = options.modules ?? DEFAULT_APP_MODULES;
  const seed = options.seed ?? DEFAULT_APP_SEED;
  if (!Number.isInteger(count) || count < 2)
    throw new Error(`the app needs at least 2 modules, not ${count}`);
  const d = new Dice(rng(seed));
  const nodes = makeTree(count, d);
  const order = loadOrder(nodes[0]!);
  // Stratified draw from the stdlib's size distribution, shuffled over the modules.
  const sizes = d.shuffle(order.map((_, i) => stdlibSizeAt((i + 0.5) / order.length)));
  order.forEach((node, i) => {
    node.targetBytes = sizes[i]!;
  });
  const gen = new AppGenerator(d);
  const files = new Map<string, string>();
  const modules: AppModule[] = [];
  let totalBytes = 0;
  for (const node of order) {
    const text = gen.module(node, order.slice(0, node.order));
    const file = node.isPackage
      ? `${node.name.replaceAll(".", "/")}/__init__.py`
      : `${node.name.replaceAll(".", "/")}.py`;
    const bytes = Buffer.byteLength(text);
    files.set(file, text);
    modules.push({ name: node.name, isPackage: node.isPackage, file, targetBytes: node.targetBytes, bytes });
    totalBytes += bytes;
  }
  return {
    entry: "app",
    modules,
    files,
    packages: order.filter((n) => n.isPackage).length,
    totalBytes,
    counts: { ...gen.counts },
    seed,
  };
}

/** Writes the tree into `dir` (emptied first: no stale files, no `__pycache__`). */
export function writeApp(app: GeneratedApp, dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  for (const [file, text] of app.files) {
    const path = join(dir, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
}

/** Quantiles of the generated sizes, for comparison with {@link STDLIB_PY_SIZE_QUANTILES}. */
export function sizeQuantiles(app: GeneratedApp, ps: readonly number[]): [number, number][] {
  const xs = app.modules.map((m) => m.bytes).sort((a, b) => a - b);
  return ps.map((p) => {
    const k = (xs.length - 1) * p;
    const lo = Math.floor(k);
    const hi = Math.min(lo + 1, xs.length - 1);
    return [p, Math.round(xs[lo]! + (xs[hi]! - xs[lo]!) * (k - lo))];
  });
}

function main(argv: readonly string[]): void {
  let modules = DEFAULT_APP_MODULES;
  let seed = DEFAULT_APP_SEED;
  let dir = DEFAULT_APP_DIR;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--modules") modules = Number(argv[++i]);
    else if (arg === "--seed") seed = Number(argv[++i]);
    else dir = resolve(arg);
  }
  const app = generateApp({ modules, seed });
  writeApp(app, dir);
  const over = app.modules.filter((m) => m.bytes > m.targetBytes).length;
  console.log(
    JSON.stringify({
      dir,
      entry: app.entry,
      modules: app.modules.length,
      packages: app.packages,
      total_bytes: app.totalBytes,
      over_target: over,
      quantiles: sizeQuantiles(app, [0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1]),
      counts: app.counts,
    }),
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2));
}
