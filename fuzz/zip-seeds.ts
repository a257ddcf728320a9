/**
 * The zip leg's seed archives, built the same way in every process (no clock, no randomness): a few written
 * by yazl (stored, deflated, zip64, with a comment), a few written by `zip-format.ts` for what yazl refuses
 * to write (hostile and duplicate names, bombs, data descriptors, prepended data, a comment holding a fake
 * end record), real CPython 3.11 pycs from the corpus, and every zip archive of the scenario fixtures
 * (`test/fixtures/scenarios/**.json`).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { constants, deflateRawSync } from "node:zlib";
import yazl from "yazl";
import { buildOverlayPyc, type OverlayName } from "../src/bytecode/index.js";
import { buildZip } from "../src/scenario/file-content.js";
import type { ZipContent } from "../src/scenario/format.js";
import { zipFileBytes } from "../src/scenario/zip-archive.js";
import { repoRoot, type SeedFile } from "./corpus.js";
import {
  type ArchiveSpec,
  concat,
  DOS_SECONDS,
  latin1,
  type Member,
  member,
  parseArchive,
  utf8,
  writeArchive,
} from "./zip-format.js";

export interface ZipSeed {
  readonly name: string;
  readonly bytes: Uint8Array;
  /** The archive as a member list, for the mutations that rewrite it (null: byte mutations only). */
  readonly spec: ArchiveSpec | null;
  /** How often it is picked, relative to the others. */
  readonly weight: number;
}

/** Raw deflate streams of zeros, made by repeating one full-flushed block (no gigabyte buffer needed). */
export interface Bomb {
  readonly name: string;
  readonly payload: Uint8Array;
  /** What it inflates to. */
  readonly size: number;
}

let zeroBlock: Uint8Array | null = null;

/** `mib` MiB of zeros as one raw deflate stream: ~1 KiB per MiB. */
function zerosBomb(mib: number): Bomb {
  zeroBlock ??= new Uint8Array(
    deflateRawSync(Buffer.alloc(1 << 20), { level: 9, finishFlush: constants.Z_FULL_FLUSH }),
  );
  const parts: Uint8Array[] = new Array(mib).fill(zeroBlock);
  parts.push(Uint8Array.of(3, 0)); // an empty final block
  return { name: `zeros-${mib}MiB`, payload: concat(...parts), size: mib * (1 << 20) };
}

/** The bombs the mutations plant: 2 MiB, 16 MiB and 1 GiB of zeros. */
export function bombs(): readonly Bomb[] {
  return [zerosBomb(2), zerosBomb(16), zerosBomb(1024)];
}

const text = (s: string) => utf8(s);

/** A timestamp pyc rewritten to match a source member written at DOS_SECONDS with `sourceSize` bytes. */
function matchingPyc(pyc: Uint8Array, sourceSize: number): Uint8Array {
  const out = pyc.slice();
  const view = new DataView(out.buffer);
  view.setUint32(4, 0, true);
  view.setUint32(8, DOS_SECONDS, true);
  view.setUint32(12, sourceSize, true);
  return out;
}

async function yazlArchive(
  entries: readonly (readonly [string, string | Uint8Array | null])[],
  options: { compress: boolean; zip64?: boolean; comment?: string },
): Promise<Uint8Array> {
  const zip = new yazl.ZipFile();
  const done = zipFileBytes(zip);
  const mtime = new Date(2023, 10, 14, 22, 13, 20);
  const forceZip64Format = options.zip64 ?? false;
  for (const [name, content] of entries) {
    if (content === null) zip.addEmptyDirectory(name, { mtime, forceDosTimestamp: true });
    else
      zip.addBuffer(Buffer.from(typeof content === "string" ? utf8(content) : content), name, {
        mtime,
        compress: options.compress,
        forceZip64Format,
        forceDosTimestamp: true,
      });
  }
  zip.end({ forceZip64Format, comment: options.comment ?? "" }); // yazl writes no comment for ""
  return done;
}

/** A longer module, so deflate streams have some structure to damage. */
function longModule(): string {
  const lines = ["'''A module with some bulk.'''"];
  for (let i = 0; i < 40; i++) lines.push(`V${i} = ${i * 7} + ${i}  # value ${i}`);
  lines.push("NAMES = [V0, V1, V2]", "TEXT = 'zip' * 3", "");
  return lines.join("\n");
}

const PLAIN_TREE: readonly (readonly [string, string | null])[] = [
  ["__main__.py", "import mod\n"],
  ["data/", null],
  ["data/blob.txt", "not a module\n"],
  ["mod.py", "X = 1\n"],
  ["ns/", null],
  ["ns/leaf.py", "LEAF = 'ns'\n"],
  ["pkg/", null],
  ["pkg/__init__.py", "from . import helper\nP = helper.H\n"],
  ["pkg/helper.py", "H = 'helper'\n"],
  ["pkg/sub/", null],
  ["pkg/sub/__init__.py", ""],
  ["pkg/sub/leaf.py", "from .. import helper\nL = 2\n"],
];

