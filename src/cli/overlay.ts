/**
 * `importkit overlay build|list|load`: overlay `.pyc` files (issue #4, docs/overlays.md).
 *
 * * `build SRC.py -o OUT.pyc [--python PYTHON]`: split SRC at its `overlay NAME` statements and write the
 *   overlay pyc. With `--python`, that CPython compiles the module part and each overlay part into real code
 *   objects (`python/compile_parts.py`), and the file gets a timestamp header for SRC's mtime and size with
 *   that interpreter's magic: stock CPython imports it as a sourceless module. Without, the file is in
 *   importkit's own code format (magic `IK\r\n`), which only importkit runs.
 * * `list FILE.pyc [--json]`: the directory — each overlay's name (repr), code offset and size.
 * * `load FILE.pyc NAME [--json]`: import FILE in importkit as a sourceless module (its directory on the path,
 *   over the real disk, reads counted), load overlay NAME, and print the return value (1 loaded, 2 already
 *   loaded), the names it added and changed, and the reads the load took.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import type { OverlayName } from "../bytecode/index.js";
import {
  buildOverlayPyc,
  magicInfo,
  OverlayFormatError,
  OverlaySyntaxError,
  overlayNameRepr,
  readOverlayDirectory,
  splitOverlaySource,
  timestampPycHeader,
  writePycHeader,
} from "../bytecode/index.js";
import { createContainer } from "../composition-root.js";
import { NotSupportedError, PyBaseException } from "../core/errors.js";
import { CountingFileSystem } from "../core/fs/counting-fs.js";
import { NodeFileSystem } from "../core/fs/node-fs.js";
import type { ImportSystem } from "../core/import-system.js";
import type { Importer } from "../core/interfaces.js";
import { Module } from "../core/module.js";
import { profileNames } from "../core/profile.js";
import type { PyValue } from "../core/values.js";
import { PyFunction, PySet, PyTuple, typeName } from "../core/values.js";
import { valueRepr } from "../exec/repr.js";
import type { LoaderEnvironment } from "../hooks/loader-environment.js";
import { buildImportkitOverlayPyc, loadOverlay } from "../hooks/overlays/index.js";
import { SourcelessFileLoader } from "../hooks/sourceless-file-hook.js";
import { specFromFileLocation } from "../hooks/spec-from-file.js";
import * as T from "../tokens.js";
import { OverlayNameArgError, parseOverlayNameArg } from "./overlay-name-arg.js";

/** Where results and problems go (process.stdout / process.stderr, or a test's buffers). */
export interface OverlayOutput {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const processOutput: OverlayOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** A problem the user can fix (bad arguments, a file that is not what it should be): one line, exit 1. */
export class OverlayCommandError extends Error {}

/** `python/compile_parts.py`, from src/cli/ and dist/cli/ alike. */
export const COMPILE_PARTS_SCRIPT = fileURLToPath(new URL("../../python/compile_parts.py", import.meta.url));

export function registerOverlay(program: Command): void {
  const overlay = program
    .command("overlay")
    .description("build, list and load overlays: named code objects appended to a .pyc");
  overlay
    .command("build")
    .description("compile SRC.py, split at its `overlay NAME` statements, into an overlay .pyc")
    .argument("<src>", "the module source, with `overlay NAME` statements")
    .requiredOption("-o, --output <file>", "the .pyc to write")
    .option("--python <python>", "compile with this CPython (real code objects, its magic number)")
    .action((src: string, options: OverlayBuildOptions) =>
      report(() => {
        const built = overlayBuild(src, options);
        processOutput.out(
          `${options.output}: ${built.overlays.length} overlay(s), ${built.size} bytes (${built.format})`,
        );
      }),
    );
  overlay
    .command("list")
    .description("list an overlay .pyc's directory: names, code offsets and sizes")
    .argument("<file>", "an overlay .pyc")
    .option("--json", "one JSON line per overlay {name, offset, size}")
    .action((file: string, options: { json?: boolean }) =>
      report(() => {
        for (const line of overlayList(file, options)) processOutput.out(line);
      }),
    );
  overlay
    .command("load")
    .description("import FILE in importkit (sourceless), load overlay NAME, and show what it did")
    .argument("<file>", "an overlay .pyc")
    .argument("<name>", "the overlay's name, a Python constant: identifier, 'str', int or tuple")
    .option("--json", 'one JSON line {"name", "result", "added", "changed", "reads"}')
    .option("--profile <profile>", "the CPython version profile (default: the one the file's magic names)")
    .action((file: string, name: string, options: OverlayLoadOptions) =>
      report(async () => {
        const loaded = await overlayLoad(file, name, options);
        for (const line of loadLines(loaded, options)) processOutput.out(line);
      }),
    );
}

async function report(run: () => void | Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    processOutput.err(`importkit overlay: ${problemText(error)}`);
    process.exitCode = 1;
  }
}

