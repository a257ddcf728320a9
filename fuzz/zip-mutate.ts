/**
 * Zip input N of a run: a seed archive (zip-seeds.ts) picked by the input's own RNG, 0–2 mutations that
 * rewrite it as a member list (hostile or duplicate names, damaged content with or without a matching
 * CRC-32, bombs, methods, flags, prefixes, comments, zip64, data descriptors, declared sizes), then 0–4
 * that poke its bytes in place (end record, zip64 end record and locator, central and local header
 * fields, deflate streams, truncations at record boundaries, duplicated central records, generic flips),
 * plus the settings it runs under (profile, CPython's or importkit's zip options, tight inflate limits,
 * hostile path entries, a rewrite of the archive after the imports). Each step is described, so a finding
 * says how its input was made.
 */
import { inflateRawSync } from "node:zlib";
import { Rng } from "./rng.js";
import {
  type ArchiveSpec,
  concat,
  latin1,
  type Member,
  nameText,
  scanRecords,
  u16,
  u32,
  utf8,
  withData,
  writeArchive,
} from "./zip-format.js";
import type { Bomb, ZipSeed } from "./zip-seeds.js";

export interface ZipSettings {
  readonly profile: string;
  /** "importkit": CRC checked, replaced archives re-read; "cpython": neither (CPYTHON_ZIP_OPTIONS). */
  readonly options: "importkit" | "cpython";
  /** Inflate limits of 4 MiB and 20:1 beyond 64 KiB instead of the defaults. */
  readonly smallLimits: boolean;
  /** Path entries after `/w/lib.zip` and its first directory. */
  readonly extraPaths: readonly string[];
  /** After the imports, the archive is replaced by these bytes and read again (null: not done). */
  readonly rewrite: Uint8Array | null;
}

export interface ZipInput {
  readonly index: number;
  readonly seed: ZipSeed;
  readonly bytes: Uint8Array;
  readonly settings: ZipSettings;
  /** e.g. ["base yazl/deflated", "rename pkg/helper.py -> ../pkg/helper.py", "end.count=0"] */
  readonly steps: readonly string[];
}

export interface ZipCorpus {
  readonly seeds: readonly ZipSeed[];
  readonly bombs: readonly Bomb[];
}

/** The zip inputs' RNG stream is apart from the pyc inputs' (same run seed, same index, other bytes). */
const ZIP_STREAM_SALT = 0x2f1a7e11;

const INTERESTING_U16 = [0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xfffe, 0xffff];
const INTERESTING_U32 = [
  0, 1, 2, 0x7f, 0xff, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
];
const INTERESTING_U64 = [0, 1, 2 ** 32, 2 ** 52, 2 ** 53, 2 ** 53 + 2, 2 ** 63, 2 ** 64 - 1];
const METHODS = [0, 8, 1, 6, 9, 12, 14, 93, 95, 98, 99, 0xffff];

function put(b: Uint8Array, at: number, v: number, width: 2 | 4 | 8): void {
  let x = BigInt.asUintN(64, BigInt(Math.floor(v)));
  for (let k = 0; k < width && at + k < b.length; k++) {
    b[at + k] = Number(x & 0xffn);
    x >>= 8n;
  }
}

function read(b: Uint8Array, at: number, width: 2 | 4 | 8): number {
  if (width === 2) return u16(b, at);
  if (width === 4) return u32(b, at);
  return u32(b, at) + u32(b, at + 4) * 0x1_0000_0000;
}

/** A new value for a field of `width` bytes that held `old`. */
function fieldValue(rng: Rng, old: number, width: 2 | 4 | 8, fileLength: number): number {
  const r = rng.below(10);
  if (r < 3) return rng.pick([old + 1, old - 1, old + 2, old - 22, old + 46, old * 2, old >>> 1]);
  if (r < 4) return rng.pick([fileLength, fileLength - 1, fileLength + 1, fileLength - 22]);
  if (r < 5) return rng.below(width === 2 ? 0x10000 : 0x100000000);
  if (width === 2) return rng.pick(INTERESTING_U16);
  if (width === 8 && rng.chance(0.5)) return rng.pick(INTERESTING_U64);
  return rng.pick(INTERESTING_U32);
}

