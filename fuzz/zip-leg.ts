/**
 * The zip legs: one mutated archive (zip-mutate.ts) at `/w/lib.zip` in a MemFileSystem, an ImportSystem
 * from `createContainer` with `sys.path = ["/w/lib.zip", "/w/lib.zip/<its first directory>", …]`, and:
 *
 * * **zip:directory**: `readZipDirectory` of the archive, directly (what the hook will meet);
 * * **zip:import**: `importModule` of a name no archive has (so the path hook always runs), then of every
 *   module, package and directory the archive's central records name (hostile names by their last part:
 *   `../evil.py` is tried as `evil`), at most {@link MAX_NAMES};
 * * **zip:hook**: the path-importer cache against the direct read: a readable archive has a zipimporter,
 *   an archive the reader refuses with ZipImportError has None (the hook declined, as CPython's does), any
 *   other error came out of the first import and left no cache entry; a directory inside the archive gets
 *   the archive's verdict;
 * * **zip:loader**: the zipimporter's `findSpec`, `isPackage`, `getSource`, `getFilename`, `getCode` for
 *   the first names, `findSpec` for hostile ones (`""`, `..`, `a.`, …), and `getData` for member names and
 *   hostile paths;
 * * **zip:reread** (one input in ten): the archive replaced, `invalidateCaches`, the calls and imports again.
 *
 * Invariants (a finding when broken): no module — imported, or a spec a finder returns — comes from a
 * member whose name contains a `..` component, starts with `/`, or contains `\` or NUL; no `getData` of a
 * compressed member returns more than the inflate limits allow. Outcomes are judged as in legs.ts
 * (`classify`); time and heap per call too, the heap allowance growing by what the limits let one member
 * cost.
 */

import { createContainer } from "../src/composition-root.js";
import { PyBaseException, ZipImportError } from "../src/core/errors.js";
import { MemFileSystem } from "../src/core/fs/mem-fs.js";
import type { ImportSystem } from "../src/core/import-system.js";
import { loadProfile, type VersionProfile } from "../src/core/profile.js";
import type { ModuleSpec } from "../src/core/spec.js";
import { PyTuple } from "../src/core/values.js";
import type { BytecodeRunner } from "../src/hooks/loader-environment.js";
import { ZipImporter, type ZipImportOptions } from "../src/hooks/zip/zip-importer.js";
import { CPYTHON_ZIP_OPTIONS, DEFAULT_ZIP_OPTIONS, zipImportDialect } from "../src/hooks/zip/zip-options.js";
import * as T from "../src/tokens.js";
import { readZipDirectory, type ZipDirectory } from "../src/zip/central-directory.js";
import { classify, finish, heapNow, type Leg, markPhase, type Outcome, tick } from "./legs.js";
import { scanRecords, u16 } from "./zip-format.js";
import type { ZipInput } from "./zip-mutate.js";

export const ARCHIVE = "/w/lib.zip";
/** Module names imported per archive (besides the probe). */
const MAX_NAMES = 16;
/** Of those, how many go through the zipimporter's methods, and how many members through `getData`. */
const LOADER_NAMES = 4;
const DATA_MEMBERS = 6;
/** Finder and loader calls with names no well-behaved import makes. */
const HOSTILE_FULLNAMES = [
  "",
  ".",
  "..",
  "a.",
  "pkg.",
  "/abs",
  "a\\b",
  "x\0y",
  "__init__",
  "pkg..sub",
  "../evil",
];
const HOSTILE_DATA_PATHS = [
  "",
  "/",
  `${ARCHIVE}/`,
  `${ARCHIVE}/../evil.py`,
  "../evil.py",
  "/absmod.py",
  "nul\0.py",
];

const PHASE_IMPORT = 8;
const PHASE_LOADER = 10;
const PHASE_REREAD = 11;

const SMALL_LIMITS = { maxSize: 4 * 1024 * 1024, maxRatio: 20, ratioFloor: 64 * 1024 };

const profiles = new Map<string, VersionProfile>();
function profileNamed(name: string): VersionProfile {
  let p = profiles.get(name);
  if (!p) profiles.set(name, (p = loadProfile(name)));
  return p;
}

