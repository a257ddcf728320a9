/**
 * `importkit pyc dump FILE... [--json] [--raw] [--profile P]`: what a `.pyc` (or a bare marshal stream) holds.
 *
 * * `--json`: one line per file in the corpus dump format (`{"size","header","object"}`, compact ASCII JSON,
 *   exactly as `shared/corpus/refdecode.py --check` compares; no `meta`).
 * * default: a readable tree: the header (magic and version, flags, mtime or source hash, source size), then
 *   the code objects nested as in `co_consts`, with names, argument counts, flags, sizes, line ranges and
 *   their constants summarised.
 * * `--raw`: the file is a marshal stream with no header (the corpus `.bin` blobs; the JSON has no `header`),
 *   read with the code layout and marshal version of `--profile` (`cpython-3.12`, `3.12`; `3.6` and `3.7`
 *   are accepted too, although importkit bundles no profile for them). A `.pyc` picks both from its magic,
 *   whatever `--profile` says.
 *
 * A file that cannot be read or decoded gets one line on stderr naming the file, the offset and the reason
 * (CPython's message and exception type); the other files are still dumped, and the exit status is 1.
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import type { Command } from "commander";
import type { CodeLayout, MagicInfo, MarshalValue, PycHeader } from "../bytecode/index.js";
import {
  corpusJsonText,
  decodeMarshal,
  MarshalError,
  magicForPython,
  PycFormatError,
  readPyc,
  toCorpusJson,
} from "../bytecode/index.js";
import { DEFAULT_PROFILE, loadProfile } from "../core/profile.js";
import { dumpSize } from "./pyc-expand.js";
import { valueTree } from "./pyc-tree.js";

export interface PycDumpOptions {
  readonly json?: boolean;
  readonly raw?: boolean;
  /** For --raw: whose code layout and marshal version to read with (default cpython-3.11). */
  readonly profile?: string;
}