// ---- member-list mutations ------------------------------------------------------------------------

type SpecMutation = (rng: Rng, spec: ArchiveSpec, corpus: ZipCorpus) => [ArchiveSpec, string];

/** Set while making an input when a mutation plants the 1 GiB bomb. */
const planted = { giga: false };

const withMembers = (spec: ArchiveSpec, members: readonly Member[]): ArchiveSpec => ({ ...spec, members });

function replaceAt(spec: ArchiveSpec, i: number, m: Member): ArchiveSpec {
  const members = spec.members.slice();
  members[i] = m;
  return withMembers(spec, members);
}

/** A member's content, when it can be had cheaply (stored, or deflated to at most 1 MiB). */
function contentOf(m: Member): Uint8Array | null {
  if (m.data) return m.data;
  if (m.method === 0) return m.payload;
  if (m.method !== 8 || m.size > 1 << 20) return null;
  try {
    return new Uint8Array(inflateRawSync(m.payload, { maxOutputLength: 1 << 20 }));
  } catch {
    return null;
  }
}

const HOSTILE_NAMES: readonly [string, (name: string) => Uint8Array | string][] = [
  ["dotdot", (n) => `../${n}`],
  ["dotdot-inside", (n) => `x/../${n}`],
  ["dot", (n) => `./${n}`],
  ["absolute", (n) => `/${n}`],
  ["double-slash", (n) => `//${n}`],
  ["backslash", (n) => (n.includes("/") ? n.replaceAll("/", "\\") : `sub\\${n}`)],
  ["nul-before-suffix", (n) => latin1(n.replace(/(\.pyc?)$/, "\0$1"))],
  ["nul-after", (n) => latin1(`${n}\0`)],
  ["trailing-slash", (n) => `${n}/`],
  ["upper", (n) => n.toUpperCase()],
  ["empty", () => ""],
  ["long", (n) => `${"d/".repeat(300)}${n}`],
  ["cp437", (n) => latin1(`\x82${n}`)],
  ["utf8-invalid", (n) => latin1(`${n}\xff`)],
  ["drive", (n) => `C:\\${n}`],
];

