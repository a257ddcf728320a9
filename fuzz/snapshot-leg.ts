/**
 * The snapshot leg: a seed snapshot (corpus.ts `loadSnapshotSeeds`), mutated, opened and imported from in the
 * world it was frozen in (`snapshotWorld`), with the snapshot plugin first in the importer list.
 *
 * Inputs (`makeSnapshotInput`, a pure function of (run seed, index), its own RNG stream): one tier of damage,
 * * `none`: the seed as it is (a check of the oracle itself);
 * * `raw`: 1–8 of mutate.ts's byte mutations over the whole file (so the index CRC catches most);
 * * `code-area`: mutate.ts's mutations over the code area only, the header's code length set to the new
 *   length (index and its CRC untouched: damaged modules must be refused by their code CRC);
 * * `header`: header fields (magic, version, index length, CRC, code length, count, reserved) set off by one,
 *   to 0, to the file length, huge…, sometimes index and code length moved together so the total still fits;
 * * `index`: the index JSON edited and re-sealed (its CRC, length and — mostly — the count recomputed), so
 *   index validation itself is reached: code offsets, lengths, CRCs, kinds, versions and filenames; names
 *   (hostile, duplicate, renamed, new), packages, `__path__`, search entries and stamps, source identities,
 *   profile, code format, identity, the module list (dropped, duplicated, reordered); generic leaf edits;
 *   then sometimes text edits (numbers as 1e400/-0/1.0/2^53+1, strings as NUL/lone surrogates/100,000
 *   characters/deep nesting, duplicate keys, `__proto__`, whitespace, BOM, truncation, junk) or mutate.ts's
 *   byte mutations of the index bytes, and sometimes a header field after;
 * * `relayout`: the code area rebuilt in another order with junk and decoy copies between the blocks, offsets
 *   fixed (every module intact: must behave exactly as the seed);
 * * `forge-code`: a module's code replaced — executor code ("importkit-ast" v2, binary) decoded, its tree
 *   edited (strings, lines, levels, constants, node kinds, list items dropped/duplicated/swapped, subtrees
 *   swapped or grafted from another module, new statements, nesting around MAX_NESTING) and written again
 *   (by encode, or where it refuses by the fuzzer's own writer), then one time in three its bytes damaged (a
 *   tag, a varint off by one, huge or not in its shortest form, the string list's items or JSON text, flips,
 *   insertions, truncation); CPython code by mutate.ts's marshal mutations; or another module's code — with
 *   its CRC recomputed (one time in five the old one kept), the area laid out again.
 * Settings: strict one time in four, validate off one time in seven, `/nowhere` first on sys.path one time in
 * eight (every module is then "elsewhere"), the names imported in sorted or reverse order; one time in five a
 * world edit ({@link worldEdits}: the world changed after the snapshot was made; never strict, always
 * validating then), which the snapshot must notice.
 *
 * Legs: `snapshot:open` (decodeSnapshot of the bytes, directly), `snapshot:system` (the system built with the
 * plugin), `snapshot:import` (every module the seed froze, a few it did not: a missing name, `pkg.zz_missing`,
 * `mod.x` through a non-package, world modules left unfrozen, and names only a forged index lists),
 * `snapshot:loader` (the importer's findSpec, isPackage, getSource and getCode for every name the index lists
 * and hostile ones), `snapshot:oracle` (each module left in sys.modules against the reference, below),
 * `snapshot:tier` (how much the damage allows the outcome to differ, below).
 *
 * Oracle. Every failure is typed: a SnapshotError (alone, or as the cause of the plugin's PluginError), a
 * Python exception, a documented NotSupportedError; never a JS error, a MarshalError/CodeFormatError that
 * escaped the importer, or a SnapshotError caused by a JS error; no call of more than a second, no hang.
 * And never a wrong module. Each module of the opened snapshot is compared with the seed's entry of that name:
 * * pristine: same content (name, `__file__`, package, `__path__`, code kind, filename and version, the same
 *   code bytes wherever they now lie, and their CRC), same guards (search entries, stamps, source identity,
 *   origin, loader, the index's identity mode);
 * * guarded: same content, other guards (the importer may decline it, or raise SnapshotStaleError if strict);
 * * damaged: same fields, but the code bytes differ and their CRC does not match: it must be refused with a
 *   SnapshotError naming it;
 * * forged: anything else — another name, other content, or different code bytes whose CRC was recomputed.
 * When no module is forged (tier `faithful`), a snapshot that opens can only serve what the path importer
 * gives: the import results and every module's namespace (non-dunder names but submodules, and `__name__`,
 * `__file__`, `__package__`, `__path__`, `__doc__`, values compared deeply) must equal those of the path
 * importer alone in the same world (edited or not) and path (the reference, made once per seed, edit, path
 * and order), except for modules that import a damaged one (or a guarded one, when strict or after a world
 * edit: forged guards may hide the change): those may fail, with a SnapshotError naming a damaged module they
 * import (SnapshotStaleError: a guarded one), or differ. When some module is forged (tier
 * `forged`), the CRCs no longer vouch for anything, so only typed errors are demanded — and getCode of every
 * pristine module must still work, of every damaged one must still fail.
 */
import { posix } from "node:path";
import { crc32 } from "node:zlib";
import { MarshalError, PycFormatError } from "../src/bytecode/index.js";
import { createContainer, createImportSystem } from "../src/composition-root.js";
import { CodeFormatError, PyBaseException, SnapshotError, SnapshotStaleError } from "../src/core/errors.js";
import { FileSystemError } from "../src/core/fs/file-system.js";
import type { MemFileSystem } from "../src/core/fs/mem-fs.js";
import type { ImportSystem } from "../src/core/import-system.js";
import type { Executor } from "../src/core/interfaces.js";
import { Module } from "../src/core/module.js";
import {
  PyBytes,
  PyClass,
  PyDict,
  PyFunction,
  PyList,
  PySet,
  PyTuple,
  type PyValue,
  typeName,
} from "../src/core/values.js";
import { ScenarioExecutor } from "../src/exec/scenario-executor.js";
import type { BytecodeRunner } from "../src/hooks/loader-environment.js";
import { SnapshotImporter } from "../src/importers/snapshot-importer.js";
import { PluginError } from "../src/plugins/plugin.js";
import { snapshot } from "../src/plugins/snapshot.js";
import { CodeBytesError } from "../src/snapshot/code-bytes.js";
import { decodeSnapshot, HEADER_SIZE, type Snapshot } from "../src/snapshot/format.js";
import type { SnapshotModule } from "../src/snapshot/index-schema.js";
import * as T from "../src/tokens.js";
import type { SeedFile, SnapshotSeed } from "./corpus.js";
import { SNAPSHOT_MTIME, snapshotWorld } from "./corpus.js";
import { classify, finish, heapNow, type Leg, markPhase, maskedJsError, type Outcome, tick } from "./legs.js";
import { type Loose, show } from "./loose.js";
import { concat, makeInput } from "./mutate.js";
import { Rng } from "./rng.js";
import { forgeExecutorCode, WriterMismatch } from "./snapshot-forge-code.js";

/** The snapshot's name in every error (the plugin is handed the bytes: no file is read). */
export const SNAPSHOT_FILE = "/snap/app.snapshot";
const SNAPSHOT_STREAM_SALT = 0x51a9_5a0d;

// Indices into legs.ts PHASES.
const PHASE_OPEN = 12;
const PHASE_IMPORT = 13;
const PHASE_RUNNING = 14;
const PHASE_LOADER = 15;

// ---- inputs ------------------------------------------------------------------------------------------

export type Tier = "none" | "raw" | "code-area" | "header" | "index" | "relayout" | "forge-code";
const TIERS: readonly (readonly [number, Tier])[] = [
  [3, "none"],
  [14, "raw"],
  [10, "code-area"],
  [10, "header"],
  [33, "index"],
  [7, "relayout"],
  [23, "forge-code"],
];

export interface SnapshotSettings {
  readonly strict: boolean;
  readonly validate: boolean;
  /**
   * A change of the world after the snapshot was made ({@link worldEdits}: a source edited, a module file
   * removed, a module shadowed earlier on the path or by a package, an archive touched or removed), or null.
   * Never with `strict`, always with `validate`: the snapshot must then decline whatever changed.
   */
  readonly edit: string | null;
  /** `/nowhere` before the seed's path (every module is "elsewhere"). */
  readonly prefixed: boolean;
  /** The names imported in reverse sorted order. */
  readonly reversed: boolean;
}

export interface SnapshotInput {
  readonly index: number;
  readonly seed: SnapshotSeed;
  readonly bytes: Uint8Array;
  /** How it was made, e.g. ["base app", "index", "code-loc modules[3].code.offset=412", "sealed"]. */
  readonly steps: readonly string[];
  readonly settings: SnapshotSettings;
}

interface Parts {
  /** The index as JSON (null when it does not parse). */
  index: Loose;
  code: Uint8Array;
}

