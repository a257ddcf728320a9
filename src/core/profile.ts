/**
 * Per-version facts about a CPython (magic number, cache tag, suffixes, built-in and frozen modules),
 * read from the profiles in data/profiles (copied from the interpreters themselves; see its README).
 */
import { readdirSync, readFileSync } from "node:fs";

export interface FrozenModuleInfo {
  readonly name: string;
  readonly isPackage: boolean;
  /** The module whose code this alias runs (`origname`), or null when the frozen module has no source name. */
  readonly origname: string | null;
  /** `__file__` as CPython 3.11+ sets it (`<stdlib>/...`), or null. */
  readonly file: string | null;
  /** `__path__` for packages. */
  readonly path: readonly string[] | null;
}

export interface VersionProfile {
  /** e.g. "cpython-3.11" */
  readonly name: string;
  readonly version: string;
  readonly versionInfo: readonly [number, number, number];
  /** The four magic bytes of this version's .pyc files. */
  readonly magicNumber: Uint8Array;
  readonly cacheTag: string | null;
  /** 3.11+: frozen modules point `__file__` into the standard library directory. */
  readonly hasStdlibDir: boolean;
  readonly checkHashBasedPycs: string;
  readonly sourceSuffixes: readonly string[];
  readonly bytecodeSuffixes: readonly string[];
  readonly extensionSuffixes: readonly string[];
  readonly builtinModuleNames: ReadonlySet<string>;
  readonly frozenModules: ReadonlyMap<string, FrozenModuleInfo>;
  readonly startupModules: readonly string[];
  /** What the scenario oracle has in `sys.modules` before a scenario's first step. */
  readonly oracleStartModules: readonly string[];
  readonly metaPath: readonly string[];
  readonly platform: string;
}

interface RawProfile {
  version: string;
  version_info: [number, number, number, string];
  platform: string;
  magic_number: string;
  cache_tag: string | null;
  has_stdlib_dir: boolean;
  check_hash_based_pycs: string;
  SOURCE_SUFFIXES: string[];
  BYTECODE_SUFFIXES: string[];
  EXTENSION_SUFFIXES: string[];
  meta_path: string[];
  builtin_module_names: string[];
  frozen_modules: {
    name: string;
    is_package: boolean;
    origname: string | null;
    file: string | null;
    path: string[] | null;
  }[];
  startup_modules: string[];
  oracle_start_modules: string[];
}

const profilesDir = new URL("../../data/profiles/", import.meta.url);
const loaded = new Map<string, VersionProfile>();

export const DEFAULT_PROFILE = "cpython-3.11";

/** The names of the bundled profiles. */
export function profileNames(): string[] {
  return readdirSync(profilesDir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -5))
    .sort();
}

/** A bundled profile by name ("cpython-3.11", "3.11" or "cpython-3.14-pyodide"). */
export function loadProfile(name: string = DEFAULT_PROFILE): VersionProfile {
  const key = /^\d/.test(name) ? `cpython-${name}` : name;
  let profile = loaded.get(key);
  if (profile) return profile;
  let text: string;
  try {
    text = readFileSync(new URL(`${key}.json`, profilesDir), "utf8");
  } catch {
    throw new Error(`unknown profile '${name}': choose one of ${profileNames().join(", ")}`);
  }
  profile = profileFromJson(key, JSON.parse(text) as RawProfile);
  loaded.set(key, profile);
  return profile;
}

function profileFromJson(name: string, raw: RawProfile): VersionProfile {
  return {
    name,
    version: raw.version,
    versionInfo: [raw.version_info[0], raw.version_info[1], raw.version_info[2]],
    magicNumber: Uint8Array.from(Buffer.from(raw.magic_number, "hex")),
    cacheTag: raw.cache_tag,
    hasStdlibDir: raw.has_stdlib_dir,
    checkHashBasedPycs: raw.check_hash_based_pycs,
    sourceSuffixes: raw.SOURCE_SUFFIXES,
    bytecodeSuffixes: raw.BYTECODE_SUFFIXES,
    extensionSuffixes: raw.EXTENSION_SUFFIXES,
    builtinModuleNames: new Set(raw.builtin_module_names),
    frozenModules: new Map(
      raw.frozen_modules.map((m) => [
        m.name,
        { name: m.name, isPackage: m.is_package, origname: m.origname, file: m.file, path: m.path },
      ]),
    ),
    startupModules: raw.startup_modules,
    oracleStartModules: raw.oracle_start_modules,
    metaPath: raw.meta_path,
    platform: raw.platform,
  };
}
