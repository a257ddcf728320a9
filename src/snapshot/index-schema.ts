/**
 * The snapshot index: what is known of each frozen module before its code is decoded. Read from untrusted
 * bytes, so every field is checked here, once, when the snapshot is opened; the importer then trusts it.
 */
import type { CodeKind } from "./code-bytes.js";

/**
 * How a path entry looked when the snapshot was made: a directory's mtime and the names in it the module
 * could be found as (`stem`, `stem.*`); an archive's (or other file's) mtime and size; or missing.
 */
export type EntryStamp =
  | { readonly kind: "dir"; readonly mtimeMs: number; readonly names: readonly string[] }
  | { readonly kind: "file" | "other"; readonly mtimeMs: number; readonly size: number }
  | { readonly kind: "missing" };

/** The file a module's code came from (its source, or the archive holding it), by stamp or by content. */
export type SourceIdentity =
  | { readonly file: string; readonly mtimeMs: number; readonly size: number }
  | { readonly file: string; readonly sha256: string };

/**
 * A module's code: "executor" code is in the executor's code format (named in the index), "cpython" code
 * is a marshalled code object of that `major.minor`; where its bytes lie in the code area, and their CRC-32.
 */
export type SnapshotCode = CodeKind & {
  readonly offset: number;
  readonly length: number;
  readonly crc32: number;
};

export interface SnapshotModule {
  readonly name: string;
  /** `__file__` (null: none). */
  readonly file: string | null;
  /** `__spec__.origin` when the module was frozen (kept for traces and `loader_state`). */
  readonly origin: string;
  /** The CPython class name of the loader that loaded it when it was frozen. */
  readonly loader: string;
  /** `__package__`: the name for a package, else its parent's. */
  readonly package: string;
  /** `__path__` for a package, else null. */
  readonly path: readonly string[] | null;
  /** The search path it was found on, up to the entry that held it, and how each entry looked then. */
  readonly search: { readonly entries: readonly string[]; readonly stamps: readonly EntryStamp[] };
  readonly source: SourceIdentity;
  readonly code: SnapshotCode;
}

export interface SnapshotIndex {
  /** The profile the snapshot was made with; it is only used with the same profile. */
  readonly profile: string;
  /** The executor code format of "executor" code. */
  readonly codeFormat: { readonly name: string; readonly version: number };
  readonly identity: "stamp" | "hash";
  readonly modules: readonly SnapshotModule[];
}

type Fail = (reason: string) => never;
type Json = Record<string, unknown>;

function object(value: unknown, where: string, fail: Fail): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail(`${where} is not an object`);
  return value as Json;
}

function string(value: unknown, where: string, fail: Fail): string {
  if (typeof value !== "string") fail(`${where} is not a string`);
  return value as string;
}

function nonNegative(value: unknown, where: string, fail: Fail, integer = true): number {
  if (
    typeof value !== "number" ||
    !Number.isFinite(value) ||
    value < 0 ||
    (integer && !Number.isInteger(value))
  )
    fail(`${where} is not a non-negative ${integer ? "integer" : "number"}`);
  return value as number;
}

function stringList(value: unknown, where: string, fail: Fail): string[] {
  if (!Array.isArray(value)) fail(`${where} is not a list`);
  return (value as unknown[]).map((item, i) => string(item, `${where}[${i}]`, fail));
}

/** A dotted module name: non-empty parts, no NUL, no path separators. */
function moduleName(value: unknown, where: string, fail: Fail): string {
  const name = string(value, where, fail);
  if (name.split(".").some((part) => part === "" || /[\0/\\]/.test(part)))
    fail(`${where} ${JSON.stringify(name)} is not a module name`);
  return name;
}

function entryStamp(value: unknown, where: string, fail: Fail): EntryStamp {
  const o = object(value, where, fail);
  if (o.kind === "missing") return { kind: "missing" };
  if (o.kind !== "dir" && o.kind !== "file" && o.kind !== "other") fail(`${where}.kind is not a known kind`);
  if (o.kind === "dir")
    return {
      kind: "dir",
      mtimeMs: nonNegative(o.mtimeMs, `${where}.mtimeMs`, fail, false),
      names: stringList(o.names, `${where}.names`, fail),
    };
  return {
    kind: o.kind as "file" | "other",
    mtimeMs: nonNegative(o.mtimeMs, `${where}.mtimeMs`, fail, false),
    size: nonNegative(o.size, `${where}.size`, fail),
  };
}