const u32 = (b: Uint8Array, at: number) =>
  new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(at, true);

function splitSnapshot(bytes: Uint8Array): { indexBytes: Uint8Array; code: Uint8Array } {
  const indexLength = u32(bytes, 12);
  return {
    indexBytes: bytes.subarray(HEADER_SIZE, HEADER_SIZE + indexLength),
    code: bytes.subarray(HEADER_SIZE + indexLength),
  };
}

function partsOf(bytes: Uint8Array): Parts {
  const { indexBytes, code } = splitSnapshot(bytes);
  return { index: JSON.parse(new TextDecoder().decode(indexBytes)), code: code.slice() };
}

/** A snapshot around `indexBytes` and `code` with a correct header (index CRC, lengths and `count`). */
function seal(indexBytes: Uint8Array, code: Uint8Array, count: number): Uint8Array {
  const out = new Uint8Array(HEADER_SIZE + indexBytes.length + code.length);
  const view = new DataView(out.buffer);
  out.set([0x89, 0x49, 0x4b, 0x53, 0x4e, 0x41, 0x50, 0x0a], 0);
  view.setUint32(8, 1, true);
  view.setUint32(12, indexBytes.length, true);
  view.setUint32(16, crc32(indexBytes), true);
  view.setUint32(20, code.length, true);
  view.setUint32(24, count >>> 0, true);
  out.set(indexBytes, HEADER_SIZE);
  out.set(code, HEADER_SIZE + indexBytes.length);
  return out;
}

const modulesOf = (index: Loose): Loose[] =>
  index !== null && typeof index === "object" && Array.isArray(index.modules) ? index.modules : [];

/** A module's code block, when its code fields still locate one in `code`. */
function blockOf(module: Loose, code: Uint8Array): Uint8Array | null {
  const c = module?.code;
  if (c === null || typeof c !== "object") return null;
  const { offset, length } = c;
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) return null;
  if (offset + length > code.length) return null;
  return code.subarray(offset, offset + length);
}

const HOSTILE_VALUES: readonly Loose[] = [
  null,
  true,
  false,
  0,
  1,
  -1,
  1.5,
  0.1,
  2 ** 31,
  2 ** 32,
  2 ** 32 - 1,
  2 ** 53,
  2 ** 53 + 2,
  1e300,
  "",
  "x",
  "0",
  "a.b",
  "..",
  "/",
  "a/b",
  "a\\b",
  "\0",
  "\ud800",
  "é",
  "main",
  "pkg",
  "pkg.sub",
  "/app/main.py",
  [],
  [""],
  [null],
  {},
  { kind: "missing" },
];

const HOSTILE_NAMES = [
  "",
  ".",
  "..",
  "a..b",
  "pkg.",
  ".pkg",
  "a/b",
  "a\\b",
  "x\0y",
  "__init__",
  "zz_forged",
  "pkg.zz_forged",
  "main.zz",
  "util",
  "sys",
  "builtins",
  " main",
  "main ",
  "ｍａｉｎ",
];

type JsonPath = readonly (string | number)[];

/**
 * Every path into `root` (containers included), depth-first, at most `limit`, none deeper than `maxDepth`
 * (what earlier edits nested deeply is edited as a whole: paths thousands deep make every edit slow).
 */
function pathsOf(root: Loose, limit = 4000, maxDepth = 48): JsonPath[] {
  const out: JsonPath[] = [];
  const walk = (value: Loose, path: JsonPath) => {
    if (out.length >= limit) return;
    out.push(path);
    if (path.length >= maxDepth) return;
    if (Array.isArray(value)) for (let i = 0; i < value.length; i++) walk(value[i], [...path, i]);
    else if (value !== null && typeof value === "object")
      for (const k of Object.keys(value)) walk(value[k], [...path, k]);
  };
  walk(root, []);
  return out;
}

function getAt(root: Loose, path: JsonPath): Loose {
  let v = root;
  for (const k of path) v = v?.[k];
  return v;
}

/** `root` with the value at `path` replaced (the root itself when `path` is empty). */
function setAt(root: Loose, path: JsonPath, value: Loose): Loose {
  if (path.length === 0) return value;
  const parent = getAt(root, path.slice(0, -1));
  if (parent !== null && typeof parent === "object") parent[path.at(-1)!] = value;
  return root;
}

const showPath = (path: JsonPath) =>
  (path.length > 12 ? `…(${path.length - 8} more)` : "") +
  path
    .slice(-Math.min(path.length, path.length > 12 ? 8 : 12))
    .map((k) => (typeof k === "number" ? `[${k}]` : `.${k}`))
    .join("");

function numberEdit(rng: Rng, old: Loose, codeLength: number, others: readonly Loose[]): Loose {
  const v = typeof old === "number" ? old : 0;
  return rng.pick([
    v + 1,
    v - 1,
    0,
    -1,
    v * 2,
    codeLength,
    codeLength + 1,
    codeLength - 1,
    2 ** 32,
    2 ** 32 + v,
    2 ** 53,
    2 ** 53 + 2,
    v + 0.5,
    Number.MAX_VALUE,
    String(v),
    null,
    ...(others.length > 0 ? [rng.pick(others)] : []),
  ]);
}

type IndexOp = (rng: Rng, index: Loose, code: Uint8Array, seed: SnapshotSeed) => [Loose, string];

/** A module of the index (with its position), or null when there is none. */
function someModule(rng: Rng, index: Loose): [Loose, number] | null {
  const modules = modulesOf(index);
  if (modules.length === 0) return null;
  const i = rng.below(modules.length);
  return [modules[i], i];
}