const specMutations: readonly (readonly [number, string, SpecMutation])[] = [
  [
    8,
    "rename",
    (rng, spec) => {
      if (spec.members.length === 0) return [spec, "rename:none"];
      const i = rng.below(spec.members.length);
      const m = spec.members[i]!;
      const [kind, make] = rng.pick(HOSTILE_NAMES);
      const made = make(nameText(m.name));
      const name = typeof made === "string" ? utf8(made) : made;
      const flags = kind === "utf8-invalid" ? m.flags | 0x800 : m.flags;
      const copy = rng.chance(0.5); // keep the original too, or replace it
      const renamed = { ...m, name, flags };
      const members = spec.members.slice();
      if (copy) members.splice(i + 1, 0, renamed);
      else members[i] = renamed;
      return [withMembers(spec, members), `${copy ? "add" : "rename"} ${nameText(m.name)} as ${kind}`];
    },
  ],
  [
    5,
    "duplicate",
    (rng, spec) => {
      if (spec.members.length === 0) return [spec, "duplicate:none"];
      const i = rng.below(spec.members.length);
      const m = spec.members[i]!;
      const other = rng.pick(spec.members);
      const twin = rng.chance(0.5) ? m : { ...other, name: m.name };
      const members = spec.members.slice();
      const at = rng.below(members.length + 1);
      members.splice(at, 0, twin);
      return [
        withMembers(spec, members),
        `duplicate ${nameText(m.name)}${twin === m ? "" : ` with ${nameText(other.name)}'s data`} at ${at}`,
      ];
    },
  ],
  [
    8,
    "content",
    (rng, spec) => {
      const candidates = spec.members.map((m, i) => [m, i] as const).filter(([m]) => contentOf(m) !== null);
      if (candidates.length === 0) return [spec, "content:none"];
      const [m, i] = rng.pick(candidates);
      const data = contentOf(m)!;
      const isPyc = nameText(m.name).endsWith(".pyc");
      const [changed, what] = isPyc ? mutatePyc(rng, data) : mutateSource(rng, data);
      let next = withData(m.method === 8 || m.method === 0 ? m : { ...m, method: 0 }, changed);
      const staleCrc = rng.chance(0.2);
      if (staleCrc) next = { ...next, crc: m.crc };
      return [
        replaceAt(spec, i, next),
        `content ${nameText(m.name)}: ${what}${staleCrc ? " (old CRC)" : ""}`,
      ];
    },
  ],
  [
    3,
    "bomb",
    (rng, spec, corpus) => {
      if (spec.members.length === 0) return [spec, "bomb:none"];
      const i = rng.below(spec.members.length);
      const m = spec.members[i]!;
      const r = rng.below(20);
      const bomb = corpus.bombs[r < 9 ? 0 : r < 19 ? 1 : 2]!;
      if (r === 19) planted.giga = true;
      const size = rng.pick([bomb.size, bomb.size, m.size, 10, 0xffffffff]);
      const bombed: Member = {
        ...m,
        payload: bomb.payload,
        method: 8,
        size,
        crc: rng.pick([0, m.crc]),
        data: undefined,
      };
      return [replaceAt(spec, i, bombed), `bomb ${nameText(m.name)} = ${bomb.name} (declared ${size})`];
    },
  ],
  [
    3,
    "method",
    (rng, spec) => {
      if (spec.members.length === 0) return [spec, "method:none"];
      const i = rng.below(spec.members.length);
      const method = rng.pick(METHODS);
      return [
        replaceAt(spec, i, { ...spec.members[i]!, method }),
        `method ${nameText(spec.members[i]!.name)}=${method}`,
      ];
    },
  ],
  [
    3,
    "flags",
    (rng, spec) => {
      if (spec.members.length === 0) return [spec, "flags:none"];
      const i = rng.below(spec.members.length);
      const m = spec.members[i]!;
      if (rng.chance(0.25))
        return [replaceAt(spec, i, { ...m, descriptor: !m.descriptor }), `descriptor ${nameText(m.name)}`];
      const bit = rng.pick([0x1, 0x8, 0x40, 0x800, 0x2000, 0x4000, 0xffff]);
      return [
        replaceAt(spec, i, { ...m, flags: m.flags ^ bit }),
        `flags ${nameText(m.name)}^=0x${bit.toString(16)}`,
      ];
    },
  ],
  [
    2,
    "sizes",
    (rng, spec) => {
      if (spec.members.length === 0) return [spec, "sizes:none"];
      const i = rng.below(spec.members.length);
      const m = spec.members[i]!;
      const size = rng.pick([0, 1, m.size - 1, m.size + 1, 0x7fffffff, 0xfffffffe, 0xffffffff]);
      return [replaceAt(spec, i, { ...m, size }), `size ${nameText(m.name)}=${size}`];
    },
  ],
  [
    2,
    "drop-reorder",
    (rng, spec) => {
      if (spec.members.length < 2) return [spec, "reorder:none"];
      const members = spec.members.slice();
      if (rng.chance(0.5)) {
        const i = rng.below(members.length);
        const [gone] = members.splice(i, 1);
        return [withMembers(spec, members), `drop ${nameText(gone!.name)}`];
      }
      for (let k = members.length - 1; k > 0; k--) {
        const j = rng.below(k + 1);
        [members[k], members[j]] = [members[j]!, members[k]!];
      }
      return [withMembers(spec, members), "shuffle"];
    },
  ],
  [
    2,
    "prefix",
    (rng, spec, corpus) => {
      const r = rng.below(5);
      const prefix =
        r === 0
          ? utf8("#!/usr/bin/env python3\n")
          : r === 1
            ? randomBytes(rng, rng.smallish(4096))
            : r === 2
              ? Uint8Array.of(0x50, 0x4b, 5, 6, ...new Array<number>(18).fill(0))
              : r === 3
                ? Uint8Array.of(0x50, 0x4b, 3, 4, ...randomBytes(rng, 40))
                : rng.pick(corpus.seeds).bytes;
      return [
        { ...spec, prefix },
        `prefix ${["shebang", "random", "fake-end", "fake-local", "archive"][r]} (${prefix.length})`,
      ];
    },
  ],
  [
    2,
    "comment",
    (rng, spec) => {
      const r = rng.below(4);
      const comment =
        r === 0
          ? randomBytes(rng, rng.smallish(300))
          : r === 1
            ? Uint8Array.of(0x50, 0x4b, 5, 6, ...randomBytes(rng, 18))
            : r === 2
              ? new Uint8Array(0xffff).fill(0x50)
              : Uint8Array.of(0x50, 0x4b, 1, 2, ...randomBytes(rng, 60));
      return [
        { ...spec, comment },
        `comment ${["random", "fake-end", "max", "fake-central"][r]} (${comment.length})`,
      ];
    },
  ],
  [1, "zip64", (_rng, spec) => [{ ...spec, zip64: !spec.zip64 }, `zip64=${!spec.zip64}`]],
  [
    2,
    "local-name-extra",
    (rng, spec) => {
      if (spec.members.length === 0) return [spec, "extra:none"];
      const i = rng.below(spec.members.length);
      const m = spec.members[i]!;
      if (rng.chance(0.4)) {
        const localName = utf8(rng.pick(["other.py", "", nameText(m.name).slice(1), `${nameText(m.name)}x`]));
        return [replaceAt(spec, i, { ...m, localName }), `local-name ${nameText(m.name)}`];
      }
      const r = rng.below(4);
      const extra =
        r === 0
          ? randomBytes(rng, rng.smallish(64))
          : r === 1
            ? Uint8Array.of(1, 0, 4, 0, 1, 2) // a zip64 field longer than its data
            : r === 2
              ? Uint8Array.of(1, 0, 8, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f)
              : Uint8Array.of(0x55, 0x54, 0xff, 0xff);
      return [
        replaceAt(spec, i, { ...m, extra }),
        `extra ${nameText(m.name)} ${["random", "short-zip64", "zip64", "overlong"][r]}`,
      ];
    },
  ],
];