/** The most a member of `compressed` bytes may inflate to under `options` (the size and ratio limits). */
function inflateLimit(options: ZipImportOptions, compressed: number): number {
  const { maxSize, maxRatio, ratioFloor } = options.limits;
  return Math.min(maxSize, Math.max(ratioFloor, compressed * maxRatio));
}

/** What one member may cost to inflate, for an input of `length` bytes (added to the heap allowance). */
function inflateBudget(options: ZipImportOptions, length: number): number {
  return 2 * inflateLimit(options, length);
}

/** A member name importkit must never resolve to a module. */
export function isUnsafeMemberName(name: string): boolean {
  return (
    name.startsWith("/") ||
    name.includes("\\") ||
    name.includes("\0") ||
    name.split("/").some((part) => part === "..")
  );
}

const IDENTIFIER = /^[\p{L}_][\p{L}\p{N}_]*$/u;

function decodeName(raw: Uint8Array, utf8: boolean): string {
  if (utf8) {
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(raw);
    } catch {
      // fall through: the name as bytes
    }
  }
  return Buffer.from(raw).toString("latin1");
}

/** The names the archive's central records suggest importing (read leniently, whatever the damage). */
export function moduleNames(bytes: Uint8Array): string[] {
  const names = new Set<string>();
  for (const at of scanRecords(bytes).central) {
    if (names.size >= MAX_NAMES) break;
    const n = u16(bytes, at + 28);
    const name = decodeName(bytes.subarray(at + 46, at + 46 + n), (u16(bytes, at + 8) & 0x800) !== 0);
    const m = /^(.*?)(?:\/__init__)?(?:\.pyc?|\/)$/s.exec(name);
    if (!m || m[1] === undefined || m[1] === "") continue;
    const parts = m[1].split("/");
    if (parts.every((p) => IDENTIFIER.test(p))) names.add(parts.join("."));
    const last = parts.at(-1)!;
    for (const piece of [last, ...last.split(/[\\\0]/)]) if (piece !== "") names.add(piece);
  }
  return [...names].slice(0, MAX_NAMES);
}

/**
 * The first directory (a plain name: not `..`) the archive's names mention: the second path entry
 * (`/w/lib.zip/pkg` for most).
 */
function firstDirectory(bytes: Uint8Array): string {
  for (const at of scanRecords(bytes).central) {
    const n = u16(bytes, at + 28);
    const name = Buffer.from(bytes.subarray(at + 46, at + 46 + n)).toString("latin1");
    const slash = name.indexOf("/");
    if (slash > 0 && IDENTIFIER.test(name.slice(0, slash))) return name.slice(0, slash);
  }
  return "pkg";
}

/** A spec whose origin is only ever an unsafe member of its zipimporter: the invariant broken. */
function unsafeOrigin(spec: ModuleSpec | null): string | null {
  if (spec === null || !(spec.loader instanceof ZipImporter) || spec.origin === null) return null;
  const entries = [...spec.loader.files.values()].filter((e) => e.path === spec.origin);
  if (entries.length > 0 && entries.every((e) => isUnsafeMemberName(e.name))) {
    return entries.map((e) => JSON.stringify(e.name)).join(", ");
  }
  return null;
}