/** The structured index edits: each returns the (possibly replaced) index and a description. */
const INDEX_OPS: readonly (readonly [number, string, IndexOp])[] = [
  [
    12,
    "code-loc",
    (rng, index, code) => {
      const picked = someModule(rng, index);
      if (!picked) return [index, "code-loc:none"];
      const [m, i] = picked;
      if (m?.code === null || typeof m?.code !== "object") return [index, "code-loc:none"];
      const field = rng.pick(["offset", "length", "crc32", "offset+length"]);
      const others = modulesOf(index).map((x) => x?.code?.[field === "offset+length" ? "offset" : field]);
      if (field === "offset+length") {
        // Keep the end where it was: a block that starts earlier or later but still ends inside.
        const d = rng.pick([1, -1, 2, -2, 4, 16]);
        m.code.offset += d;
        m.code.length -= d;
        return [index, `code-loc modules[${i}] offset/length moved by ${d}`];
      }
      const value = field === "crc32" && rng.chance(0.3) ? (m.code.crc32 ^ (1 << rng.below(32))) >>> 0 : 0;
      m.code[field] = value !== 0 ? value : numberEdit(rng, m.code[field], code.length, others);
      return [index, `code-loc modules[${i}].code.${field}=${show(m.code[field])}`];
    },
  ],
  [
    6,
    "code-swap",
    (rng, index) => {
      const modules = modulesOf(index);
      if (modules.length < 2) return [index, "code-swap:none"];
      const a = rng.below(modules.length);
      let b = rng.below(modules.length - 1);
      if (b >= a) b++;
      const [ma, mb] = [modules[a], modules[b]];
      if (rng.chance(0.5)) {
        [ma.code, mb.code] = [mb.code, ma.code];
        return [index, `code-swap modules[${a}] <-> modules[${b}] (whole code entries)`];
      }
      for (const k of ["offset", "length", "crc32"]) [ma.code[k], mb.code[k]] = [mb.code[k], ma.code[k]];
      return [index, `code-swap modules[${a}] <-> modules[${b}] (location and CRC only)`];
    },
  ],
  [
    6,
    "code-kind",
    (rng, index) => {
      const picked = someModule(rng, index);
      if (!picked || typeof picked[0]?.code !== "object") return [index, "code-kind:none"];
      const [m, i] = picked;
      const field = rng.pick(["kind", "kind", "version", "filename"]);
      const value =
        field === "kind"
          ? rng.pick(["executor", "cpython", "marshal", "", null])
          : field === "version"
            ? rng.pick(["3.11", "3.12", "3.14", "3.99", "3.6", "2.7", "3", "3.11.0", 3.11, null])
            : rng.pick(["", "/app/other.py", "<frozen>", "\0", "x".repeat(5000), null]);
      m.code[field] = value;
      return [index, `code-kind modules[${i}].code.${field}=${show(value)}`];
    },
  ],
  [
    10,
    "name",
    (rng, index, _code, seed) => {
      const picked = someModule(rng, index);
      if (!picked) return [index, "name:none"];
      const [m, i] = picked;
      const names = modulesOf(index).map((x) => x?.name);
      const value = rng.chance(0.4)
        ? rng.pick([...names, ...seed.frozen.map((n) => `${n}.zz`)])
        : rng.pick(HOSTILE_NAMES);
      m.name = value;
      // Half the time the package field follows, so the rename gets past the package check.
      if (rng.chance(0.5) && typeof value === "string")
        m.package = m.path !== null ? value : value.slice(0, Math.max(0, value.lastIndexOf(".")));
      return [index, `name modules[${i}].name=${show(value)}`];
    },
  ],
  [
    6,
    "package-path",
    (rng, index) => {
      const picked = someModule(rng, index);
      if (!picked) return [index, "package-path:none"];
      const [m, i] = picked;
      if (rng.chance(0.5)) {
        m.package = rng.pick(["", m.name, `${m.name}.x`, "pkg", null, 0]);
        return [index, `package modules[${i}].package=${show(m.package)}`];
      }
      m.path = rng.pick([null, [], ["/app"], ["/nowhere"], ["/app/pkg", "/app/pkg"], [0], "/app/pkg", {}]);
      if (rng.chance(0.5) && typeof m.name === "string")
        m.package = m.path !== null ? m.name : m.name.slice(0, Math.max(0, m.name.lastIndexOf(".")));
      return [index, `path modules[${i}].path=${show(m.path)}`];
    },
  ],
  [
    7,
    "search",
    (rng, index) => {
      const picked = someModule(rng, index);
      if (!picked || typeof picked[0]?.search !== "object" || picked[0].search === null)
        return [index, "search:none"];
      const [m, i] = picked;
      const s = m.search;
      const what = rng.below(7);
      if (what === 0) {
        s.entries = rng.pick([[], ["/nowhere"], ["/app", "/app"], [""], [0], "/app"]);
      } else if (what === 1) {
        if (Array.isArray(s.stamps)) s.stamps.push({ kind: "missing" });
        else s.stamps = [];
      } else if (what === 2 && Array.isArray(s.stamps) && s.stamps.length > 0) {
        s.stamps[0] = rng.pick([
          { kind: "missing" },
          { kind: "file", mtimeMs: 0, size: 0 },
          { kind: "dir", mtimeMs: 0, names: [] },
          { kind: "dir", mtimeMs: s.stamps[0]?.mtimeMs, names: ["other.py"] },
          { kind: "link" },
          null,
          "dir",
        ]);
      } else if (what === 3 && Array.isArray(s.stamps) && s.stamps.length > 0) {
        const st = s.stamps[0];
        if (st !== null && typeof st === "object")
          st.mtimeMs = rng.pick([st.mtimeMs + 1, -1, 0.5, 1e300, null, "0", st.mtimeMs + 0.001]);
      } else if (what === 4 && Array.isArray(s.stamps) && s.stamps.length > 0) {
        const st = s.stamps[0];
        if (st !== null && typeof st === "object" && Array.isArray(st.names))
          st.names = rng.pick([[], [...st.names, ...st.names], ["x.py"], [0], null]);
      } else if (what === 5) {
        m.search = rng.pick([null, [], {}, { entries: [], stamps: [] }]);
      } else {
        s.stamps = s.entries;
      }
      return [index, `search modules[${i}] edit ${what}: ${show(m.search)}`];
    },
  ],
  [
    6,
    "source",
    (rng, index, _code, seed) => {
      const picked = someModule(rng, index);
      if (!picked || typeof picked[0]?.source !== "object" || picked[0].source === null)
        return [index, "source:none"];
      const [m, i] = picked;
      const src = m.source;
      const field = rng.pick(["file", "mtimeMs", "size", "sha256", "whole"]);
      if (field === "file") src.file = rng.pick([...Object.keys(seed.files), "/nowhere.py", "", "/", 0]);
      else if (field === "mtimeMs")
        src.mtimeMs = rng.pick([(src.mtimeMs ?? 0) + 1, (src.mtimeMs ?? 0) - 1000, -1, 0.25, 1e300, "1"]);
      else if (field === "size") src.size = rng.pick([(src.size ?? 0) + 1, 0, -1, 1.5, 2 ** 53, null]);
      else if (field === "sha256")
        src.sha256 = rng.pick(["0".repeat(64), "A".repeat(64), "0".repeat(63), "", 0, "g".repeat(64)]);
      else
        m.source = rng.pick([null, {}, { file: src.file }, "x", { file: src.file, sha256: "0".repeat(64) }]);
      return [index, `source modules[${i}].${field} → ${show(m.source)}`];
    },
  ],
  [
    5,
    "origin-loader-file",
    (rng, index, _code, seed) => {
      const picked = someModule(rng, index);
      if (!picked) return [index, "origin-loader-file:none"];
      const [m, i] = picked;
      const field = rng.pick(["origin", "loader", "file"]);
      m[field] = rng.pick([null, "", "/nowhere.py", 0, ...Object.keys(seed.files)]);
      return [index, `${field} modules[${i}].${field}=${show(m[field])}`];
    },
  ],
  [
    5,
    "top",
    (rng, index) => {
      if (index === null || typeof index !== "object") return [index, "top:none"];
      const field = rng.pick(["profile", "codeFormat", "codeFormat.version", "identity", "modules"]);
      let value: Loose;
      if (field === "profile") value = index.profile = rng.pick(["cpython-3.12", "", "cpython-3.11 ", 3.11]);
      else if (field === "codeFormat")
        value = index.codeFormat = rng.pick([null, {}, { name: "importkit-ast" }, { name: "x", version: 1 }]);
      else if (field === "codeFormat.version") {
        if (index.codeFormat && typeof index.codeFormat === "object")
          index.codeFormat.version = rng.pick([0, 2, -1, 1.5, "1", 2 ** 53]);
        value = index.codeFormat;
      } else if (field === "identity") {
        value = index.identity = rng.pick(["hash", "stamp", "HASH", "", null]);
      } else value = index.modules = rng.pick([null, {}, "[]", [null], [0], [[]]]);
      return [index, `top index.${field}=${show(value)}`];
    },
  ],
  [
    8,
    "modules-list",
    (rng, index, _code, seed) => {
      const modules = modulesOf(index);
      if (modules.length === 0) {
        if (index && typeof index === "object")
          index.modules = [{ name: "zz_forged", package: "", path: null, file: null }];
        return [index, "modules-list added a bare module"];
      }
      const what = rng.below(5);
      const i = rng.below(modules.length);
      if (what === 0) modules.splice(i, 1);
      else if (what === 1) modules.splice(i, 0, structuredClone(modules[i]));
      else if (what === 2) modules.reverse();
      else if (what === 3) {
        // A copy under a new name: served under a name the path cannot find.
        const copy = structuredClone(modules[i]);
        copy.name = rng.pick(["zz_forged", `${seed.frozen[0] ?? "x"}_copy`, "pkg.zz_forged"]);
        copy.package =
          copy.path !== null ? copy.name : copy.name.slice(0, Math.max(0, copy.name.lastIndexOf(".")));
        modules.push(copy);
      } else {
        for (let k = modules.length - 1; k > 0; k--) {
          const j = rng.below(k + 1);
          [modules[k], modules[j]] = [modules[j], modules[k]];
        }
      }
      return [
        index,
        `modules-list ${["drop", "duplicate", "reverse", "copy-renamed", "shuffle"][what]} @${i}`,
      ];
    },
  ],
  [
    8,
    "generic",
    (rng, index, code) => {
      const paths = pathsOf(index);
      const path = rng.pick(paths);
      const old = getAt(index, path);
      const leaves = paths.map((p) => getAt(index, p)).filter((v) => v === null || typeof v !== "object");
      const what = rng.below(4);
      let value: Loose;
      if (what === 0) value = rng.pick(HOSTILE_VALUES);
      else if (what === 1) value = rng.pick(leaves);
      else if (what === 2)
        value = typeof old === "number" ? numberEdit(rng, old, code.length, leaves) : undefined;
      else value = structuredClone(getAt(index, rng.pick(paths)));
      if (value === undefined && path.length > 0) {
        // Delete the key (or the list item).
        const parent = getAt(index, path.slice(0, -1));
        const key = path.at(-1)!;
        if (Array.isArray(parent) && typeof key === "number") parent.splice(key, 1);
        else if (parent !== null && typeof parent === "object") delete parent[key];
        return [index, `generic delete ${showPath(path)}`];
      }
      return [setAt(index, path, value ?? null), `generic ${showPath(path)}=${show(value ?? null)}`];
    },
  ],
];

const INDEX_OPS_WEIGHT = INDEX_OPS.reduce((s, [w]) => s + w, 0);

function indexOp(rng: Rng): IndexOp {
  let r = rng.below(INDEX_OPS_WEIGHT);
  for (const [w, , op] of INDEX_OPS) {
    if (r < w) return op;
    r -= w;
  }
  return INDEX_OPS[0]![2];
}