function pycFrom(corpus: readonly SeedFile[], name: string): Uint8Array {
  const f = corpus.find((s) => s.name === `pyc/3.11/${name}`);
  if (!f) throw new Error(`the corpus has no pyc/3.11/${name} (the zip seeds need it)`);
  return f.bytes;
}

function ownArchives(corpus: readonly SeedFile[], bombList: readonly Bomb[]): ZipSeed[] {
  const seeds: ZipSeed[] = [];
  const add = (name: string, spec: ArchiveSpec, weight = 4) =>
    seeds.push({ name, bytes: writeArchive(spec), spec, weight });

  // Real pycs: lone, beside a matching source, as a package, deflated, hash-based.
  const cachedSource = text(`# the source of cached.pyc\nVALUE = ${"1".repeat(40)}\n`);
  const checkedSource = text("# a source whose hash the pyc does not carry\n");
  add("own/pycs", {
    members: [
      member("cached.py", cachedSource),
      member("cached.pyc", matchingPyc(pycFrom(corpus, "ints.pyc"), cachedSource.length)),
      member("checked.py", checkedSource),
      member("checked.pyc", pycFrom(corpus, "floats_complex.checked-hash.pyc")),
      member("colorsys.pyc", pycFrom(corpus, "stdlib.colorsys.pyc"), { deflate: true }),
      member("lone.pyc", pycFrom(corpus, "ints.pyc")),
      member("pkgc/", new Uint8Array(0)),
      member("pkgc/__init__.pyc", pycFrom(corpus, "empty.pyc")),
      member("pkgc/walrus.pyc", pycFrom(corpus, "posonly_walrus.pyc"), { deflate: true }),
      member("unchecked.pyc", pycFrom(corpus, "floats_complex.unchecked-hash.pyc")),
    ],
  });

  // Pycs with overlay directories (importkit's extension): code objects of other corpus pycs as overlays,
  // one of them lazy; deflated once, so mutations meet directories both stored and behind inflate.
  const withOverlays = (module: Uint8Array, overlays: readonly [OverlayName, Uint8Array][]) =>
    buildOverlayPyc({
      header: module.subarray(0, 16),
      module: module.subarray(16),
      overlays: overlays.map(([name, pyc]) => ({ name, code: pyc.subarray(16) })),
    });
  add("own/overlays", {
    members: [
      member(
        "ovl.pyc",
        withOverlays(pycFrom(corpus, "ints.pyc"), [
          ["floats", pycFrom(corpus, "floats_complex.unchecked-hash.pyc")],
          [["lazy", "EMPTY"], pycFrom(corpus, "empty.pyc")],
          [7, pycFrom(corpus, "posonly_walrus.pyc")],
        ]),
      ),
      member(
        "ovlz.pyc",
        withOverlays(pycFrom(corpus, "empty.pyc"), [["ints", pycFrom(corpus, "ints.pyc")]]),
        {
          deflate: true,
        },
      ),
    ],
  });

  // A zipapp: a `#!` line before the archive.
  add("own/zipapp", {
    prefix: text("#!/usr/bin/env python3\n"),
    members: PLAIN_TREE.map(([n, c]) => member(n, text(c ?? ""), { deflate: c !== null })),
  });

  // Names that must never resolve to a module, beside good ones.
  const hostile = (name: string | Uint8Array, flags = 0) => member(name, text("E = 'escaped'\n"), { flags });
  add(
    "own/hostile-names",
    {
      members: [
        member("good.py", text("G = 'good'\n")),
        hostile("../evil.py"),
        hostile("/absmod.py"),
        hostile("bs\\mod.py"),
        hostile("sub/../esc.py"),
        hostile(latin1("nul\0.py")),
        hostile(latin1("nulmod.py\0")),
        hostile("./dot.py"),
        hostile("pkg/../../up.py"),
        hostile("/__init__.py"),
        hostile("//__init__.pyc"),
        hostile("\\win.py"),
        hostile("C:\\drive.py"),
        hostile("sub/", 0),
        hostile("sub/..", 0),
        hostile(latin1("caf\xc3\xa9.py"), 0x800),
        hostile(latin1("bad\xff\xfeutf8.py"), 0x800),
        hostile(latin1("\x82t\x82.py")),
      ],
    },
    5,
  );

  // Duplicate names: the later record wins in CPython.
  add("own/duplicates", {
    members: [
      member("dup.py", text("D = 1\n")),
      member("pkg/__init__.py", text("P = 1\n")),
      member("dup.py", text("D = 2\n"), { deflate: true }),
      member("pkg/__init__.py", text("P = 2\n")),
      member("pkg/", new Uint8Array(0)),
      member("pkg/", new Uint8Array(0)),
      member("dup.py", text("D = 3\n")),
    ],
  });

  // Decompression bombs: members that inflate to 2 MiB and 16 MiB of zeros, next to a good module.
  const bombMember = (name: string, bomb: Bomb): Member => ({
    ...member(name, new Uint8Array(0)),
    payload: bomb.payload,
    method: 8,
    size: bomb.size,
    crc: 0,
    data: undefined,
  });
  add(
    "own/bombs",
    {
      members: [
        member("ok.py", text("OK = 1\n")),
        bombMember("bomb.py", bombList[1]!),
        bombMember("bombpkg/__init__.py", bombList[0]!),
        bombMember("bombdata.bin", bombList[0]!),
      ],
    },
    3,
  );
  // 1 GiB of zeros from a 1 MiB member: rare, it is the slow one.
  add(
    "own/gigabomb",
    { members: [member("ok.py", text("OK = 1\n")), bombMember("giga.py", bombList[2]!)] },
    1,
  );

  // Sizes and CRC in data descriptors.
  add("own/descriptors", {
    members: PLAIN_TREE.map(([n, c]) => ({
      ...member(n, text(c ?? ""), { deflate: true }),
      descriptor: true,
    })),
  });

  // A comment holding a fake end record, and a long comment.
  const fakeEnd = concat(
    Uint8Array.of(0x50, 0x4b, 5, 6, 0, 0, 0, 0, 1, 0, 1, 0, 0xff, 0, 0, 0, 0xff, 0, 0, 0, 0, 0),
    text("tail"),
  );
  add("own/fake-end-in-comment", {
    members: [member("mod.py", text("X = 'fake'\n")), member("pkg/__init__.py", text(""))],
    comment: fakeEnd,
  });
  add("own/long-comment", {
    members: [member("mod.py", text("X = 'long'\n"))],
    comment: new Uint8Array(0xffff).fill(0x23),
  });

  // Names in UTF-8 (flagged) and code page 437 (not).
  add("own/encodings", {
    members: [
      member(latin1("caf\xc3\xa9.py"), text("C = 1\n"), { flags: 0x800 }),
      member(latin1("\x82t\x82.py"), text("C = 2\n")),
      member("plain.py", text("C = 3\n")),
      member(latin1("\xce\xbb/__init__.py"), text(""), { flags: 0x800 }),
    ],
  });

  // Many members: the directory walk's loop.
  add(
    "own/many",
    {
      members: Array.from({ length: 600 }, (_, i) =>
        member(`m${i}.py`, text(`N = ${i}\n`), { deflate: i % 2 === 1 }),
      ),
    },
    2,
  );

  add("own/empty", { members: [] }, 1);

  // Another whole archive before this one (a self-extractor stub that is itself a zip).
  const inner = writeArchive({ members: [member("inner.py", text("I = 1\n"))] });
  add("own/nested", { prefix: inner, members: [member("outer.py", text("O = 1\n"))] }, 2);

  // A zip64 end record written by hand (yazl's also has zip64 extra fields).
  add("own/zip64-end", {
    members: PLAIN_TREE.map(([n, c]) => member(n, text(c ?? ""))),
    zip64: true,
  });
  return seeds;
}