export function problemText(error: unknown): string {
  if (error instanceof PyBaseException) return `${error.pyType}: ${error.message}`;
  if (error instanceof NotSupportedError) return error.message;
  if (
    error instanceof OverlayCommandError ||
    error instanceof OverlayFormatError ||
    error instanceof OverlaySyntaxError ||
    error instanceof OverlayNameArgError
  )
    return error.message;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && error instanceof Error) return error.message;
  if (error instanceof Error) return `internal error: ${error.name}: ${error.message}`;
  return `internal error: ${String(error)}`;
}

// ─── build ───────────────────────────────────────────────────────────────────────────────────────────────

export interface OverlayBuildOptions {
  readonly output: string;
  /** A CPython to compile with; without, importkit's own code format. */
  readonly python?: string;
}

export interface OverlayBuilt {
  readonly bytes: Uint8Array;
  readonly overlays: readonly OverlayName[];
  readonly size: number;
  /** "CPython 3.11" or "importkit". */
  readonly format: string;
}

/** Builds the overlay pyc for `src` and writes it to `options.output`. */
export function overlayBuild(src: string, options: OverlayBuildOptions): OverlayBuilt {
  const source = readFileSync(src, "utf8");
  const stat = statSync(src);
  const mtime = Math.floor(stat.mtimeMs / 1000);
  const sourceSize = stat.size;
  let bytes: Uint8Array;
  let overlays: OverlayName[];
  let format: string;
  if (options.python !== undefined) {
    const split = splitOverlaySource(source, src);
    overlays = split.overlays.map((o) => o.name);
    const compiled = compileParts(options.python, src, [
      split.module,
      ...split.overlays.map((o) => o.source),
    ]);
    const magic = compiled.magic[0]! | (compiled.magic[1]! << 8);
    bytes = buildOverlayPyc({
      header: writePycHeader(timestampPycHeader(magic, mtime, sourceSize)),
      module: compiled.parts[0]!,
      overlays: split.overlays.map((o, i) => ({ name: o.name, code: compiled.parts[i + 1]! })),
      marshalVersion: compiled.version === "3.14" ? 5 : 4,
    });
    format = `CPython ${compiled.version}`;
  } else {
    overlays = splitOverlaySource(source, src).overlays.map((o) => o.name);
    bytes = buildImportkitOverlayPyc(source, src, { mtime, sourceSize });
    format = "importkit";
  }
  writeFileSync(options.output, bytes);
  return { bytes, overlays, size: bytes.length, format };
}

export interface CompiledParts {
  /** `importlib.util.MAGIC_NUMBER`. */
  readonly magic: Uint8Array;
  /** "3.11". */
  readonly version: string;
  /** `marshal.dumps(compile(part, filename, 'exec'))` for each part, in order. */
  readonly parts: readonly Uint8Array[];
}