/** Edits of the index text (JSON) that no parsed value can express, or that only the text shows. */
function textEdit(rng: Rng, text: string): [string, string] {
  const numbers = [...text.matchAll(/(?<=[:[,])-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g)];
  const strings = [...text.matchAll(/"(?:[^"\\]|\\.)*"/g)];
  const at = (matches: RegExpMatchArray[]) => rng.pick(matches);
  const replace = (m: RegExpMatchArray, by: string) =>
    text.slice(0, m.index) + by + text.slice(m.index! + m[0].length);
  const what = rng.below(10);
  if (what === 0 && numbers.length > 0) {
    const m = at(numbers);
    const by = rng.pick([
      "1e400",
      "-1e400",
      "-0",
      "1.0",
      "1e0",
      "0.5",
      "-1",
      "4294967296",
      "9007199254740993",
      "1e21",
      "NaN",
      "01",
      "+1",
      "0x1",
      ".5",
      `${m[0]}.000`,
      `${m[0]}e0`,
    ]);
    return [replace(m, by), `text number@${m.index} ${m[0]}→${by}`];
  }
  if (what === 1 && strings.length > 0) {
    const m = at(strings);
    const n = rng.pick([10, 1000, 100_000]);
    const by = rng.pick([
      '""',
      '"\\u0000"',
      '"\\ud800"',
      '"\\udc00x"',
      `"${"a".repeat(100_000)}"`,
      '"\\/app\\/main.py"',
      '"a\\u002eb"',
      '"\\u00e9"',
      '"é"',
      `${"[".repeat(n)}${"]".repeat(n)}`,
      `${'{"a":'.repeat(n)}0${"}".repeat(n)}`,
      "null",
      "0",
    ]);
    return [replace(m, by), `text string@${m.index} ${m[0].slice(0, 30)}→${by.slice(0, 20)}(${by.length})`];
  }
  if (what === 2) {
    const opens = [...text.matchAll(/\{/g)];
    if (opens.length > 0) {
      const m = at(opens);
      const key = rng.pick([
        "name",
        "offset",
        "length",
        "crc32",
        "kind",
        "path",
        "package",
        "file",
        "profile",
        "identity",
        "modules",
        "__proto__",
        "constructor",
        "toString",
      ]);
      const value = rng.pick(['"zz_forged"', "0", "1", "null", "[]", "{}", '"executor"', '"cpython-3.11"']);
      // After the brace: overridden by the object's own key, if it has one (JSON.parse keeps the last).
      // Before the matching close: overrides it (found by scanning forward; nested objects skipped).
      if (rng.chance(0.5)) {
        const by = `{"${key}":${value},`;
        return [replace(m, by), `text key-first@${m.index} ${key}=${value}`];
      }
      let depth = 0;
      let end = m.index!;
      let inString = false;
      for (; end < text.length; end++) {
        const c = text[end];
        if (inString) {
          if (c === "\\") end++;
          else if (c === '"') inString = false;
        } else if (c === '"') inString = true;
        else if (c === "{" || c === "[") depth++;
        else if (c === "}" || c === "]") {
          depth--;
          if (depth === 0) break;
        }
      }
      return [
        `${text.slice(0, end)},"${key}":${value}${text.slice(end)}`,
        `text key-last@${end} ${key}=${value}`,
      ];
    }
  }
  if (what === 3) {
    // Whitespace JSON allows: the index must still be read the same.
    let out = "";
    for (const c of text) out += c === "," || c === ":" ? rng.pick([c, ` ${c} `, `${c}\n\t`]) : c;
    return [rng.chance(0.5) ? `\n ${out}\r\n` : out, "text whitespace"];
  }
  if (what === 4) return [`\ufeff${text}`, "text BOM"];
  if (what === 5) {
    const n = rng.below(text.length);
    return [text.slice(0, n), `text truncate@${n}`];
  }
  if (what === 6) {
    const junk = rng.pick(["}", "]", " x", "\0", "{}", "//", '"'] as const);
    return [text + junk, `text append ${JSON.stringify(junk)}`];
  }
  if (what === 7) {
    // A lone surrogate written raw: TextEncoder makes it U+FFFD, a valid (different) character.
    const m = strings.length > 0 ? at(strings) : null;
    if (m) return [replace(m, `"${m[0].slice(1, -1)}\ud800"`), `text raw-surrogate@${m.index}`];
  }
  if (what === 8) {
    // Key order: the first two keys of some object swapped (must not matter).
    const m =
      /\{("(?:[^"\\]|\\.)*":(?:"(?:[^"\\]|\\.)*"|[^,{}[\]]*)),("(?:[^"\\]|\\.)*":(?:"(?:[^"\\]|\\.)*"|[^,{}[\]]*))/g;
    const all = [...text.matchAll(m)];
    if (all.length > 0) {
      const hit = rng.pick(all);
      return [replace(hit, `{${hit[2]},${hit[1]}`), `text key-order@${hit.index}`];
    }
  }
  return [text.replace(/"modules":\[/, '"modules":[ '), "text space-in-modules"];
}

const HEADER_FIELDS = [
  ["magic", 0],
  ["version", 8],
  ["indexLength", 12],
  ["crc", 16],
  ["codeLength", 20],
  ["count", 24],
  ["reserved", 28],
] as const;

/** One header field set to something else; sometimes index and code length moved together. */
function headerEdit(rng: Rng, bytes: Uint8Array): [Uint8Array, string] {
  const out = bytes.length >= HEADER_SIZE ? bytes.slice() : concat(bytes, new Uint8Array(HEADER_SIZE));
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  if (rng.chance(0.15)) {
    const d = rng.pick([1, -1, 2, -3, 64, -64]);
    const il = view.getUint32(12, true);
    const cl = view.getUint32(20, true);
    view.setUint32(12, (il + d) >>> 0, true);
    view.setUint32(20, (cl - d) >>> 0, true);
    return [out, `header index length ${d >= 0 ? "+" : ""}${d}, code length ${-d >= 0 ? "+" : ""}${-d}`];
  }
  const [name, at] = rng.pick(HEADER_FIELDS);
  if (name === "magic") {
    const i = rng.below(8);
    out[i] = out[i]! ^ (1 << rng.below(8));
    return [out, `header magic byte ${i} flipped`];
  }
  const old = view.getUint32(at, true);
  const value = rng.pick([
    old + 1,
    old - 1,
    0,
    1,
    2,
    0xffffffff,
    0x80000000,
    0x7fffffff,
    out.length,
    out.length - HEADER_SIZE,
    old ^ (1 << rng.below(32)),
    rng.next(),
  ]);
  view.setUint32(at, value >>> 0, true);
  return [out, `header ${name} ${old}→${value >>> 0}`];
}

/** Bytes mutated by mutate.ts (as a raw marshal blob of CPython 3.11: its type-aware mutations apply). */
function byteMutations(rng: Rng, name: string, bytes: Uint8Array): [Uint8Array, string[]] {
  const seedFile: SeedFile = { name, kind: "raw", version: "3.11", bytes };
  const made = makeInput(rng.next(), rng.next(), [seedFile]);
  return [made.bytes, made.steps.slice(1)];
}

/** The code area laid out again: blocks in `order`, junk or decoy copies between them, offsets fixed. */
function relayout(rng: Rng, parts: Parts, shuffle: boolean, pad: boolean): string {
  const modules = modulesOf(parts.index);
  const blocks = modules.map((m) => blockOf(m, parts.code));
  if (blocks.some((b) => b === null)) return "relayout:none (a block is not located)";
  const order = modules.map((_, i) => i);
  if (shuffle)
    for (let k = order.length - 1; k > 0; k--) {
      const j = rng.below(k + 1);
      [order[k], order[j]] = [order[j]!, order[k]!];
    }
  const pieces: Uint8Array[] = [];
  let at = 0;
  const junk = () => {
    if (!pad || !rng.chance(0.5)) return;
    const piece =
      blocks.length > 0 && rng.chance(0.5)
        ? rng.pick(blocks)!.slice()
        : Uint8Array.from({ length: rng.smallish(64) }, () => rng.below(256));
    pieces.push(piece);
    at += piece.length;
  };
  for (const i of order) {
    junk();
    modules[i].code.offset = at;
    pieces.push(blocks[i]!);
    at += blocks[i]!.length;
  }
  junk();
  parts.code = concat(...pieces);
  return `relayout${shuffle ? " shuffled" : ""}${pad ? " padded" : ""}`;
}

/** Seal `parts`: the index as JSON (or edited text/bytes), its CRC and lengths right, the count mostly. */
function sealParts(rng: Rng, parts: Parts, seedCount: number, steps: string[], textEdits = 0): Uint8Array {
  let text = JSON.stringify(parts.index) ?? "null";
  for (let k = 0; k < textEdits; k++) {
    const [edited, step] = textEdit(rng, text);
    text = edited;
    steps.push(step);
  }
  let indexBytes: Uint8Array = new TextEncoder().encode(text);
  if (textEdits === 0 && rng.chance(0.12)) {
    const [mutated, byteSteps] = byteMutations(rng, "index", indexBytes);
    indexBytes = mutated;
    steps.push(`index bytes: ${byteSteps.join("; ")}`);
  }
  const modules = Array.isArray(parts.index?.modules) ? parts.index.modules.length : seedCount;
  let count = modules;
  if (rng.chance(0.08)) {
    count = rng.pick([modules + 1, modules - 1, 0, 0xffffffff]);
    steps.push(`count ${count >>> 0} (the index lists ${modules})`);
  }
  steps.push("sealed");
  return seal(indexBytes, parts.code, count);
}

function pickTier(rng: Rng): Tier {
  let r = rng.below(TIERS.reduce((s, [w]) => s + w, 0));
  for (const [w, tier] of TIERS) {
    if (r < w) return tier;
    r -= w;
  }
  return "raw";
}

/** Snapshot input `index` of the run seeded `seed`: the same bytes and settings every time. */
export function makeSnapshotInput(
  seed: number,
  index: number,
  seeds: readonly SnapshotSeed[],
): SnapshotInput {
  const rng = new Rng(seed ^ SNAPSHOT_STREAM_SALT, index);
  const base = seeds[rng.below(seeds.length)]!;
  const edits = worldEdits(base);
  const edit = edits.length > 0 && rng.chance(0.2) ? rng.pick(edits).name : null;
  const strict = rng.chance(0.25) && edit === null;
  const validate = !rng.chance(1 / 7) || edit !== null;
  const settings: SnapshotSettings = {
    strict,
    validate,
    edit,
    prefixed: rng.chance(1 / 8),
    reversed: rng.chance(0.5),
  };
  const tier = pickTier(rng);
  const steps: string[] = [`base ${base.name}`, tier];
  const seedCount = modulesOf(partsOf(base.bytes).index).length;
  let bytes: Uint8Array = base.bytes;
  if (tier === "raw") {
    const [mutated, byteSteps] = byteMutations(rng, base.name, base.bytes);
    bytes = mutated;
    steps.push(...byteSteps);
  } else if (tier === "code-area") {
    const { indexBytes, code } = splitSnapshot(base.bytes);
    if (code.length === 0) {
      bytes = concat(base.bytes, Uint8Array.of(0));
      steps.push("append 1 byte to an empty code area");
    } else {
      const [mutated, byteSteps] = byteMutations(rng, `${base.name}:code`, code);
      bytes = concat(base.bytes.subarray(0, HEADER_SIZE), indexBytes, mutated);
      steps.push(...byteSteps);
    }
    new DataView(bytes.buffer, bytes.byteOffset).setUint32(
      20,
      bytes.length - HEADER_SIZE - indexBytes.length,
      true,
    );
    steps.push("header code length fixed");
  } else if (tier === "header") {
    const n = 1 + rng.below(2);
    for (let k = 0; k < n; k++) {
      const [edited, step] = headerEdit(rng, bytes);
      bytes = edited;
      steps.push(step);
    }
  } else if (tier === "index") {
    const parts = partsOf(base.bytes);
    if (rng.chance(0.2)) steps.push(relayout(rng, parts, rng.chance(0.5), rng.chance(0.5)));
    const n = 1 + Math.min(3, rng.below(4) * rng.below(2));
    for (let k = 0; k < n; k++) {
      // An edit meets what earlier ones left (a module that is now null, a string…): where it cannot
      // apply, it stops there (deterministically: the input is still a function of the seed and index).
      try {
        const [index, step] = indexOp(rng)(rng, parts.index, parts.code, base);
        parts.index = index;
        steps.push(step);
      } catch (error) {
        steps.push(`(an edit did not apply: ${error instanceof Error ? error.message : String(error)})`);
      }
    }
    bytes = sealParts(rng, parts, seedCount, steps, rng.chance(0.3) ? 1 + rng.below(2) : 0);
    if (rng.chance(0.1)) {
      const [edited, step] = headerEdit(rng, bytes);
      bytes = edited;
      steps.push(step);
    }
  } else if (tier === "relayout") {
    const parts = partsOf(base.bytes);
    steps.push(relayout(rng, parts, rng.chance(0.7), rng.chance(0.7)));
    if (rng.chance(0.2)) {
      const [edited, step] = textEdit(rng, JSON.stringify(parts.index));
      // Only the edits that keep the index's meaning are wanted here: whitespace, key order.
      if (step === "text whitespace" || step.startsWith("text key-order")) {
        steps.push(step);
        bytes = seal(new TextEncoder().encode(edited), parts.code, modulesOf(parts.index).length);
        steps.push("sealed");
        return { index, seed: base, bytes, steps, settings };
      }
    }
    bytes = seal(
      new TextEncoder().encode(JSON.stringify(parts.index)),
      parts.code,
      modulesOf(parts.index).length,
    );
    steps.push("sealed");
  } else if (tier === "forge-code") {
    const parts = partsOf(base.bytes);
    const modules = modulesOf(parts.index);
    const blocks = modules.map((m) => blockOf(m, parts.code)!);
    const n = modules.length === 0 ? 0 : rng.chance(0.25) ? 2 : 1;
    for (let k = 0; k < n; k++) {
      const i = rng.below(modules.length);
      const m = modules[i];
      const old = blocks[i]!;
      let forged: Uint8Array;
      let step: string;
      if (rng.chance(0.12)) {
        const j = rng.below(modules.length);
        forged = blocks[j]!.slice();
        step = `code of modules[${j}] (${modules[j].name}, ${modules[j].code.kind})`;
      } else if (m.code.kind === "executor" && rng.chance(0.85)) {
        try {
          [forged, step] = forgeExecutorCode(
            rng,
            old,
            blocks.filter((_, j) => modules[j].code.kind === "executor"),
          );
        } catch (error) {
          if (error instanceof WriterMismatch) throw error;
          // Deterministic, like the index edits: the code stays as it was.
          [forged, step] = [
            old,
            `(the code edit did not apply: ${error instanceof Error ? error.message : error})`,
          ];
        }
      } else {
        const [mutated, byteSteps] = byteMutations(rng, `${base.name}:${m.name}`, old);
        forged = mutated;
        step = `bytes ${byteSteps.join("; ")}`;
      }
      blocks[i] = forged;
      m.code.length = forged.length;
      const keepCrc = rng.chance(0.2);
      if (!keepCrc) m.code.crc32 = crc32(forged);
      steps.push(`forge modules[${i}] (${m.name}): ${step}; CRC ${keepCrc ? "kept" : "recomputed"}`);
    }
    let at = 0;
    for (let i = 0; i < modules.length; i++) {
      modules[i].code.offset = at;
      at += blocks[i]!.length;
    }
    parts.code = concat(...blocks);
    if (modules.length === 0) {
      // Nothing to forge: junk no module points at (it must change nothing).
      parts.code = Uint8Array.from({ length: rng.smallish(256) }, () => rng.below(256));
      steps.push(`no module: ${parts.code.length} bytes of junk as the code area`);
    }
    bytes = seal(new TextEncoder().encode(JSON.stringify(parts.index)), parts.code, modules.length);
    steps.push("sealed");
  }
  return { index, seed: base, bytes, steps, settings };
}

// ---- the reference: the path importer alone ------------------------------------------------------

const KEPT_DUNDERS = new Set(["__name__", "__file__", "__package__", "__path__", "__doc__"]);

const isDunder = (k: string) => k.length > 4 && k.startsWith("__") && k.endsWith("__");

/** A value as text, deeply (floats by Object.is, sets sorted, classes with their attributes). */
function fingerprint(value: PyValue, depth = 0): string {
  if (depth > 24) return "…";
  if (value === null) return "None";
  switch (typeof value) {
    case "boolean":
      return value ? "True" : "False";
    case "bigint":
      return `${value}`;
    case "number":
      return Object.is(value, -0) ? "-0.0" : `float(${value})`;
    case "string":
      return JSON.stringify(value);
  }
  const items = (xs: readonly PyValue[]) =>
    xs
      .slice(0, 2000)
      .map((x) => fingerprint(x, depth + 1))
      .join(",");
  if (value instanceof PyBytes) return `b'${Buffer.from(value.data).toString("hex")}'`;
  if (value instanceof PyList) return `[${items(value.items)}]`;
  if (value instanceof PyTuple) return `(${items(value.items)})`;
  if (value instanceof PySet)
    return `${value.pyType}{${[...value.items.values()]
      .map((x) => fingerprint(x, depth + 1))
      .sort()
      .join(",")}}`;
  if (value instanceof PyDict)
    return `{${[...value.entries.values()]
      .slice(0, 2000)
      .map(([k, v]) => `${fingerprint(k, depth + 1)}:${fingerprint(v, depth + 1)}`)
      .join(",")}}`;
  if (value instanceof Module) return `<module ${value.name}>`;
  if (value instanceof PyFunction) return `<function ${value.module}.${value.qualname}>`;
  if (value instanceof PyClass)
    return `<class ${value.module}.${value.qualname} ${[...value.attrs]
      .filter(([k]) => k !== "__module__" && k !== "__qualname__")
      .map(([k, v]) => `${k}=${fingerprint(v, depth + 1)}`)
      .sort()
      .join(",")}>`;
  return `<${typeName(value)}>`;
}

/** A module as the oracle compares it: its namespace (no submodules, few dunders), every value deeply. */
export function describeModule(module: Module | null): string {
  if (module === null) return "None";
  const lines: string[] = [];
  for (const [k, v] of module.dict) {
    if (isDunder(k) ? !KEPT_DUNDERS.has(k) : v instanceof Module && v.name === `${module.name}.${k}`)
      continue;
    lines.push(`${k}=${fingerprint(v)}`);
  }
  return lines.sort().join("\n");
}

interface Reference {
  /** "ok", or the Python exception type an import of the name raised. */
  readonly results: ReadonlyMap<string, string>;
  /** Every module the imports loaded, described. */
  readonly modules: ReadonlyMap<string, string>;
  /** What importing each name (and each module loaded) alone loads in a fresh system: itself, parents, imports. */
  readonly deps: ReadonlyMap<string, ReadonlySet<string>>;
  /** The modules of a fresh system (built-ins), never compared. */
  readonly baseline: ReadonlySet<string>;
}

interface PreparedSeed {
  readonly seed: SnapshotSeed;
  readonly original: Snapshot;
  /** The names the leg imports: what the seed froze, then the extras, sorted. */
  readonly names: readonly string[];
  /** By {@link referenceKey}. */
  readonly references: Map<string, Reference>;
}

const prepared = new Map<string, PreparedSeed>();

const referenceKey = (s: Pick<SnapshotSettings, "edit" | "prefixed" | "reversed">) =>
  `${s.edit ?? ""}|${s.prefixed}|${s.reversed}`;

// ---- world edits: the world changed after the snapshot was made -----------------------------------

interface WorldEdit {
  readonly name: string;
  /** Files written (created, or their content replaced). */
  readonly writes?: Readonly<Record<string, string>>;
  readonly removes?: readonly string[];
  /** Files whose mtime moves, content unchanged. */
  readonly touches?: readonly string[];
}

const EDITED_MTIME = SNAPSHOT_MTIME + 10;
const editsBySeed = new Map<string, readonly WorldEdit[]>();

/**
 * The world edits of a seed (at most six, the same in every process): the first module with a `.py`
 * source gets other content; the last plain module's file is removed; a top-level module found further down
 * the path gets a same-named module in the first entry; a top-level module gets a package of its name beside
 * it (a package comes first); a zip archive is touched, or removed. Each moves the mtime of the files it writes (to
 * {@link EDITED_MTIME}), and of the directories that gain or lose an entry, as a real file system would.
 */
export function worldEdits(seed: SnapshotSeed): readonly WorldEdit[] {
  const known = editsBySeed.get(seed.name);
  if (known) return known;
  const modules = [...decodeSnapshot(seed.bytes, SNAPSHOT_FILE).modules.values()].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  const edits: WorldEdit[] = [];
  const plain = modules.filter(
    (m) => seed.files[m.source.file] !== undefined && /\.pyc?$/.test(m.source.file),
  );
  const py = plain.find((m) => m.source.file.endsWith(".py"));
  if (py) edits.push({ name: `edit ${py.source.file}`, writes: { [py.source.file]: "EDITED = 1\n" } });
  const leaf = [...plain].reverse().find((m) => m.path === null && m !== py);
  if (leaf) edits.push({ name: `remove ${leaf.source.file}`, removes: [leaf.source.file] });
  const isDir = (entry: string) =>
    entry.startsWith("/") &&
    Object.keys(seed.files).some((f) => f.startsWith(`${entry}/`) && !f.endsWith(".zip"));
  const later = modules.find(
    (m) => !m.name.includes(".") && m.search.entries.length >= 2 && isDir(m.search.entries[0]!),
  );
  if (later) {
    const file = `${later.search.entries[0]}/${later.name}.py`;
    edits.push({ name: `shadow ${file}`, writes: { [file]: "SHADOW = 1\n" } });
  }
  const own = plain.find((m) => !m.name.includes(".") && m.path === null);
  if (own) {
    const file = `${posix.dirname(own.source.file)}/${own.name}/__init__.py`;
    edits.push({ name: `package ${file}`, writes: { [file]: "PKG = 1\n" } });
  }
  const zip = Object.keys(seed.files).find((f) => f.endsWith(".zip"));
  if (zip) {
    edits.push({ name: `touch ${zip}`, touches: [zip] });
    edits.push({ name: `remove ${zip}`, removes: [zip] });
  }
  editsBySeed.set(seed.name, edits);
  return edits;
}

/** The seed's world (snapshotWorld), changed by the edit named `name` (none when null). */
function worldOf(seed: SnapshotSeed, name: string | null): MemFileSystem {
  const fs = snapshotWorld(seed);
  if (name === null) return fs;
  const edit = worldEdits(seed).find((e) => e.name === name);
  if (edit === undefined) throw new Error(`snapshot seed ${seed.name} has no world edit ${name}`);
  const seconds = (path: string) => (fs.stat(path)?.mtimeMs ?? 0) / 1000;
  const gained = new Set<string>();
  const kept = new Map<string, number>();
  for (const [path, text] of Object.entries(edit.writes ?? {})) {
    const dir = posix.dirname(path);
    if (fs.stat(dir) === undefined) {
      fs.mkdir(dir);
      gained.add(posix.dirname(dir));
      gained.add(dir);
    } else if (fs.stat(path) === undefined) gained.add(dir);
    else if (!kept.has(dir)) kept.set(dir, seconds(dir));
    fs.writeFile(path, new TextEncoder().encode(text));
    fs.utimes(path, EDITED_MTIME);
  }
  for (const path of edit.removes ?? []) {
    fs.remove(path);
    gained.add(posix.dirname(path));
  }
  for (const path of edit.touches ?? []) fs.utimes(path, EDITED_MTIME);
  // A directory's mtime moves when it gains or loses an entry, and only then (whatever memfs did).
  for (const dir of gained) fs.utimes(dir, EDITED_MTIME);
  for (const [dir, mtime] of kept) if (!gained.has(dir)) fs.utimes(dir, mtime);
  return fs;
}

// ---- references -----------------------------------------------------------------------------------

function referenceSystem(seed: SnapshotSeed, edit: string | null, path: readonly string[]): ImportSystem {
  const system = createImportSystem({ fs: worldOf(seed, edit) });
  system.path = [...path];
  return system;
}

const outcomeOf = (error: unknown) => (error instanceof PyBaseException ? error.pyType : "crash");

/** The path importer alone, `names` imported in this order: each result, and every module it loaded. */
async function referenceRun(
  seed: SnapshotSeed,
  edit: string | null,
  path: readonly string[],
  names: readonly string[],
) {
  const system = referenceSystem(seed, edit, path);
  const baseline = new Set(system.modules.keys());
  const results = new Map<string, string>();
  for (const name of names) {
    try {
      await system.importModule(name);
      results.set(name, "ok");
    } catch (error) {
      results.set(name, outcomeOf(error));
    }
  }
  const modules = new Map<string, string>();
  for (const [name, module] of system.modules)
    if (!baseline.has(name)) modules.set(name, describeModule(module));
  return { results, modules, baseline };
}

/**
 * What importing each of `names` alone starts loading in a fresh system (itself, its parents, what it
 * imports), whether the loads succeed or not (a failed one is no longer in sys.modules: the load events say).
 */
async function dependencies(
  seed: SnapshotSeed,
  edit: string | null,
  path: readonly string[],
  names: Iterable<string>,
  baseline: ReadonlySet<string>,
) {
  const deps = new Map<string, Set<string>>();
  for (const name of names) {
    const alone = referenceSystem(seed, edit, path);
    const loaded = new Set<string>();
    alone.events.on((event) => {
      if (event.type === "load") loaded.add(event.name);
    });
    try {
      await alone.importModule(name);
    } catch {
      // what it loaded before failing still counts
    }
    for (const n of alone.modules.keys()) if (!baseline.has(n)) loaded.add(n);
    deps.set(name, loaded);
  }
  return deps;
}

/** Names a leg imports besides the frozen ones: missing ones, ones through packages and modules, unfrozen ones. */
function extraNames(seed: SnapshotSeed, original: Snapshot): string[] {
  const extras = new Set(["zz_fuzz_no_such_module", "nothere"]);
  const packages = [...original.modules.values()].filter((m) => m.path !== null).map((m) => m.name);
  for (const p of packages.slice(0, 3)) extras.add(`${p}.zz_missing`);
  const plain = [...original.modules.values()].find((m) => m.path === null);
  if (plain) extras.add(`${plain.name}.x`);
  for (const file of Object.keys(seed.files)) {
    const m = /^\/(?:app|lib)\/([A-Za-z_]\w*)\.pyc?$/.exec(file);
    if (m && !original.modules.has(m[1]!)) extras.add(m[1]!);
  }
  return [...extras].sort();
}

/** The seeds' references (the path importer alone, per world edit, path and order): made once per process. */
export async function prepareSnapshotSeeds(seeds: readonly SnapshotSeed[]): Promise<void> {
  for (const seed of seeds) {
    if (prepared.has(seed.name)) continue;
    const original = decodeSnapshot(seed.bytes, SNAPSHOT_FILE);
    const names = [...seed.frozen, ...extraNames(seed, original)].sort();
    const references = new Map<string, Reference>();
    for (const edit of [null, ...worldEdits(seed).map((e) => e.name)])
      for (const prefixed of [false, true]) {
        const path = prefixed ? ["/nowhere", ...seed.path] : seed.path;
        const sorted = await referenceRun(seed, edit, path, names);
        const reversed = await referenceRun(seed, edit, path, [...names].reverse());
        const loaded = new Set([...names, ...sorted.modules.keys(), ...reversed.modules.keys()]);
        const deps = await dependencies(seed, edit, path, loaded, sorted.baseline);
        references.set(referenceKey({ edit, prefixed, reversed: false }), { ...sorted, deps });
        references.set(referenceKey({ edit, prefixed, reversed: true }), { ...reversed, deps });
      }
    prepared.set(seed.name, { seed, original, names, references });
  }
}

// ---- the verdict: how far the opened snapshot is from its seed ----------------------------------

type EntryClass = "pristine" | "guarded" | "damaged" | "forged";

const sameList = (a: readonly string[] | null, b: readonly string[] | null) =>
  a === null || b === null ? a === b : a.length === b.length && a.every((x, i) => x === b[i]);

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

function entryClass(module: SnapshotModule, opened: Snapshot, original: Snapshot): EntryClass {
  const o = original.modules.get(module.name);
  if (o === undefined) return "forged";
  const version = (c: SnapshotModule["code"]) => (c.kind === "cpython" ? c.version : "");
  if (
    module.file !== o.file ||
    module.package !== o.package ||
    !sameList(module.path, o.path) ||
    module.code.kind !== o.code.kind ||
    module.code.filename !== o.code.filename ||
    version(module.code) !== version(o.code)
  )
    return "forged";
  const bytes = opened.code.subarray(module.code.offset, module.code.offset + module.code.length);
  const originalBytes = original.code.subarray(o.code.offset, o.code.offset + o.code.length);
  const crcHolds = crc32(bytes) === module.code.crc32;
  if (!sameBytes(bytes, originalBytes)) return crcHolds ? "forged" : "damaged";
  if (!crcHolds) return "damaged";
  const guards = (m: SnapshotModule, s: Snapshot) =>
    JSON.stringify([m.origin, m.loader, m.search, m.source, s.index.identity]);
  return guards(module, opened) === guards(o, original) ? "pristine" : "guarded";
}

// ---- the leg -----------------------------------------------------------------------------------------

function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return `non-Error thrown: ${String(error)}`;
}

/**
 * A reason as a kind for the summary: the module and parenthesised details dropped, up to the first colon or
 * semicolon, quoted text as S and numbers as N, at most 6 words, no spaces (run.ts splits counts on them).
 * Executor code the code format refuses is one kind per complaint, wherever it is: `byte N: a line number is
 * not in its shortest form` → `code-format:a-line-number-is-not-in-its-shortest-form` (up to 10 words, colons
 * dropped), `strings: not JSON: …` → `code-format:strings-not-JSON`.
 */
function reasonKind(reason: string): string {
  const words = (text: string, most = 6, chars = 48) =>
    text
      .replace(/"(?:[^"\\]|\\.)*"/g, "S")
      .replace(/'(?:[^'\\]|\\.)*'/g, "S")
      .replace(/\d+/g, "N")
      .split(/\s+/)
      .filter((w) => w !== "")
      .slice(0, most)
      .join("-")
      .slice(0, chars) || "empty";
  const r = reason.replace(/^module .*?: /, "").replace(/^module .* is listed twice$/, "module listed twice");
  const plain = r.replace(/ \([^)]*\)/g, "");
  const at = /^byte \d+: /.exec(plain);
  if (at !== null) return `code-format:${words(plain.slice(at[0].length).replace(/ - |:/g, " "), 10, 64)}`;
  const cut = (text: string) => text.replace(/[:;].*$/s, "");
  if (plain.startsWith("strings: ")) return `code-format:strings-${words(cut(plain.slice(9)))}`;
  return words(cut(plain));
}