/** Where dumps and problems go (process.stdout / process.stderr, or a test's buffers). */
export interface PycOutput {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const processOutput: PycOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

export function registerPyc(program: Command): void {
  const pyc = program.command("pyc").description("inspect CPython bytecode files (.pyc) and marshal data");
  pyc
    .command("dump")
    .description("decode .pyc files (or bare marshal streams) and print them as a tree or as corpus JSON")
    .argument("<files...>", ".pyc files, or marshal streams with --raw")
    .option("--json", "one JSON line per file in the corpus dump format {size, header, object}")
    .option("--raw", "the files are bare marshal streams without a pyc header (decoded as --profile)")
    .option("--profile <profile>", "with --raw: the CPython version whose layout to read", DEFAULT_PROFILE)
    .action((files: string[], options: PycDumpOptions, command: Command) => {
      let status: number;
      try {
        status = pycDump(files, options);
      } catch (error) {
        if (!(error instanceof PycUsageError)) throw error;
        command.error(`importkit pyc dump: ${error.message}`);
      }
      if (status !== 0) process.exitCode = status;
    });
}

/** A bad --profile: reported once, before any file. */
export class PycUsageError extends Error {}

/** The CPython release whose reader `--raw` imitates: a bundled profile, or a bare "3.X" (also 3.6/3.7). */
export function rawReader(profile: string): MagicInfo {
  let version: string | undefined;
  try {
    const [major, minor] = loadProfile(profile).versionInfo;
    version = `${major}.${minor}`;
  } catch (error) {
    version = /^(?:cpython-)?(3\.\d+)$/.exec(profile)?.[1];
    if (version === undefined)
      throw new PycUsageError(error instanceof Error ? error.message : String(error));
  }
  const info = magicForPython(version);
  if (info === undefined) throw new PycUsageError(`no marshal code layout is known for Python ${version}`);
  return info;
}

/** Dumps each file in order. Returns 1 if any file could not be read or decoded (each reported on `err`), else 0. */
export function pycDump(
  files: readonly string[],
  options: PycDumpOptions,
  output: PycOutput = processOutput,
): number {
  const reader = options.raw ? rawReader(options.profile ?? DEFAULT_PROFILE) : null;
  let status = 0;
  for (const file of files) {
    try {
      const lines = dumpOne(file, readFileSync(file), options, reader);
      for (const line of lines) output.out(line);
    } catch (error) {
      output.err(`importkit pyc dump: ${problemText(file, error)}`);
      status = 1;
    }
  }
  return status;
}

/** "FILE: offset N: reason [PythonType]" for the typed errors; the file and the message for anything else. */
export function problemText(file: string, error: unknown): string {
  if (error instanceof MarshalError)
    return `${file}: offset ${error.offset}: ${error.reason} [${error.pythonType}]`;
  if (error instanceof PycFormatError)
    return `${file}: offset ${error.offset}: ${error.reason} [${error.pythonType}]`;
  if (error instanceof DumpError) return `${file}: ${error.message}`;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && error instanceof Error) return `${file}: cannot read: ${error.message}`;
  return `${file}: internal error: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
}

/** The value decoded, but the dump format cannot hold it (a reference cycle, an expansion too large). */
class DumpError extends Error {}

function dumpOne(
  file: string,
  bytes: Uint8Array,
  options: PycDumpOptions,
  reader: MagicInfo | null,
): string[] {
  let header: PycHeader | undefined;
  let info: MagicInfo;
  let value: MarshalValue;
  let end: number;
  if (reader) {
    info = reader;
    ({ value, end } = decodeMarshal(bytes, {
      layout: reader.layout,
      marshalVersion: reader.marshalVersion,
      filename: file,
    }));
  } else {
    const pyc = readPyc(bytes, { filename: file, name: basename(file) });
    ({ header, info, end } = pyc);
    value = pyc.code;
  }
  if (options.json) {
    const check = dumpSize(value);
    if (!check.ok)
      throw new DumpError(`decoded, but cannot be written as corpus JSON: it holds ${check.reason}`);
    return [corpusJsonText(toCorpusJson(header === undefined ? { bytes, value } : { bytes, header, value }))];
  }
  const lines = [`${file}: ${bytes.length} bytes`, ...headerLines(header, info, reader !== null)];
  if (end !== bytes.length)
    lines.push(`  ${bytes.length - end} bytes after the object (ignored, as importlib does)`);
  lines.push(...valueTree(value, minorOf(info), "  "));
  return lines;
}

function minorOf(info: MagicInfo): number {
  return Number(info.python.split(".")[1]);
}

function layoutText(layout: CodeLayout, marshalVersion: number): string {
  return `code layout ${layout}, marshal v${marshalVersion} reader`;
}

function headerLines(header: PycHeader | undefined, info: MagicInfo, raw: boolean): string[] {
  if (raw || header === undefined) {
    return [
      `  raw marshal stream, read as CPython ${info.python} (${layoutText(info.layout, info.marshalVersion)})`,
    ];
  }
  const magicHex = Buffer.from([header.magic & 0xff, header.magic >>> 8, 0x0d, 0x0a]).toString("hex");
  const lines = [
    `  header: magic ${header.magic} (${magicHex}) = CPython ${info.python}, ${header.size} bytes; ` +
      layoutText(info.layout, info.marshalVersion),
  ];
  if (header.hashBased) {
    lines.push(
      `  flags 0x${header.flags.toString(16)}: hash-based, ${header.checkSource ? "checked" : "unchecked"}; ` +
        `source hash ${Buffer.from(header.sourceHash).toString("hex")}`,
    );
  } else {
    const when = new Date(header.mtime * 1000).toISOString().replace(".000Z", "Z");
    const flags = header.size === 16 ? `flags 0x${header.flags.toString(16)}: timestamp; ` : "";
    lines.push(`  ${flags}mtime ${header.mtime} (${when}); source size ${header.sourceSize} bytes`);
  }
  return lines;
}
