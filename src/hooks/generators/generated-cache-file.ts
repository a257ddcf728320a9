/**
 * The `__pycache__` file of a generated module family: `__pycache__/calc.isl.cpython-311.pyc` for
 * `calc.isl` (the input's full name, so it never collides with `calc.py`'s `calc.cpython-311.pyc`).
 * importkit's cache format (magic `IK\r\n`, CPython's timestamp header: the input's mtime in seconds and
 * size), holding the generator's name and version and every module's source:
 * `("importkit", 1, "generated", name, version, package, (("", text), ("__skel", text), …))`.
 * A file from another generator, version or package, or with another stamp, is stale and is rewritten.
 */
import { decodeMarshal, encodeMarshal, MarshalError } from "../../bytecode/index.js";
import { u32 } from "../../bytecode/little-endian.js";
import { joinPath, splitPath } from "../../core/fs/file-system.js";
import type { VersionProfile } from "../../core/profile.js";
import { IMPORTKIT_MAGIC, isImportkitPyc } from "../importkit-pyc.js";

const FORMAT = "importkit";
const FORMAT_VERSION = 1;

/** What a cache file is checked against. */
export interface InputStamp {
  /** Seconds, as a pyc header holds them. */
  readonly mtime: number;
  readonly size: number;
}

export interface GeneratorIdentity {
  readonly name: string;
  readonly version: string;
  /** The package the modules were generated for (their relative imports depend on it). */
  readonly packageName: string;
}

/** `__pycache__/<file>.<tag>.pyc`, or null when the profile writes no bytecode caches. */
export function generatedCachePath(inputPath: string, profile: VersionProfile): string | null {
  if (profile.cacheTag === null) return null;
  const [dir, file] = splitPath(inputPath);
  return joinPath(
    joinPath(dir, "__pycache__"),
    `${file}.${profile.cacheTag}${profile.bytecodeSuffixes[0] ?? ".pyc"}`,
  );
}

export function encodeGeneratedCache(
  generator: GeneratorIdentity,
  stamp: InputStamp,
  sources: Readonly<Record<string, string>>,
): Uint8Array {
  const modules = Object.entries(sources).map(([suffix, text]) => [suffix, text]);
  const body = encodeMarshal(
    [FORMAT, FORMAT_VERSION, "generated", generator.name, generator.version, generator.packageName, modules],
    {
      version: 4,
      layout: "3.11",
    },
  );
  const out = new Uint8Array(16 + body.length);
  const view = new DataView(out.buffer);
  out.set(IMPORTKIT_MAGIC, 0);
  view.setUint32(4, 0, true);
  view.setUint32(8, stamp.mtime >>> 0, true);
  view.setUint32(12, stamp.size >>> 0, true);
  out.set(body, 16);
  return out;
}

/** The sources a cache file holds when it is this generator's and matches the stamp; null when stale or foreign. */
export function decodeGeneratedCache(
  data: Uint8Array,
  generator: GeneratorIdentity,
  stamp: InputStamp,
  filename: string,
): Record<string, string> | null {
  if (data.length < 16 || !isImportkitPyc(data)) return null;
  if (u32(data, 4) !== 0 || u32(data, 8) !== stamp.mtime >>> 0 || u32(data, 12) !== stamp.size >>> 0)
    return null;
  let value: unknown;
  try {
    value = decodeMarshal(data, { layout: "3.11", offset: 16, filename }).value;
  } catch (error) {
    if (error instanceof MarshalError) return null; // a damaged cache is regenerated, as CPython recompiles
    throw error;
  }
  if (!Array.isArray(value) || value.length !== 7) return null;
  const [format, version, kind, name, generatorVersion, packageName, modules] = value as unknown[];
  if (format !== FORMAT || version !== FORMAT_VERSION || kind !== "generated") return null;
  if (name !== generator.name || generatorVersion !== generator.version) return null;
  if (packageName !== generator.packageName || !Array.isArray(modules)) return null;
  const sources: Record<string, string> = {};
  for (const pair of modules as unknown[]) {
    if (!Array.isArray(pair) || pair.length !== 2) return null;
    const [suffix, text] = pair as unknown[];
    if (typeof suffix !== "string" || typeof text !== "string") return null;
    sources[suffix] = text;
  }
  return sources;
}