const TYPED_CAUSES = [SnapshotError, CodeBytesError, CodeFormatError, MarshalError, FileSystemError];

/** Outcome of a call of the snapshot leg: allowed kinds, or a finding. */
function classifySnapshot(error: unknown): { kind: string; finding?: string } {
  if (error instanceof PluginError) {
    if (error.cause instanceof SnapshotError) {
      const inner = classifySnapshot(error.cause);
      return { kind: `refused:${inner.kind.replace(/^SnapshotError:/, "")}`, finding: inner.finding };
    }
    return {
      kind: "PluginError",
      finding: `the snapshot plugin failed with something other than a SnapshotError: ${describe(error)}\ncaused by ${describe(error.cause)}`,
    };
  }
  if (error instanceof SnapshotError) {
    // The chain under it is the importer's own typed errors; a JS error there was wrapped, not handled.
    for (let cause = error.cause; cause !== undefined; cause = (cause as Error).cause) {
      if (!TYPED_CAUSES.some((t) => cause instanceof t))
        return {
          kind: "SnapshotError:masked-js-error",
          finding: `a SnapshotError caused by a JS error: ${describe(error)}\ncaused by ${describe(cause)}`,
        };
      if (cause instanceof MarshalError) {
        const masked = maskedJsError(cause);
        if (masked)
          return { kind: "SnapshotError:masked-js-error", finding: `${masked}, under ${describe(error)}` };
      }
    }
    // A reason names the file and what is wrong on one line; a raw control character there is the input's.
    if (/[\p{Cc}\u2028\u2029]/u.test(error.reason))
      return {
        kind: "SnapshotError:raw-control-character",
        finding: `a SnapshotError's reason holds a raw control character: ${JSON.stringify(error.reason)}`,
      };
    return { kind: `${error.pyType}:${reasonKind(error.reason)}` };
  }
  if (
    error instanceof MarshalError ||
    error instanceof PycFormatError ||
    error instanceof CodeFormatError ||
    error instanceof CodeBytesError
  )
    return {
      kind: `leaked:${error.name}`,
      finding: `a ${error.name} escaped the snapshot importer (it raises SnapshotError for damaged code): ${describe(error)}`,
    };
  return classify(error, Number.MAX_SAFE_INTEGER);
}

