/**
 * importkit's side of W3, in its own fresh process: anchors/w3_marshal.py's work on the same files. Every
 * `*.pyc` under TREE… in the anchor's walk order (os.walk top-down, directories and files sorted) is read
 * into memory (untimed, reported), those whose first four bytes are the profile's magic are kept, and
 * `decodeMarshal(bytes.subarray(16), { layout })` is timed over all of them, --sweeps times (default 5).
 * An untimed pass first decodes every payload once, checks it ends exactly at the end, and counts code
 * objects as the anchor does (a code object, then the code objects directly in its co_consts).
 * Prints the anchor's keys (sweep_s, MB_per_s, files_per_s, code_objects_per_s, records_per_s, …).
 *
 *   node --import tsx bench/w3-replay.ts [--sweeps N] [--copy-sweeps N] [--profile cpython-3.11]
 *     [--records-cache FILE] [--count-records] [--check-only] TREE...
 *
 * --copy-sweeps N: after the timed sweeps, N more with `copyBytes: true` (bytes values copied out of the
 *   input, as CPython's bytes objects are), reported as copy_bytes_MB_per_s.
 * --records-cache FILE: the anchor's record-count file ({"key": "magic|files|bytes", "records": {…}}), read
 *   only; records/s is computed from it when its key is this tree's.
 * --count-records: count records with bench/w3-records.ts (untimed; the anchor's count_records) and
 *   report them, with `records_match_cache` when a cache was given.
 * --check-only: the untimed pass (and --count-records) only, no sweeps.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { CodeObject } from "../src/bytecode/code-object.js";
import type { CodeLayout, DecodeMarshalOptions } from "../src/bytecode/index.js";
import { decodeMarshal } from "../src/bytecode/index.js";
import type { MarshalValue } from "../src/bytecode/marshal-values.js";
import { loadProfile } from "../src/core/profile.js";
import { summarize } from "./stats.js";
import type { RecordCounts } from "./w3-records.js";
import { countRecords } from "./w3-records.js";

const USAGE =
  "usage: node --import tsx bench/w3-replay.ts [--sweeps N] [--copy-sweeps N] [--profile P] [--records-cache FILE] " +
  "[--count-records] [--check-only] TREE...";

interface Args {
  sweeps: number;
  /** Extra sweeps with `copyBytes: true` (every bytes value copied out, as CPython does). */
  copySweeps: number;
  profile: string;
  recordsCache: string | null;
  countRecords: boolean;
  checkOnly: boolean;
  trees: string[];
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = {
    sweeps: 5,
    copySweeps: 0,
    profile: "cpython-3.11",
    recordsCache: null,
    countRecords: false,
    checkOnly: false,
    trees: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value\n${USAGE}`);
      return next;
    };
    if (arg === "--sweeps") args.sweeps = Number(value());
    else if (arg === "--copy-sweeps") args.copySweeps = Number(value());
    else if (arg === "--profile") args.profile = value();
    else if (arg === "--records-cache") args.recordsCache = value();
    else if (arg === "--count-records") args.countRecords = true;
    else if (arg === "--check-only") args.checkOnly = true;
    else if (arg.startsWith("--")) throw new Error(`unknown option ${arg}\n${USAGE}`);
    else args.trees.push(resolve(arg));
  }
  if (args.trees.length === 0 || !Number.isInteger(args.sweeps) || args.sweeps < 1) throw new Error(USAGE);
  if (!Number.isInteger(args.copySweeps) || args.copySweeps < 0) throw new Error(USAGE);
  return args;
}

/** os.walk(tree) top-down with `dns.sort()` and `sorted(fns)`: a directory's files, then its subdirectories. */
export function walkPycs(tree: string, out: string[] = []): string[] {
  let entries: string[];
  try {
    entries = readdirSync(tree);
  } catch {
    return out;
  }
  const dirs: string[] = [];
  const files: string[] = [];
  for (const name of entries) {
    const full = join(tree, name);
    let isDir = false;
    try {
      const st = lstatSync(full);
      // os.walk's scandir is_dir() follows links, but followlinks=False does not descend into them.
      isDir = st.isDirectory() || (st.isSymbolicLink() && isDirFollowing(full));
      if (st.isSymbolicLink() && isDir) {
        dirs.push(`\0${name}`); // listed, not walked
        continue;
      }
    } catch {
      isDir = false;
    }
    (isDir ? dirs : files).push(name);
  }
  for (const f of files.sort()) if (f.endsWith(".pyc")) out.push(join(tree, f));
  for (const d of dirs.sort()) if (!d.startsWith("\0")) walkPycs(join(tree, d), out);
  return out;
}

function isDirFollowing(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export function layoutOf(minor: number): CodeLayout {
  return minor <= 7 ? "3.6" : minor <= 9 ? "3.8" : minor === 10 ? "3.10" : "3.11";
}

function isCode(v: MarshalValue): v is CodeObject {
  return (
    typeof v === "object" && v !== null && !Array.isArray(v) && (v as { type?: unknown }).type === "code"
  );
}

/** The anchor's count: each code object, then those directly in its co_consts. */
function countCode(value: MarshalValue): number {
  let n = 0;
  const stack: MarshalValue[] = [value];
  while (stack.length) {
    const o = stack.pop()!;
    if (isCode(o)) {
      n++;
      for (const c of o.consts) if (isCode(c)) stack.push(c);
    }
  }
  return n;
}

/** One timed decode of every payload (named, for `cpuprofile-summary.ts --under timedSweep`). */
function timedSweep(
  payloads: readonly Uint8Array[],
  options: DecodeMarshalOptions,
): { ns: number; end: number } {
  let end = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < payloads.length; i++) end += decodeMarshal(payloads[i]!, options).end;
  return { ns: Number(process.hrtime.bigint() - started), end };
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const profile = loadProfile(args.profile);
  const magic = profile.magicNumber;
  const layout = layoutOf(profile.versionInfo[1]);
  const paths: string[] = [];
  for (const t of args.trees) walkPycs(t, paths);

  const t0 = process.hrtime.bigint();
  const datas = paths.map((p) => readFileSync(p));
  const readAllNs = Number(process.hrtime.bigint() - t0);
  const goodIndex = datas.flatMap((d, i) =>
    d.length >= 4 && d[0] === magic[0] && d[1] === magic[1] && d[2] === magic[2] && d[3] === magic[3]
      ? [i]
      : [],
  );
  const good = goodIndex.map((i) => datas[i]!);
  const payloads = good.map((d) => d.subarray(16));
  const nbytes = payloads.reduce((s, p) => s + p.length, 0);

  // Untimed: every payload decodes, ends at its end; code objects counted as the anchor counts them.
  let codeObjects = 0;
  for (let i = 0; i < payloads.length; i++) {
    const p = payloads[i]!;
    const { value, end } = decodeMarshal(p, { layout, filename: paths[goodIndex[i]!] });
    if (end !== p.length) throw new Error(`decode ended at ${end} of ${p.length} bytes`);
    codeObjects += countCode(value);
  }

  const out: Record<string, unknown> = {
    workload: "W3 marshal decode",
    interpreter: { implementation: "importkit", node: process.version, profile: profile.name, layout },
    trees: args.trees,
    pyc_files: datas.length,
    decoded_files: good.length,
    other_magic_files: datas.length - good.length,
    payload_bytes: nbytes,
    payload_MB: nbytes / 1e6,
    code_objects: codeObjects,
    read_all_ns: readAllNs,
  };

  const key = `${Buffer.from(magic).toString("hex")}|${good.length}|${nbytes}`;
  let records: RecordCounts | null = null;
  if (args.recordsCache && existsSync(args.recordsCache)) {
    const cache = JSON.parse(readFileSync(args.recordsCache, "utf8")) as {
      key?: string;
      records?: RecordCounts;
    };
    out.records_cache_key = cache.key ?? null;
    if (cache.key === key && cache.records) records = cache.records;
  }
  if (args.countRecords) {
    const counted: RecordCounts = { records: 0, refs: 0, code_records: 0 };
    for (const p of payloads) countRecords(p, counted);
    out.counted_records = counted;
    if (records) {
      out.records_match_cache =
        counted.records === records.records &&
        counted.refs === records.refs &&
        counted.code_records === records.code_records;
    } else records = counted;
  }
  if (records) out.marshal_records = records;

  if (!args.checkOnly) {
    let sink = 0;
    const sweep = (copyBytes: boolean): number => {
      const { ns, end } = timedSweep(payloads, { layout, copyBytes });
      sink += end;
      return ns;
    };
    const times: number[] = [];
    for (let s = 0; s < args.sweeps; s++) times.push(sweep(false));
    // CPython copies every bytes object (co_code, line tables) out of the input; importkit's default hands out
    // views. The same sweeps with copies, for a like-for-like reading.
    const copyTimes: number[] = [];
    for (let s = 0; s < args.copySweeps; s++) copyTimes.push(sweep(true));
    if (sink !== nbytes * (args.sweeps + args.copySweeps))
      throw new Error("a sweep decoded a different number of bytes");
    out.sweeps = args.sweeps;
    out.sweep_s = summarize(times.map((t) => t / 1e9));
    out.MB_per_s = summarize(times.map((t) => nbytes / 1e6 / (t / 1e9)));
    out.files_per_s = summarize(times.map((t) => good.length / (t / 1e9)));
    out.code_objects_per_s = summarize(times.map((t) => codeObjects / (t / 1e9)));
    if (records) out.records_per_s = summarize(times.map((t) => records.records / (t / 1e9)));
    if (copyTimes.length) {
      out.copy_bytes_sweep_s = summarize(copyTimes.map((t) => t / 1e9));
      out.copy_bytes_MB_per_s = summarize(copyTimes.map((t) => nbytes / 1e6 / (t / 1e9)));
    }

    // The copy floor on the same bytes: one Buffer.copy of the total, as the anchor's memcpy.
    const big = Buffer.allocUnsafe(nbytes);
    let at = 0;
    for (const p of payloads) at += Buffer.from(p.buffer, p.byteOffset, p.byteLength).copy(big, at);
    const dst = Buffer.allocUnsafe(nbytes);
    const copies: number[] = [];
    for (let k = 0; k < 9; k++) {
      const started = process.hrtime.bigint();
      big.copy(dst);
      copies.push(Number(process.hrtime.bigint() - started));
    }
    out.memcpy_GBps = summarize(copies.map((t) => nbytes / t));
    out.decode_vs_memcpy_ratio =
      (out.sweep_s as { median: number }).median / (summarize(copies).median / 1e9);
  }
  console.log(JSON.stringify(out));
}

main();
