/**
 * Input N of a run: a seed file picked by the input's own RNG, then 1–8 stacked mutations aimed at a marshal
 * reader's weak spots: bit flips; bytes set to interesting values (0, 0xff, 0x7f, 0x80, every type code with
 * and without FLAG_REF, 'r'); interesting i32s; length fields (i32 of `s t u a A ( [ < > l`, u8 of `z Z )`)
 * and ref indices set huge, negative or off by one; truncations; extensions; insertions and deletions;
 * splices of two seed files; deep nesting runs (`)\x01` …); and for pycs, another version's magic or bad
 * header flags. Each mutation is described, so a finding says how its input was made.
 */
import type { SeedFile } from "./corpus.js";
import { Rng } from "./rng.js";

export interface FuzzInput {
  readonly index: number;
  readonly seed: SeedFile;
  readonly bytes: Uint8Array;
  /** e.g. ["bitflip@123.4", "truncate@500"] */
  readonly steps: readonly string[];
}

const TYPE_CODES = "0NFTS.iIlfgxysturaAzZ)([{<>:c?".split("").map((c) => c.charCodeAt(0));
const INTERESTING_BYTES = [
  0x00,
  0xff,
  0x7f,
  0x80,
  0x01,
  0xfe,
  0x72,
  0xf2,
  ...TYPE_CODES,
  ...TYPE_CODES.map((c) => c | 0x80),
];
const I32_LENGTH = new Set("stuaA([<>lr".split("").map((c) => c.charCodeAt(0)));
const U8_LENGTH = new Set("zZ)".split("").map((c) => c.charCodeAt(0)));
const INTERESTING_I32 = [
  0, 1, -1, 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, -0x80000000, 0x40000000,
  0x01000000, 0x00ffffff, 0x3fffffff, -2, -0x7fffffff,
];
const MAGICS = [3379, 3394, 3413, 3425, 3439, 3495, 3531, 3571, 3627, 3450, 3500, 0, 0xffff];
/** Deep-nesting runs: each unit opens a container (or code/slice) whose first child is the next unit. */
const NESTING_UNITS: readonly number[][] = [
  [0x29, 0x01], // ) n=1
  [0xa9, 0x01], // ) with FLAG_REF
  [0x28, 0x01, 0, 0, 0], // ( n=1
  [0x5b, 0x01, 0, 0, 0], // [ n=1
  [0xdb, 0x01, 0, 0, 0], // [ with FLAG_REF
  [0x3c, 0x01, 0, 0, 0], // < n=1
  [0x3e, 0x01, 0, 0, 0], // > n=1
  [0x7b], // { (key is the next unit)
  [0x3a], // : slice (start is the next unit)
];

type Mutation = (
  rng: Rng,
  bytes: Uint8Array,
  seed: SeedFile,
  others: readonly SeedFile[],
) => [Uint8Array, string];

function writeI32(b: Uint8Array, at: number, v: number): void {
  for (let k = 0; k < 4 && at + k < b.length; k++) b[at + k] = (v >>> (8 * k)) & 0xff;
}

/** The parts, one after another, in a new array. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Positions whose byte (FLAG_REF masked) is in `codes`; -1 when none. */
function pickTypeByte(rng: Rng, b: Uint8Array, codes: ReadonlySet<number>, from = 0): number {
  const table = new Uint8Array(128);
  for (const c of codes) table[c] = 1;
  let hits = 0;
  for (let i = from; i < b.length; i++) hits += table[b[i]! & 0x7f]!;
  if (hits === 0) return -1;
  let k = rng.below(hits);
  for (let i = from; i < b.length; i++) if (table[b[i]! & 0x7f] && k-- === 0) return i;
  return -1;
}

function headerSize(seed: SeedFile): number {
  return seed.kind === "raw" ? 0 : seed.version === "3.6" ? 12 : 16;
}

/** Body positions (after the header) are where the reader's work is; the header gets its own mutations. */
function bodyPos(rng: Rng, b: Uint8Array, seed: SeedFile): number {
  const h = headerSize(seed);
  return b.length > h && rng.chance(0.95) ? rng.between(h, b.length - 1) : rng.below(b.length);
}