const HOSTILE_LOADER_NAMES = ["", ".", "..", "a..b", "pkg.", ".pkg", "zz_fuzz_no_such_module", "x\0y", "a/b"];
/** Names of the opened index (forged ones included) the leg imports and asks the importer about, at most. */
const MAX_INDEX_NAMES = 16;

export async function snapshotLeg(input: SnapshotInput): Promise<Outcome[]> {
  const { bytes, seed, settings } = input;
  const length = bytes.length;
  const prep = prepared.get(seed.name);
  if (prep === undefined) throw new Error(`snapshot seed ${seed.name} was not prepared`);
  const ref = prep.references.get(referenceKey(settings))!;
  const outcomes: Outcome[] = [];
  let lastError: unknown = null;

  /** One call, judged; `coarse`: a SnapshotError is counted as one kind (its reasons are counted elsewhere). */
  const call = async <R>(
    leg: Leg,
    label: string,
    run: () => R | Promise<R>,
    coarse = false,
  ): Promise<R | undefined> => {
    const heap0 = heapNow();
    const t0 = performance.now();
    let kind = "ok";
    let finding: string | undefined;
    let value: R | undefined;
    lastError = null;
    try {
      value = await run();
    } catch (error) {
      ({ kind, finding } = classifySnapshot(error));
      if (coarse && finding === undefined) kind = kind.replace(/^(refused|SnapshotError):.*$/, "$1");
      lastError = error;
    }
    outcomes.push(finish(leg, length, `${label === "" ? "" : `${label}:`}${kind}`, finding, t0, heap0));
    tick();
    return value;
  };
  const breach = (leg: Leg, kind: string, what: string) => {
    outcomes.push({
      leg,
      kind,
      finding: `${what}\nsettings: ${JSON.stringify(settings)}`,
      ms: 0,
      heapGrowth: 0,
    });
  };

  // snapshot:open — what the plugin will meet, read directly; and the verdict.
  markPhase(PHASE_OPEN);
  const opened = await call("snapshot:open", "", () => decodeSnapshot(bytes, SNAPSHOT_FILE));
  const openError = lastError;
  const classes = new Map<string, EntryClass>();
  if (opened !== undefined)
    for (const module of opened.modules.values())
      classes.set(module.name, entryClass(module, opened, prep.original));
  const named = (c: EntryClass) => [...classes].filter(([, k]) => k === c).map(([n]) => n);
  const damaged = new Set(named("damaged"));
  const guarded = new Set(named("guarded"));
  const forged = named("forged");
  const tier =
    opened === undefined
      ? "unopenable"
      : forged.length > 0
        ? "forged"
        : damaged.size > 0 || guarded.size > 0
          ? `faithful-${damaged.size > 0 ? "damaged" : ""}${guarded.size > 0 ? "guarded" : ""}`
          : "faithful";
  const verdict = `tier ${tier}; damaged [${[...damaged]}], guarded [${[...guarded]}], forged [${forged.map((n) => JSON.stringify(n))}]`;

  // snapshot:system — the import system with the plugin first.
  markPhase(PHASE_IMPORT);
  const fs = worldOf(seed, settings.edit);
  const inner = new ScenarioExecutor();
  const executor: Executor = {
    codeFormat: inner.codeFormat,
    compile: (source, filename) => inner.compile(source, filename),
    exec: async (code, module, ctx) => {
      markPhase(PHASE_RUNNING);
      try {
        return await inner.exec(code, module, ctx);
      } finally {
        markPhase(PHASE_IMPORT);
      }
    },
  };
  const container = createContainer({
    fs,
    executor,
    plugins: [snapshot({ data: bytes, filename: SNAPSHOT_FILE }, settings)],
  });
  const runner = container.resolve<BytecodeRunner>(T.BYTECODE_RUNNER);
  const marking: BytecodeRunner = {
    async run(...args) {
      markPhase(PHASE_RUNNING);
      try {
        return await runner.run(...args);
      } finally {
        markPhase(PHASE_IMPORT);
      }
    },
  };
  container.register(T.BYTECODE_RUNNER, { useValue: marking });
  const system = await call(
    "snapshot:system",
    "",
    () => container.resolve<ImportSystem>(T.IMPORT_SYSTEM),
    opened === undefined,
  );
  const systemError = lastError;
  if (opened === undefined && openError instanceof SnapshotError) {
    // The plugin reads the same bytes: it must refuse them, for the same reason.
    const cause = systemError instanceof PluginError ? systemError.cause : systemError;
    if (system !== undefined)
      breach(
        "snapshot:system",
        "opened-what-decode-refuses",
        `decodeSnapshot refuses the bytes (${openError.reason}) but the plugin built a system from them`,
      );
    else if (cause instanceof SnapshotError && cause.reason !== openError.reason)
      breach(
        "snapshot:system",
        "refused-for-another-reason",
        `decodeSnapshot refuses the bytes (${openError.reason}); the plugin for another reason: ${cause.reason}`,
      );
  }
  if (opened !== undefined && system === undefined) {
    const cause = systemError instanceof PluginError ? systemError.cause : systemError;
    const reason = cause instanceof SnapshotError ? cause.reason : "";
    // An index that opens is only refused for another profile or code format (SnapshotImporter's checks).
    if (cause instanceof SnapshotError && !/^made for profile |^holds code in /.test(reason))
      breach(
        "snapshot:system",
        "refused-what-decode-opens",
        `decodeSnapshot opens the bytes but the plugin refuses them: ${reason}`,
      );
  }
  outcomes.push({
    leg: "snapshot:tier",
    kind: system === undefined ? (opened === undefined ? "unopenable" : "refused") : tier,
    ms: 0,
    heapGrowth: 0,
  });
  if (system === undefined) return outcomes;
  system.path = settings.prefixed ? ["/nowhere", ...seed.path] : [...seed.path];

  // snapshot:import — the seed's names (and names only the opened index lists, which only a forged one can).
  const faithful = tier.startsWith("faithful");
  // Guards decide what is served when the world changed: forged ones (the CRC was recomputed) may make the
  // importer serve a module the path no longer gives — the documented trust model ("a snapshot is trusted
  // code, like a .pyc") — so with a world edit a guarded module is as unvouched for as a damaged one.
  const edited = settings.edit !== null;
  const risky = new Set([...damaged, ...(settings.strict || edited ? guarded : [])]);
  const touchesRisky = (name: string) => [...(ref.deps.get(name) ?? [])].some((n) => risky.has(n));
  const baseNames = settings.reversed ? [...prep.names].reverse() : prep.names;
  const indexNames = [...classes.keys()].filter((n) => !prep.names.includes(n)).slice(0, 4);
  for (const name of [...baseNames, ...indexNames]) {
    const module = await call("snapshot:import", "", () => system.importModule(name));
    if (!faithful || !ref.results.has(name)) continue;
    const expected = ref.results.get(name)!;
    const error = lastError;
    if (module !== undefined) {
      if (expected !== "ok" && !touchesRisky(name))
        breach(
          "snapshot:import",
          "imported-what-the-path-cannot",
          `import ${name} succeeded; the path importer alone raises ${expected}. ${verdict}`,
        );
      continue;
    }
    if (error instanceof SnapshotStaleError) {
      const named = error.moduleName ?? "";
      if (!settings.strict || !(guarded.has(named) || damaged.has(named)) || !ref.deps.get(name)?.has(named))
        breach(
          "snapshot:import",
          "unexpected-stale",
          `import ${name} raised SnapshotStaleError for ${named} (strict ${settings.strict}): ${error.message}. ${verdict}`,
        );
    } else if (error instanceof SnapshotError) {
      const named = error.moduleName ?? "";
      // Served only where the path finds it — or anywhere, if its guards were forged and the world changed.
      const reachable = ref.deps.get(name)?.has(named) || (edited && guarded.has(named));
      if (!damaged.has(named) || !reachable)
        breach(
          "snapshot:import",
          "intact-module-refused",
          `import ${name} raised a SnapshotError for ${JSON.stringify(named)}, which is not a damaged module it imports: ${error.message}. ${verdict}`,
        );
    } else if (error instanceof PyBaseException) {
      if (error.pyType !== expected && !touchesRisky(name))
        breach(
          "snapshot:import",
          "unexpected-error",
          `import ${name} raised ${error.pyType}: ${error.message}; the path importer alone gives ${expected}. ${verdict}`,
        );
    }
  }

  // Never a wrong module: what the imports left in sys.modules against the path importer's.
  if (faithful) {
    for (const [name, module] of system.modules) {
      if (ref.baseline.has(name)) continue;
      const expected = ref.modules.get(name);
      if (expected === undefined) {
        // A guarded module served where the changed world has none can bring its imports along.
        if (edited && guarded.size > 0) continue;
        breach(
          "snapshot:oracle",
          "extra-module",
          `sys.modules holds ${JSON.stringify(name)} (from ${module?.spec?.loaderKind ?? "?"}); the path importer alone never loads it. ${verdict}`,
        );
        continue;
      }
      if (touchesRisky(name)) {
        outcomes.push({
          leg: "snapshot:oracle",
          kind: "skipped(imports-a-damaged/guarded-module)",
          ms: 0,
          heapGrowth: 0,
        });
        continue;
      }
      const got = describeModule(module);
      if (got === expected) outcomes.push({ leg: "snapshot:oracle", kind: "same", ms: 0, heapGrowth: 0 });
      else
        breach(
          "snapshot:oracle",
          "wrong-module",
          `module ${name} (from ${module?.spec?.loaderKind ?? "?"}) differs from the path importer's:\n` +
            `got:\n  ${got.split("\n").join("\n  ").slice(0, 1500)}\nexpected:\n  ${expected.split("\n").join("\n  ").slice(0, 1500)}\n${verdict}`,
        );
    }
  }

  // snapshot:loader — the importer's own methods, for every name of the index and hostile ones.
  markPhase(PHASE_LOADER);
  const importer = system.metaPath.find((i): i is SnapshotImporter => i instanceof SnapshotImporter);
  if (importer === undefined) {
    breach("snapshot:loader", "no-importer", "the system has no SnapshotImporter on sys.meta_path");
    return outcomes;
  }
  const ctx = system.newContext();
  const loaderNames = [...[...classes.keys()].slice(0, MAX_INDEX_NAMES), ...HOSTILE_LOADER_NAMES];
  for (const name of loaderNames) {
    await call("snapshot:loader", "findSpec", () => importer.findSpec(name, null, null, ctx), true);
    await call("snapshot:loader", "isPackage", () => importer.isPackage(name), true);
    await call("snapshot:loader", "getSource", () => importer.getSource(name), true);
    const code = await call("snapshot:loader", "getCode", () => importer.getCode(name), true);
    const error = lastError;
    const c = classes.get(name);
    if (c === "pristine" || c === "guarded") {
      if (code === undefined)
        breach(
          "snapshot:loader",
          "intact-code-refused",
          `getCode(${JSON.stringify(name)}) of an intact entry failed: ${describe(error)}. ${verdict}`,
        );
    } else if (c === "damaged") {
      if (!(error instanceof SnapshotError) || error.moduleName !== name)
        breach(
          "snapshot:loader",
          "damaged-code-served",
          `getCode(${JSON.stringify(name)}) of an entry whose code fails its CRC ${code !== undefined ? "returned code" : `raised ${describe(error)}`}. ${verdict}`,
        );
    }
  }
  return outcomes;
}