function randomBytes(rng: Rng, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.below(256);
  return out;
}

/** Source text damage: what a compiler or decoder must refuse cleanly. */
function mutateSource(rng: Rng, data: Uint8Array): [Uint8Array, string] {
  const r = rng.below(9);
  if (r === 0 && data.length > 0) {
    const out = data.slice();
    const at = rng.below(out.length);
    out[at] = out[at]! ^ (1 << rng.below(8));
    return [out, `bitflip@${at}`];
  }
  if (r === 1) {
    const n = rng.below(data.length + 1);
    return [data.slice(0, n), `truncate@${n}`];
  }
  if (r === 2) {
    const cookie = rng.pick(["latin-1", "cp1252", "utf-16", "bogus", "ascii", "utf-8-sig", "euc-jp"]);
    return [concat(utf8(`# -*- coding: ${cookie} -*-\n`), data), `cookie ${cookie}`];
  }
  if (r === 3) return [concat(Uint8Array.of(0xef, 0xbb, 0xbf), data), "bom"];
  if (r === 4) {
    const at = rng.below(data.length + 1);
    return [
      concat(data.subarray(0, at), Uint8Array.of(rng.pick([0, 0xff, 0xc3, 0x80, 0xed])), data.subarray(at)),
      `byte@${at}`,
    ];
  }
  if (r === 5)
    return [
      utf8(rng.pick(["def f(:\n", "x = (\n", "\tX = 1\n  Y = 2\n", "import\n", "X = '''\n", "1 +* 2\n"])),
      "syntax",
    ];
  if (r === 6)
    return [
      utf8(
        rng.pick([
          "while True:\n    pass\n",
          "raise ValueError('x')\n",
          "import nosuchmod\n",
          "from . import x\n",
          "X = undefined\n",
        ]),
      ),
      "program",
    ];
  if (r === 7) return [randomBytes(rng, rng.smallish(512)), "random"];
  return [utf8(`X = 1\r\nY = 2\rZ = 3\n${"#".repeat(rng.smallish(100000))}\n`), "line-endings+long-comment"];
}