export async function zipLeg(input: ZipInput): Promise<Outcome[]> {
  const { bytes, settings } = input;
  const length = bytes.length;
  const profile = profileNamed(settings.profile);
  const base = settings.options === "cpython" ? CPYTHON_ZIP_OPTIONS : DEFAULT_ZIP_OPTIONS;
  const options: ZipImportOptions = settings.smallLimits ? { ...base, limits: SMALL_LIMITS } : base;
  const budget = inflateBudget(options, Math.max(length, settings.rewrite?.length ?? 0));
  const outcomes: Outcome[] = [];
  /** The error the last call threw (null when it returned). */
  let lastError: unknown = null;

  /** One call, judged: its outcome is recorded, its value returned (undefined when it threw). */
  const call = async <R>(leg: Leg, label: string, run: () => R | Promise<R>): Promise<R | undefined> => {
    const heap0 = heapNow();
    const t0 = performance.now();
    let kind = "ok";
    let finding: string | undefined;
    let value: R | undefined;
    try {
      lastError = null;
      value = await run();
    } catch (error) {
      // Offsets of a MarshalError are into a member's data, not the archive: not checked here.
      ({ kind, finding } = classify(error, Number.MAX_SAFE_INTEGER));
      lastError = error;
    }
    const prefix = label === "" ? "" : `${label}:`;
    outcomes.push(finish(leg, length, `${prefix}${kind}`, finding, t0, heap0, budget));
    tick();
    return value;
  };
  const breach = (leg: Leg, kind: string, what: string) => {
    outcomes.push({ leg, kind, finding: what, ms: 0, heapGrowth: 0 });
  };

  markPhase(PHASE_IMPORT);
  const fs = MemFileSystem.fromFiles({ [ARCHIVE]: bytes });
  const dialect = zipImportDialect(profile);
  const directory = await call<ZipDirectory>("zip:directory", "", () =>
    readZipDirectory(fs, ARCHIVE, length, dialect.directory),
  );
  const directoryError = directory === undefined ? lastError : null;

  const container = createContainer({ fs, profile, zip: options });
  const runner = container.resolve<BytecodeRunner>(T.BYTECODE_RUNNER);
  const marking: BytecodeRunner = {
    async run(...args) {
      markPhase(PHASE_IMPORT + 1);
      try {
        return await runner.run(...args);
      } finally {
        markPhase(PHASE_IMPORT);
      }
    },
  };
  container.register(T.BYTECODE_RUNNER, { useValue: marking });
  const system = container.resolve<ImportSystem>(T.IMPORT_SYSTEM);
  const inside = `${ARCHIVE}/${firstDirectory(bytes)}`;
  system.path = [ARCHIVE, inside, ...settings.extraPaths];

  // The probe: no archive holds it, so the path hook meets the archive whatever the names are.
  await call("zip:import", "", () => system.importModule("zz_fuzz_no_such_module"));
  const probeError = lastError;
  const names = moduleNames(bytes);
  for (const name of names) await call("zip:import", "", () => system.importModule(name));

  // Overlays of the modules imported from pycs with an overlay directory: each loaded, then forced again.
  for (const [name, module] of [...system.modules].slice(0, MAX_NAMES)) {
    const available = module?.dict.get("__overlays_available__");
    if (module === null || module === undefined || !(available instanceof PyTuple)) continue;
    for (const overlay of available.items.slice(0, 4)) {
      const label = typeof overlay === "string" ? "str" : overlay instanceof PyTuple ? "tuple" : "int";
      await call("zip:overlay", label, () => module.loadOverlay(overlay));
      await call("zip:overlay", `${label}-again`, () => module.loadOverlay(overlay, { forceReload: true }));
    }
    await call("zip:overlay", "unknown", () => module.loadOverlay(`zz_no_overlay_of_${name}`));
  }

  // The hook's verdict against the direct read; a directory inside the archive gets the same one.
  const cacheState = (entry: string) => {
    const cached = system.pathImporterCache.has(entry) ? system.pathImporterCache.get(entry) : undefined;
    if (cached === undefined) return "absent";
    return cached === null ? "None" : cached instanceof ZipImporter ? "zipimporter" : "other";
  };
  const state = cacheState(ARCHIVE);
  if (cacheState(inside) !== state)
    breach(
      "zip:hook",
      `inside-mismatch:${cacheState(inside)}`,
      `the path-importer cache holds ${state} for the archive but ${cacheState(inside)} for ${inside}`,
    );
  if (directory !== undefined) {
    if (state === "zipimporter")
      outcomes.push({ leg: "zip:hook", kind: "zipimporter", ms: 0, heapGrowth: 0 });
    else
      breach(
        "zip:hook",
        `mismatch:${state}`,
        `the archive reads (${directory.count} records) but the path-importer cache holds ${state}`,
      );
  } else if (directoryError instanceof ZipImportError) {
    if (state === "None") outcomes.push({ leg: "zip:hook", kind: "declined", ms: 0, heapGrowth: 0 });
    else
      breach(
        "zip:hook",
        `mismatch:${state}`,
        `the reader refuses the archive (${directoryError.message}) but the path-importer cache holds ${state}`,
      );
  } else if (directoryError instanceof PyBaseException) {
    const same = probeError instanceof PyBaseException && probeError.pyType === directoryError.pyType;
    if (same && state === "absent")
      outcomes.push({ leg: "zip:hook", kind: `raised:${directoryError.pyType}`, ms: 0, heapGrowth: 0 });
    else
      breach(
        "zip:hook",
        `mismatch:raised-${state}`,
        `the reader raises ${directoryError.pyType} (${directoryError.message}); the first import ended in ` +
          `${probeError instanceof Error ? `${probeError.constructor.name}: ${probeError.message}` : "success"} ` +
          `and the path-importer cache holds ${state}`,
      );
  } // else: the direct read crashed, already a finding of zip:directory

  // No module from an unsafe member.
  for (const [name, module] of system.modules) {
    const unsafe = unsafeOrigin(module?.spec ?? null);
    if (unsafe !== null)
      breach(
        "zip:import",
        "unsafe-member-imported",
        `module ${JSON.stringify(name)} was imported from ${unsafe}`,
      );
  }

  markPhase(PHASE_LOADER);
  const importers = new Set<ZipImporter>();
  for (const finder of system.pathImporterCache.values())
    if (finder instanceof ZipImporter) importers.add(finder);
  const find = async (importer: ZipImporter, leg: Leg, fullname: string) => {
    const spec = await call(leg, "findSpec", () => importer.findSpec(fullname, null));
    const unsafe = unsafeOrigin(spec ?? null);
    if (unsafe !== null)
      breach(
        leg,
        "unsafe-member-found",
        `findSpec(${JSON.stringify(fullname)}) on ${importer} returned a spec for ${unsafe}`,
      );
  };
  /** Every method for the first names, findSpec for hostile names; getData for members and hostile paths. */
  const loaderCalls = async (importer: ZipImporter, leg: Leg, full: boolean) => {
    for (const fullname of names.slice(0, full ? LOADER_NAMES : 3)) {
      await find(importer, leg, fullname);
      if (!full) continue;
      await call(leg, "isPackage", () => importer.isPackage(fullname));
      await call(leg, "getSource", () => importer.getSource(fullname));
      const file = await call(leg, "getFilename", () => importer.getFilename(fullname));
      if (file !== undefined) await call(leg, "getCode", () => importer.getCode(fullname));
    }
    for (const fullname of HOSTILE_FULLNAMES) await find(importer, leg, fullname);
    if (!full) return;
    const members = [...importer.files.keys()].slice(0, DATA_MEMBERS);
    for (const path of [...members, ...HOSTILE_DATA_PATHS, `${importer.archive}/${members[0] ?? "x"}`]) {
      const data = await call(leg, "getData", () => importer.getData(path));
      const entry = importer.files.get(
        path.startsWith(`${importer.archive}/`) ? path.slice(importer.archive.length + 1) : path,
      );
      if (
        data !== undefined &&
        entry !== undefined &&
        entry.method !== 0 &&
        data.length > inflateLimit(options, entry.compressedSize)
      )
        breach(
          leg,
          "past-inflate-limit",
          `getData(${JSON.stringify(path)}) returned ${data.length} bytes from ${entry.compressedSize} (limit ${inflateLimit(options, entry.compressedSize)})`,
        );
    }
  };
  // The archive's own zipimporter gets every call; those of directories inside it (or hostile entries) finds.
  const root = system.pathImporterCache.get(ARCHIVE);
  for (const importer of importers) await loaderCalls(importer, "zip:loader", importer === root);

  if (settings.rewrite !== null) {
    markPhase(PHASE_REREAD);
    fs.writeFile(ARCHIVE, settings.rewrite);
    for (const importer of importers) {
      await call("zip:reread", "invalidateCaches", () => importer.invalidateCaches());
      await loaderCalls(importer, "zip:reread", importer === root);
    }
    for (const name of names.slice(0, 4)) {
      system.modules.delete(name);
      await call("zip:reread", "import", () => system.importModule(name));
    }
    for (const [name, module] of system.modules) {
      const unsafe = unsafeOrigin(module?.spec ?? null);
      if (unsafe !== null)
        breach(
          "zip:reread",
          "unsafe-member-imported",
          `module ${JSON.stringify(name)} was imported from ${unsafe}`,
        );
    }
  }
  return outcomes;
}