/** Compiles each part with `python` (one process for all): `python/compile_parts.py`. */
export function compileParts(python: string, filename: string, parts: readonly string[]): CompiledParts {
  const run = spawnSync(python, ["-I", "-S", COMPILE_PARTS_SCRIPT], {
    input: JSON.stringify({ filename, parts }),
    encoding: "utf8",
    maxBuffer: 1024 * 1024 * 1024,
  });
  if (run.error) throw new OverlayCommandError(`cannot run ${python}: ${run.error.message}`);
  let reply: {
    magic?: string;
    version?: string;
    parts?: string[];
    error?: string;
    message?: string;
    part?: number;
  };
  try {
    reply = JSON.parse(run.stdout);
  } catch {
    throw new OverlayCommandError(
      `${python} ${COMPILE_PARTS_SCRIPT} failed (status ${run.status}): ${run.stderr.trim() || "no output"}`,
    );
  }
  if (reply.error !== undefined) {
    const which = reply.part === 0 ? "the module part" : `overlay part ${reply.part}`;
    throw new OverlayCommandError(`${reply.error} in ${which}: ${reply.message}`);
  }
  if (reply.magic === undefined || reply.parts === undefined || reply.version === undefined) {
    throw new OverlayCommandError(`${python} ${COMPILE_PARTS_SCRIPT}: unexpected reply`);
  }
  return {
    magic: Uint8Array.from(Buffer.from(reply.magic, "hex")),
    version: reply.version,
    parts: reply.parts.map((hex) => Uint8Array.from(Buffer.from(hex, "hex"))),
  };
}

// ─── list ────────────────────────────────────────────────────────────────────────────────────────────────

export interface OverlayListing {
  readonly name: OverlayName;
  readonly repr: string;
  readonly offset: number;
  readonly size: number;
}

/** The directory of an overlay file, read as the runtime reads it (from the end, at most two reads). */
export function overlayDirectoryOf(file: string): OverlayListing[] {
  const data = readFileSync(file);
  const read = (position: number, length: number) => data.subarray(position, position + length);
  const dir = readOverlayDirectory(read, data.length, file);
  return dir.entries.map((e) => ({
    name: e.name,
    repr: overlayNameRepr(e.name),
    offset: e.offset,
    size: e.end - e.offset,
  }));
}