/** pyc damage the zip loader sees first: header fields and truncations (body flips are the pyc legs' job). */
function mutatePyc(rng: Rng, data: Uint8Array): [Uint8Array, string] {
  const out = data.slice();
  const r = rng.below(6);
  if (r === 0) {
    const magic = rng.pick([3413, 3439, 3495, 3531, 3571, 0, 0xffff]);
    put(out, 0, magic, 2);
    return [out, `magic=${magic}`];
  }
  if (r === 1) {
    const flags = rng.pick([1, 2, 3, 4, 0xffffffff]);
    put(out, 4, flags, 4);
    return [out, `flags=${flags}`];
  }
  if (r === 2) {
    const mtime = rng.pick([0, 1, u32(out, 8) + 1, u32(out, 8) + 2, 0xffffffff]);
    put(out, 8, mtime, 4);
    return [out, `mtime=${mtime}`];
  }
  if (r === 3) {
    const size = rng.pick([0, u32(out, 12) + 1, 0xffffffff]);
    put(out, 12, size, 4);
    return [out, `source-size=${size}`];
  }
  if (r === 4) {
    const n = rng.below(Math.min(out.length, 24));
    return [out.slice(0, n), `truncate-header@${n}`];
  }
  const n = rng.between(16, Math.max(16, out.length - 1));
  return [out.slice(0, n), `truncate-body@${n}`];
}

// ---- byte mutations --------------------------------------------------------------------------------

type ByteMutation = (rng: Rng, b: Uint8Array, corpus: ZipCorpus) => [Uint8Array, string];

const END_FIELDS: readonly (readonly [string, number, 2 | 4])[] = [
  ["disk", 4, 2],
  ["cd-disk", 6, 2],
  ["disk-count", 8, 2],
  ["count", 10, 2],
  ["cd-size", 12, 4],
  ["cd-offset", 16, 4],
  ["comment-length", 20, 2],
];
const END64_FIELDS: readonly (readonly [string, number, 4 | 8])[] = [
  ["end64.record-size", 4, 8],
  ["end64.disk", 16, 4],
  ["end64.disk-count", 24, 8],
  ["end64.count", 32, 8],
  ["end64.cd-size", 40, 8],
  ["end64.cd-offset", 48, 8],
];
const LOCATOR_FIELDS: readonly (readonly [string, number, 4 | 8])[] = [
  ["locator.disk", 4, 4],
  ["locator.end64-offset", 8, 8],
  ["locator.disks", 16, 4],
];
const CENTRAL_FIELDS: readonly (readonly [string, number, 2 | 4])[] = [
  ["signature", 0, 4],
  ["made-by", 4, 2],
  ["needed", 6, 2],
  ["flags", 8, 2],
  ["method", 10, 2],
  ["time", 12, 2],
  ["date", 14, 2],
  ["crc", 16, 4],
  ["compressed", 20, 4],
  ["size", 24, 4],
  ["name-length", 28, 2],
  ["extra-length", 30, 2],
  ["comment-length", 32, 2],
  ["disk", 34, 2],
  ["external", 38, 4],
  ["offset", 42, 4],
];
const LOCAL_FIELDS: readonly (readonly [string, number, 2 | 4])[] = [
  ["signature", 0, 4],
  ["flags", 6, 2],
  ["method", 8, 2],
  ["crc", 14, 4],
  ["compressed", 18, 4],
  ["size", 22, 4],
  ["name-length", 26, 2],
  ["extra-length", 28, 2],
];