const mutations: readonly (readonly [number, string, Mutation])[] = [
  [
    14,
    "bitflip",
    (rng, b, seed) => {
      const out = b.slice();
      const at = bodyPos(rng, out, seed);
      const bit = rng.below(8);
      if (out.length) out[at] = out[at]! ^ (1 << bit);
      return [out, `bitflip@${at}.${bit}`];
    },
  ],
  [
    14,
    "setbyte",
    (rng, b, seed) => {
      const out = b.slice();
      const at = bodyPos(rng, out, seed);
      const v = rng.pick(INTERESTING_BYTES);
      if (out.length) out[at] = v;
      return [out, `set@${at}=0x${v.toString(16)}`];
    },
  ],
  [
    6,
    "seti32",
    (rng, b, seed) => {
      const out = b.slice();
      const at = bodyPos(rng, out, seed);
      const v = rng.pick(INTERESTING_I32);
      writeI32(out, at, v);
      return [out, `i32@${at}=${v}`];
    },
  ],
  [
    12,
    "hugelength",
    (rng, b, seed) => {
      const out = b.slice();
      const u8 = rng.chance(0.3);
      const at = pickTypeByte(rng, out, u8 ? U8_LENGTH : I32_LENGTH, headerSize(seed));
      if (at < 0) return [out, "hugelength:none"];
      if (u8) {
        const v = rng.pick([0xff, 0x80, 0x00, 0xfe, 0x7f]);
        if (at + 1 < out.length) out[at + 1] = v;
        return [out, `u8len@${at + 1}=${v}`];
      }
      const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
      const old = at + 5 <= out.length ? view.getInt32(at + 1, true) : 0;
      const v = rng.pick([...INTERESTING_I32, old + 1, old - 1, old * 2, out.length - at, out.length]);
      writeI32(out, at + 1, v);
      return [out, `i32len@${at + 1}=${v}`];
    },
  ],
  [
    5,
    "refindex",
    (rng, b, seed) => {
      const out = b.slice();
      const at = pickTypeByte(rng, out, new Set([0x72]), headerSize(seed));
      if (at < 0 || at + 5 > out.length) return [out, "refindex:none"];
      const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
      const old = view.getInt32(at + 1, true);
      const v = rng.pick([old + 1, old - 1, old + 2, 0, -1, 0x7fffffff, -0x80000000, rng.below(64)]);
      writeI32(out, at + 1, v);
      return [out, `ref@${at + 1}=${v}`];
    },
  ],
  [
    8,
    "truncate",
    (rng, b) => {
      const n = rng.chance(0.2) ? rng.below(Math.min(b.length, 40)) : rng.below(b.length);
      return [b.slice(0, n), `truncate@${n}`];
    },
  ],
  [
    4,
    "extend",
    (rng, b) => {
      const n = rng.smallish(256);
      const tail = new Uint8Array(n);
      const filler = rng.below(3);
      for (let i = 0; i < n; i++)
        tail[i] = filler === 0 ? rng.below(256) : filler === 1 ? 0 : rng.pick(TYPE_CODES);
      return [concat(b, tail), `extend+${n}/${["random", "zeros", "typecodes"][filler]}`];
    },
  ],
  [
    4,
    "insert-delete",
    (rng, b, seed) => {
      const at = bodyPos(rng, b, seed);
      if (rng.chance(0.5)) {
        const n = rng.smallish(16);
        const ins = new Uint8Array(n);
        for (let i = 0; i < n; i++) ins[i] = rng.chance(0.5) ? rng.pick(INTERESTING_BYTES) : rng.below(256);
        return [concat(b.subarray(0, at), ins, b.subarray(at)), `insert@${at}+${n}`];
      }
      const n = rng.smallish(64);
      return [concat(b.subarray(0, at), b.subarray(Math.min(b.length, at + n))), `delete@${at}-${n}`];
    },
  ],
  [
    4,
    "copychunk",
    (rng, b, seed) => {
      const out = b.slice();
      if (out.length < 2) return [out, "copychunk:none"];
      const from = bodyPos(rng, out, seed);
      const to = bodyPos(rng, out, seed);
      const n = Math.min(rng.smallish(512), out.length - from, out.length - to);
      out.copyWithin(to, from, from + n);
      return [out, `copy@${from}->${to}+${n}`];
    },
  ],
  [
    6,
    "splice",
    (rng, b, _seed, others) => {
      const other = rng.pick(others);
      const p = rng.below(b.length + 1);
      // Prefer cutting the other file at a type byte, so its tail parses as objects.
      let q = rng.below(other.bytes.length + 1);
      if (rng.chance(0.7)) {
        const t = pickTypeByte(rng, other.bytes, new Set(TYPE_CODES), headerSize(other));
        if (t >= 0) q = t;
      }
      return [concat(b.subarray(0, p), other.bytes.subarray(q)), `splice@${p}+${other.name}@${q}`];
    },
  ],
  [
    3,
    "nesting",
    (rng, b, seed) => {
      const unit = rng.pick(NESTING_UNITS);
      const depth = rng.pick([100, 1000, 2000, 2001, 5000, 20000, 100000]);
      const at = bodyPos(rng, b, seed);
      const run = new Uint8Array(unit.length * depth);
      for (let i = 0; i < depth; i++) run.set(unit, i * unit.length);
      const rest = rng.chance(0.5) ? b.subarray(at) : Uint8Array.of(0x4e); // then the original tail, or None
      return [
        concat(b.subarray(0, at), run, rest),
        `nest@${at}:${depth}x${Buffer.from(unit).toString("hex")}`,
      ];
    },
  ],
  [
    3,
    "header",
    (rng, b, seed) => {
      const out = b.slice();
      if (seed.kind === "raw" || out.length < 8) return [out, "header:none"];
      if (rng.chance(0.6)) {
        const m = rng.pick(MAGICS);
        out[0] = m & 0xff;
        out[1] = (m >>> 8) & 0xff;
        if (rng.chance(0.1)) out[2] = rng.below(256);
        return [out, `magic=${m}`];
      }
      const flags = rng.pick([0, 1, 2, 3, 4, 5, 0x80000000, 0xffffffff]);
      writeI32(out, 4, flags);
      return [out, `flags=${flags >>> 0}`];
    },
  ],
];

const TOTAL_WEIGHT = mutations.reduce((s, [w]) => s + w, 0);

function pickMutation(rng: Rng): Mutation {
  let r = rng.below(TOTAL_WEIGHT);
  for (const [w, , m] of mutations) {
    if (r < w) return m;
    r -= w;
  }
  return mutations[0]![2];
}

/** Input `index` of the run seeded `seed`: the same bytes every time. */
export function makeInput(seed: number, index: number, corpus: readonly SeedFile[]): FuzzInput {
  const rng = new Rng(seed, index);
  const base = corpus[rng.below(corpus.length)]!;
  let bytes: Uint8Array = base.bytes;
  const steps: string[] = [`base ${base.name}`];
  const count = Math.min(8, 1 + Math.floor(-Math.log2(1 - rng.next() / 0x100000000 + 1e-12) * 0.8));
  for (let k = 0; k < count; k++) {
    const [next, step] = pickMutation(rng)(rng, bytes, base, corpus);
    bytes = next;
    steps.push(step);
  }
  return { index, seed: base, bytes, steps };
}