export function overlayList(file: string, options: { json?: boolean }): string[] {
  const listing = overlayDirectoryOf(file);
  if (options.json)
    return listing.map((e) => JSON.stringify({ name: e.repr, offset: e.offset, size: e.size }));
  const rows = [
    ["name", "offset", "size"],
    ...listing.map((e) => [e.repr, String(e.offset), String(e.size)]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const lines = rows.map((row) =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join("  ")
      .trimEnd(),
  );
  return [`${file}: ${listing.length} overlay(s)`, ...lines];
}

// ─── load ────────────────────────────────────────────────────────────────────────────────────────────────

export interface OverlayLoadOptions {
  readonly json?: boolean;
  readonly profile?: string;
}

export interface OverlayLoaded {
  readonly name: OverlayName;
  readonly result: 1 | 2;
  /** Names the overlay bound that the module did not have, in namespace order. */
  readonly added: readonly string[];
  /** Names it rebound (to another object) or deleted. */
  readonly changed: readonly string[];
  /** `read` + `readFile` calls the load took (the directory, the code object, any imports it made). */
  readonly reads: number;
  readonly module: Module;
}

/** An overlay name as the runtime takes it: ints as bigints, tuples as PyTuple. */
export function overlayNameValue(name: OverlayName): PyValue {
  if (typeof name === "string") return name;
  if (typeof name === "number" || typeof name === "bigint") return BigInt(name);
  if (Array.isArray(name)) return new PyTuple((name as readonly OverlayName[]).map(overlayNameValue));
  throw new OverlayCommandError("overlay names are str, int or tuples of those");
}

/** The profile whose bytecode dialect the file's magic names (the default for importkit's own format). */
function profileForFile(file: string, fs: NodeFileSystem): string | undefined {
  const head = fs.read(file, 0, 4);
  if (head.length < 4 || head[2] !== 0x0d || head[3] !== 0x0a) return undefined;
  const info = magicInfo(head[0]! | (head[1]! << 8));
  if (info === undefined) return undefined;
  const names = profileNames();
  return (
    names.find((n) => n === `cpython-${info.python}`) ??
    names.find((n) => n.startsWith(`cpython-${info.python}`))
  );
}

/**
 * Imports FILE as a sourceless module in a fresh importkit over the real disk, reads counted: an importer
 * in front of the meta path gives NAME (FILE's base name) a `SourcelessFileLoader` spec for FILE, as
 * `importlib.util.spec_from_file_location` would, so a NAME.py beside it does not win; FILE's directory is
 * the path, for the imports the module and its overlays make.
 */
export async function importOverlayModule(
  file: string,
  options: { profile?: string } = {},
): Promise<{ system: ImportSystem; module: Module; fs: CountingFileSystem }> {
  const path = resolve(file);
  const name = basename(path).replace(/\.pyc$/, "");
  if (!path.endsWith(".pyc") || !/^[\p{L}_][\p{L}\p{N}_]*$/u.test(name))
    throw new OverlayCommandError(`${file}: the file must be NAME.pyc with NAME an identifier`);
  const disk = new NodeFileSystem();
  if (disk.stat(path)?.kind !== "file") throw new OverlayCommandError(`${file}: no such file`);
  const fs = new CountingFileSystem(disk);
  const container = createContainer({ fs, profile: options.profile ?? profileForFile(path, disk) });
  const system = container.resolve<ImportSystem>(T.IMPORT_SYSTEM);
  const env = container.resolve<LoaderEnvironment>(T.LOADER_ENVIRONMENT);
  const spec = specFromFileLocation(name, path, new SourcelessFileLoader(name, path, env), null, env.profile);
  const fileImporter: Importer = {
    pyType: "OverlayFileImporter",
    findSpec: (fullname) => (fullname === name ? spec : null),
  };
  system.metaPath = [fileImporter, ...system.metaPath];
  system.sys.dontWriteBytecode = true;
  system.path.splice(0, system.path.length, dirname(path));
  const module = await system.importModule(name);
  return { system, module, fs };
}

export async function overlayLoad(file: string, nameText: string, options: OverlayLoadOptions = {}) {
  const name = parseOverlayNameArg(nameText);
  const { module, fs } = await importOverlayModule(file, options);
  const before = new Map(module.dict);
  const readsBefore = fs.counts.read + fs.counts.readFile;
  const result = await loadOverlay(module, overlayNameValue(name));
  const reads = fs.counts.read + fs.counts.readFile - readsBefore;
  const added: string[] = [];
  const changed: string[] = [];
  for (const [key, value] of module.dict) {
    if (!before.has(key)) added.push(key);
    else if (before.get(key) !== value) changed.push(key);
  }
  for (const key of before.keys()) if (!module.dict.has(key)) changed.push(key);
  return { name, result, added, changed, reads, module } satisfies OverlayLoaded;
}

export function loadLines(loaded: OverlayLoaded, options: { json?: boolean }): string[] {
  const repr = overlayNameRepr(loaded.name);
  if (options.json) {
    const { result, added, changed, reads } = loaded;
    return [JSON.stringify({ name: repr, result, added, changed, reads })];
  }
  const value = (key: string) => {
    const v = loaded.module.dict.get(key);
    return v === undefined ? "(deleted)" : displayValue(v);
  };
  return [
    `overlay ${repr} of ${loaded.module.name}: ${loaded.result} (${loaded.result === 1 ? "loaded" : "already loaded"})`,
    `  added:   ${loaded.added.length === 0 ? "-" : ""}`,
    ...loaded.added.map((k) => `    ${k} = ${value(k)}`),
    `  changed: ${loaded.changed.length === 0 ? "-" : ""}`,
    ...loaded.changed.map((k) => `    ${k} = ${value(k)}`),
    `  reads:   ${loaded.reads}`,
  ].map((line) => line.trimEnd());
}

/**
 * Python's repr where importkit models it; for what it does not (sets of several items, whose order is
 * CPython's hash order; modules; functions, whose repr holds an address) a readable stand-in.
 */
export function displayValue(value: PyValue): string {
  try {
    return valueRepr(value);
  } catch (error) {
    if (!(error instanceof NotSupportedError)) throw error;
    if (value instanceof Module)
      return value.file === null
        ? `<module '${value.name}'>`
        : `<module '${value.name}' from '${value.file}'>`;
    if (value instanceof PyFunction) return `<function ${value.qualname}>`;
    if (value instanceof PySet) {
      const items = [...value.items.values()].map(displayValue).sort();
      return value.pyType === "frozenset" ? `frozenset({${items.join(", ")}})` : `{${items.join(", ")}}`;
    }
    return `<${typeName(value)} object>`;
  }
}