function sourceIdentity(value: unknown, where: string, fail: Fail, identity: string): SourceIdentity {
  const o = object(value, where, fail);
  const file = string(o.file, `${where}.file`, fail);
  if (identity === "hash") {
    const hash = string(o.sha256, `${where}.sha256`, fail);
    if (!/^[0-9a-f]{64}$/.test(hash)) fail(`${where}.sha256 is not a SHA-256 in hex`);
    return { file, sha256: hash };
  }
  return {
    file,
    mtimeMs: nonNegative(o.mtimeMs, `${where}.mtimeMs`, fail, false),
    size: nonNegative(o.size, `${where}.size`, fail),
  };
}

function code(value: unknown, where: string, fail: Fail, codeLength: number): SnapshotCode {
  const o = object(value, where, fail);
  if (o.kind !== "executor" && o.kind !== "cpython") fail(`${where}.kind is not "executor" or "cpython"`);
  const offset = nonNegative(o.offset, `${where}.offset`, fail);
  const length = nonNegative(o.length, `${where}.length`, fail);
  if (offset + length > codeLength)
    fail(`${where} (${offset}+${length}) lies outside the ${codeLength}-byte code area`);
  const crc = nonNegative(o.crc32, `${where}.crc32`, fail);
  if (crc > 0xffffffff) fail(`${where}.crc32 is not a CRC-32`);
  const filename = string(o.filename, `${where}.filename`, fail);
  if (o.kind === "executor") return { kind: "executor", filename, offset, length, crc32: crc };
  const version = string(o.version, `${where}.version`, fail);
  if (!/^3\.\d+$/.test(version)) fail(`${where}.version is not a Python version`);
  return { kind: "cpython", filename, version, offset, length, crc32: crc };
}

function snapshotModule(value: unknown, where: string, fail: Fail, identity: string, codeLength: number) {
  const o = object(value, where, fail);
  const name = moduleName(o.name, `${where}.name`, fail);
  const at = `module ${name}`;
  const path = o.path === null ? null : stringList(o.path, `${at}: path`, fail);
  const pkg = string(o.package, `${at}: package`, fail);
  const parent = path !== null ? name : name.slice(0, Math.max(0, name.lastIndexOf(".")));
  if (pkg !== parent)
    fail(`${at}: package ${JSON.stringify(pkg)} does not fit its name (expected ${JSON.stringify(parent)})`);
  const search = object(o.search, `${at}: search`, fail);
  const entries = stringList(search.entries, `${at}: search.entries`, fail);
  // The path importer found the module under some entry: an empty list would vouch for nothing.
  if (entries.length === 0) fail(`${at}: search.entries is empty`);
  if (!Array.isArray(search.stamps) || search.stamps.length !== entries.length)
    fail(`${at}: search.stamps must list one stamp per entry`);
  const stamps = (search.stamps as unknown[]).map((s, i) =>
    entryStamp(s, `${at}: search.stamps[${i}]`, fail),
  );
  const module: SnapshotModule = {
    name,
    file: o.file === null ? null : string(o.file, `${at}: file`, fail),
    origin: string(o.origin, `${at}: origin`, fail),
    loader: string(o.loader, `${at}: loader`, fail),
    package: pkg,
    path,
    search: { entries, stamps },
    source: sourceIdentity(o.source, `${at}: source`, fail, identity),
    code: code(o.code, `${at}: code`, fail, codeLength),
  };
  return module;
}

/** Check a parsed index field by field; `fail` throws the snapshot's typed error. */
export function validateIndex(raw: unknown, codeLength: number, fail: Fail): SnapshotIndex {
  const o = object(raw, "index", fail);
  const profile = string(o.profile, "index.profile", fail);
  const format = object(o.codeFormat, "index.codeFormat", fail);
  const codeFormat = {
    name: string(format.name, "index.codeFormat.name", fail),
    version: nonNegative(format.version, "index.codeFormat.version", fail),
  };
  if (o.identity !== "stamp" && o.identity !== "hash") fail('index.identity is not "stamp" or "hash"');
  const identity = o.identity as "stamp" | "hash";
  if (!Array.isArray(o.modules)) fail("index.modules is not a list");
  const modules = (o.modules as unknown[]).map((m, i) =>
    snapshotModule(m, `index.modules[${i}]`, fail, identity, codeLength),
  );
  return { profile, codeFormat, identity, modules };
}

/** Order by `name`, code unit by code unit (as the index lists modules and reports list them). */
export function byName(a: { readonly name: string }, b: { readonly name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