function pokeField(
  rng: Rng,
  b: Uint8Array,
  at: number,
  label: string,
  [field, offset, width]: readonly [string, number, 2 | 4 | 8],
): [Uint8Array, string] {
  const out = b.slice();
  const pos = at + offset;
  if (field === "flags" && rng.chance(0.5)) {
    const bit = rng.pick([0x1, 0x8, 0x40, 0x800, 0x2000]);
    put(out, pos, read(b, pos, 2) ^ bit, 2);
    return [out, `${label}.flags^=0x${bit.toString(16)}`];
  }
  if (field === "method" && rng.chance(0.6)) {
    const method = rng.pick(METHODS);
    put(out, pos, method, 2);
    return [out, `${label}.method=${method}`];
  }
  const v = fieldValue(rng, read(b, pos, width), width, b.length);
  put(out, pos, v, width);
  return [out, `${label}.${field}=${v}`];
}

/** [start, end) of the data after the local header at `at`, as the header declares it. */
function localData(b: Uint8Array, at: number): [number, number] {
  const start = at + 30 + u16(b, at + 26) + u16(b, at + 28);
  let size = u32(b, at + 18);
  if (size === 0) size = b.length - start; // a data descriptor follows: up to the end, as far as flips go
  return [Math.min(start, b.length), Math.min(start + size, b.length)];
}