async function yazlArchives(): Promise<ZipSeed[]> {
  const long = longModule();
  const tree = [...PLAIN_TREE, ["long.py", long] as const];
  const made: [string, Uint8Array, number][] = [
    ["yazl/stored", await yazlArchive(tree, { compress: false }), 6],
    ["yazl/deflated", await yazlArchive(tree, { compress: true }), 8],
    ["yazl/zip64", await yazlArchive(tree, { compress: true, zip64: true }), 4],
    ["yazl/comment", await yazlArchive(PLAIN_TREE, { compress: false, comment: "an archive comment" }), 3],
  ];
  return made.map(([name, bytes, weight]) => ({ name, bytes, spec: parseArchive(bytes), weight }));
}

/** Every `*.zip` file of the scenario fixtures (inline `zip` trees built as the scenario runner builds them). */
async function fixtureArchives(): Promise<ZipSeed[]> {
  const root = join(repoRoot, "test", "fixtures", "scenarios");
  if (!existsSync(root)) return [];
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) {
        if (name !== "expected") walk(full);
      } else if (name.endsWith(".json")) files.push(full);
    }
  };
  walk(root);
  const seeds: ZipSeed[] = [];
  for (const file of files) {
    const found: [string, unknown][] = [];
    const visit = (value: unknown, key: string) => {
      if (value === null || typeof value !== "object") return;
      if (key.endsWith(".zip") && ("zip" in value || "base64" in value)) found.push([key, value]);
      else for (const [k, v] of Object.entries(value)) visit(v, k);
    };
    visit(JSON.parse(readFileSync(file, "utf8")), "");
    for (const [key, content] of found) {
      const bytes =
        "zip" in (content as object)
          ? await buildZip(content as ZipContent)
          : new Uint8Array(Buffer.from((content as { base64: string }).base64, "base64"));
      const name = `fixture/${relative(root, file).replace(/\.json$/, "")}:${key}`;
      if (seeds.some((s) => s.name === name)) continue;
      seeds.push({ name, bytes, spec: parseArchive(bytes), weight: 1 });
    }
  }
  return seeds;
}

/** All seed archives, in a fixed order. `corpus` supplies the pycs. */
export async function loadZipSeeds(
  corpus: readonly SeedFile[],
): Promise<{ seeds: ZipSeed[]; bombs: readonly Bomb[] }> {
  const bombList = bombs();
  const seeds = [...ownArchives(corpus, bombList), ...(await yazlArchives()), ...(await fixtureArchives())];
  return { seeds, bombs: bombList };
}