const byteMutations: readonly (readonly [number, string, ByteMutation])[] = [
  [
    7,
    "end",
    (rng, b) => {
      const { end } = scanRecords(b);
      if (end.length === 0) return [b, "end:none"];
      const at = rng.chance(0.8) ? end.at(-1)! : rng.pick(end);
      return pokeField(rng, b, at, "end", rng.pick(END_FIELDS));
    },
  ],
  [
    3,
    "end64",
    (rng, b) => {
      const { end, end64, locator64 } = scanRecords(b);
      if (end64.length === 0 && locator64.length === 0) {
        // Most archives have no zip64 records: poke the classic end record instead.
        if (end.length === 0) return [b, "end64:none"];
        return pokeField(rng, b, end.at(-1)!, "end", rng.pick(END_FIELDS));
      }
      if (locator64.length > 0 && (end64.length === 0 || rng.chance(0.4)))
        return pokeField(rng, b, rng.pick(locator64), "locator", rng.pick(LOCATOR_FIELDS));
      return pokeField(rng, b, rng.pick(end64), "end64", rng.pick(END64_FIELDS));
    },
  ],
  [
    12,
    "central",
    (rng, b) => {
      const { central } = scanRecords(b);
      if (central.length === 0) return [b, "central:none"];
      const i = rng.below(central.length);
      return pokeField(rng, b, central[i]!, `central[${i}]`, rng.pick(CENTRAL_FIELDS));
    },
  ],
  [
    7,
    "local",
    (rng, b) => {
      const { local } = scanRecords(b);
      if (local.length === 0) return [b, "local:none"];
      const i = rng.below(local.length);
      return pokeField(rng, b, local[i]!, `local[${i}]`, rng.pick(LOCAL_FIELDS));
    },
  ],
  [
    6,
    "data",
    (rng, b) => {
      const { local } = scanRecords(b);
      if (local.length === 0) return [b, "data:none"];
      const i = rng.below(local.length);
      const [start, end] = localData(b, local[i]!);
      if (end <= start) return [b, "data:empty"];
      const out = b.slice();
      const n = rng.smallish(4);
      const where: number[] = [];
      for (let k = 0; k < n; k++) {
        const at = rng.between(start, end - 1);
        out[at] = rng.chance(0.7) ? out[at]! ^ (1 << rng.below(8)) : rng.below(256);
        where.push(at);
      }
      return [out, `data[${i}] flips@${where.join(",")}`];
    },
  ],
  [
    6,
    "truncate",
    (rng, b) => {
      const { local, central, end } = scanRecords(b);
      const marks = [...local, ...central, ...end, b.length];
      const r = rng.below(4);
      const n =
        r === 0
          ? rng.pick(marks) + rng.between(-4, 50)
          : r === 1
            ? b.length - rng.between(1, 24)
            : r === 2
              ? rng.below(Math.min(b.length, 64))
              : rng.below(b.length);
      const cut = Math.max(0, Math.min(b.length, n));
      return [b.slice(0, cut), `truncate@${cut}`];
    },
  ],
  [
    3,
    "central-dup",
    (rng, b) => {
      const { central, end } = scanRecords(b);
      if (central.length === 0) return [b, "central-dup:none"];
      const at = rng.pick(central);
      const len = 46 + u16(b, at + 28) + u16(b, at + 30) + u16(b, at + 32);
      const record = b.slice(at, Math.min(b.length, at + len));
      const out = concat(b.subarray(0, at + record.length), record, b.subarray(at + record.length));
      const e = end.at(-1);
      const fix = e !== undefined && e > at && rng.chance(0.8);
      if (fix) {
        const p = e + record.length;
        put(out, p + 8, u16(out, p + 8) + 1, 2);
        put(out, p + 10, u16(out, p + 10) + 1, 2);
        put(out, p + 12, u32(out, p + 12) + record.length, 4);
      }
      return [out, `central-dup@${at}${fix ? " (end record updated)" : ""}`];
    },
  ],
  [
    6,
    "generic",
    (rng, b) => {
      const out = b.slice();
      if (out.length === 0) return [out, "generic:none"];
      const at = rng.below(out.length);
      const r = rng.below(3);
      if (r === 0) {
        const bit = rng.below(8);
        out[at] = out[at]! ^ (1 << bit);
        return [out, `bitflip@${at}.${bit}`];
      }
      if (r === 1) {
        const v = rng.pick([0, 0xff, 0x7f, 0x80, 0x50, 0x4b]);
        out[at] = v;
        return [out, `set@${at}=0x${v.toString(16)}`];
      }
      const v = rng.pick(INTERESTING_U32);
      put(out, at, v, 4);
      return [out, `u32@${at}=${v}`];
    },
  ],
  [
    3,
    "insert-delete",
    (rng, b) => {
      const at = rng.below(b.length + 1);
      if (rng.chance(0.5)) {
        const ins = randomBytes(rng, rng.smallish(64));
        return [concat(b.subarray(0, at), ins, b.subarray(at)), `insert@${at}+${ins.length}`];
      }
      const n = rng.smallish(64);
      return [concat(b.subarray(0, at), b.subarray(Math.min(b.length, at + n))), `delete@${at}-${n}`];
    },
  ],
  [
    1,
    "splice",
    (rng, b, corpus) => {
      const other = rng.pick(corpus.seeds);
      const p = rng.below(b.length + 1);
      const q = rng.below(other.bytes.length + 1);
      return [concat(b.subarray(0, p), other.bytes.subarray(q)), `splice@${p}+${other.name}@${q}`];
    },
  ],
];

function pickWeighted<T>(rng: Rng, table: readonly (readonly [number, string, T])[]): T {
  const total = table.reduce((s, [w]) => s + w, 0);
  let r = rng.below(total);
  for (const [w, , m] of table) {
    if (r < w) return m;
    r -= w;
  }
  return table[0]![2];
}

function pickSeed(rng: Rng, seeds: readonly ZipSeed[]): ZipSeed {
  const total = seeds.reduce((s, seed) => s + seed.weight, 0);
  let r = rng.below(total);
  for (const seed of seeds) {
    if (r < seed.weight) return seed;
    r -= seed.weight;
  }
  return seeds[0]!;
}

const HOSTILE_PATHS = [
  "/w/lib.zip/..",
  "/w/lib.zip/sub/..",
  "/w/lib.zip/./pkg",
  "/w/lib.zip//pkg/",
  "/w/lib.zip/pkg/../..",
  "/w/lib.zip/\\",
  "/w/lib.zip/nul\0",
  "/w/lib.zip/missing/deeper",
  "/w/lib.zip/mod.py",
  "/w",
];

/** Zip input `index` of the run seeded `seed`: the same bytes and settings every time. */
export function makeZipInput(seed: number, index: number, corpus: ZipCorpus): ZipInput {
  const rng = new Rng(seed ^ ZIP_STREAM_SALT, index);
  const base = pickSeed(rng, corpus.seeds);
  const steps = [`base ${base.name}`];
  planted.giga = base.name === "own/gigabomb";
  let bytes = base.bytes;
  const unmutated = rng.chance(0.03);
  const specCount = unmutated || base.spec === null ? 0 : rng.pick([0, 0, 0, 1, 1, 1, 1, 2, 2]);
  if (specCount > 0) {
    let spec = base.spec!;
    for (let k = 0; k < specCount; k++) {
      const [next, step] = pickWeighted(rng, specMutations)(rng, spec, corpus);
      spec = next;
      steps.push(step);
    }
    bytes = writeArchive(spec);
  }
  let byteCount = unmutated ? 0 : rng.pick([0, 1, 1, 1, 2, 2, 3, 4]);
  if (specCount === 0 && byteCount === 0 && !unmutated) byteCount = 1;
  for (let k = 0; k < byteCount; k++) {
    const [next, step] = pickWeighted(rng, byteMutations)(rng, bytes, corpus);
    bytes = next;
    steps.push(step);
  }

  const p = rng.below(100);
  const profile =
    p < 64
      ? "cpython-3.11"
      : p < 76
        ? "cpython-3.13"
        : p < 84
          ? "cpython-3.12"
          : p < 92
            ? "cpython-3.9"
            : "cpython-3.8";
  const options = rng.chance(0.5) ? "importkit" : "cpython";
  // The 1 GiB bomb runs under the small limits only: under the default ones (200:1 of a 1 MiB member) each
  // read inflates 200 MB first, 0.4–0.6 s, which a loaded machine stretches past the watchdog's second.
  const smallDraw = rng.chance(0.15);
  const extraPaths = rng.chance(0.15) ? [rng.pick(HOSTILE_PATHS)] : [];
  let rewrite: Uint8Array | null = null;
  let rewriteStep = "";
  if (rng.chance(0.1)) {
    const r = rng.below(3);
    const other = r === 2 ? pickSeed(rng, corpus.seeds) : base;
    if (other.name === "own/gigabomb") planted.giga = true;
    rewrite = r === 0 ? base.bytes : r === 1 ? bytes.slice(0, rng.below(bytes.length + 1)) : other.bytes;
    rewriteStep = `, then rewritten (${["seed", "truncated", "another seed"][r]}, ${rewrite.length} bytes)`;
  }
  const smallLimits = smallDraw || planted.giga;
  steps.push(
    `settings ${profile}, ${options} options${smallLimits ? ", small limits" : ""}` +
      `${extraPaths.length ? `, path +${JSON.stringify(extraPaths[0])}` : ""}${rewriteStep}`,
  );
  return {
    index,
    seed: base,
    bytes,
    settings: { profile, options, smallLimits, extraPaths, rewrite },
    steps,
  };
}
