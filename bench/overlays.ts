/**
 * `npm run bench -- overlays`: the cost of loading one overlay as the file grows (issue #4).
 *
 * For N = 1, 10, 100, 1,000 and 10,000 overlays (each a small CPython 3.11 code object, `X_i = i`), the file
 * is built once in memory; then, many times over, the **last** overlay is found the way importkit's runtime
 * does on a cold directory cache: `readOverlayDirectory` (the last 4 KiB, and the directory's remainder
 * when it starts before them), `lookup`, `readOverlayCode` and `decodeMarshal` of the code object. Beside
 * it, the rejected **linear** layout (names and code objects alternating after the module, no directory)
 * is scanned by `findLinearOverlay` with the same read callback, and its code object decoded likewise.
 *
 * Each read is one call of the callback, which copies the bytes out (as a `pread` would). Times are the
 * median over the repetitions, in µs; the read counts are exact. The directory is read fresh every time.
 * No CPython and no files are involved: it measures the format, not the disk.
 */
import type { CodeObject, OverlayRead } from "../src/bytecode/index.js";
import {
  buildLinearOverlayFile,
  buildOverlayPyc,
  decodeMarshal,
  encodeMarshal,
  findLinearOverlay,
  makeCodeObject,
  readOverlayCode,
  readOverlayDirectory,
  timestampPycHeader,
  writePycHeader,
} from "../src/bytecode/index.js";
import type { BenchOptions } from "./options.js";
import { fixed, grouped, r3, table, type WorkloadReport } from "./report.js";
import { summarize } from "./stats.js";

export const OVERLAY_COUNTS = [1, 10, 100, 1_000, 10_000] as const;
const MAGIC_311 = 3495;
/** Total timed time aimed at per layout and N (the repetitions are derived from a calibration run). */
const BUDGET_MS = 300;
const MIN_REPS = 21;
const MAX_REPS = 20_001;

// CPython 3.11 wordcode for `X_i = i`: RESUME 0; LOAD_CONST 0; STORE_NAME 0; LOAD_CONST 1; RETURN_VALUE.
const RESUME = 151;
const LOAD_CONST = 100;
const STORE_NAME = 90;
const RETURN_VALUE = 83;

/** A small module-level code object, as CPython 3.11 compiles `X_i = i`. */
export function smallCode(i: number, filename = "bench_overlays.py"): CodeObject {
  return makeCodeObject({
    layout: "3.11",
    argcount: 0,
    posonlyargcount: 0,
    kwonlyargcount: 0,
    nlocals: 0,
    stacksize: 1,
    flags: 0,
    code: Uint8Array.of(RESUME, 0, LOAD_CONST, 0, STORE_NAME, 0, LOAD_CONST, 1, RETURN_VALUE, 0),
    consts: [i, null],
    names: [`X_${i}`],
    varnames: [],
    freevars: [],
    cellvars: [],
    localsplusnames: [],
    localspluskinds: new Uint8Array(0),
    filename,
    name: "<module>",
    qualname: "<module>",
    firstlineno: i + 1,
    linetable: Uint8Array.of(0xf0, 0x03, 0x01, 0x01, 0x01, 0x01),
    exceptiontable: new Uint8Array(0),
  });
}

export interface OverlayFiles {
  readonly n: number;
  readonly directory: Uint8Array;
  readonly linear: Uint8Array;
  readonly moduleEnd: number;
  /** The name looked up: the last overlay's. */
  readonly last: string;
}

/** The same N overlays in both layouts. */
export function overlayFiles(n: number): OverlayFiles {
  const header = writePycHeader(timestampPycHeader(MAGIC_311, 1_700_000_000, 1234));
  const module = encodeMarshal(smallCode(-1), { version: 4, layout: "3.11" });
  const overlays = Array.from({ length: n }, (_, i) => ({
    name: `overlay_${i}`,
    code: encodeMarshal(smallCode(i), { version: 4, layout: "3.11" }),
  }));
  const parts = { header, module, overlays };
  return {
    n,
    directory: buildOverlayPyc(parts),
    linear: buildLinearOverlayFile(parts),
    moduleEnd: header.length + module.length,
    last: `overlay_${n - 1}`,
  };
}

/** A read callback over `bytes` that copies (as a pread) and counts its calls. */
function counted(bytes: Uint8Array): { read: OverlayRead; calls: () => number } {
  let calls = 0;
  return {
    read: (position, length) => {
      calls++;
      return bytes.slice(position, position + length);
    },
    calls: () => calls,
  };
}

function decodeCode(bytes: Uint8Array): CodeObject {
  const { value } = decodeMarshal(bytes, { layout: "3.11", marshalVersion: 4 });
  if ((value as CodeObject | null)?.type !== "code") throw new Error("not a code object");
  return value as CodeObject;
}

/** Directory layout, cold: directory (≤ 2 reads), lookup, code bytes (0 or 1 read), decode. */
export function loadLastWithDirectory(files: OverlayFiles): { code: CodeObject; reads: number } {
  const { read, calls } = counted(files.directory);
  const dir = readOverlayDirectory(read, files.directory.length, "bench.pyc", files.moduleEnd);
  const entry = dir.lookup(files.last);
  if (entry === undefined) throw new Error(`no overlay ${files.last}`);
  const code = decodeCode(readOverlayCode(dir, entry, read));
  return { code, reads: calls() };
}

/** Directory layout, warm: the directory already read (the runtime caches it per module); lookup, code, decode. */
export function warmLoader(files: OverlayFiles): () => { code: CodeObject; reads: number } {
  const dir = readOverlayDirectory(
    counted(files.directory).read,
    files.directory.length,
    "bench.pyc",
    files.moduleEnd,
  );
  return () => {
    const { read, calls } = counted(files.directory);
    const entry = dir.lookup(files.last);
    if (entry === undefined) throw new Error(`no overlay ${files.last}`);
    return { code: decodeCode(readOverlayCode(dir, entry, read)), reads: calls() };
  };
}

/** Linear layout: scan names and code objects from the module's end, then decode the one found. */
export function loadLastLinear(files: OverlayFiles): { code: CodeObject; reads: number } {
  const { read, calls } = counted(files.linear);
  const bytes = findLinearOverlay(read, files.linear.length, files.moduleEnd, files.last);
  if (bytes === undefined) throw new Error(`no overlay ${files.last}`);
  return { code: decodeCode(bytes), reads: calls() };
}

/** Median µs of `run` over enough repetitions to fill the budget (after a warm-up), and its read count. */
function measure(run: () => { code: CodeObject; reads: number }): {
  us: number;
  reads: number;
  reps: number;
} {
  let reads = 0;
  const warmStart = process.hrtime.bigint();
  let warm = 0;
  while (warm < 5 || process.hrtime.bigint() - warmStart < 30_000_000n) {
    reads = run().reads;
    warm++;
  }
  const perRunMs = Number(process.hrtime.bigint() - warmStart) / 1e6 / warm;
  const reps = Math.max(MIN_REPS, Math.min(MAX_REPS, Math.round(BUDGET_MS / perRunMs) | 1));
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = process.hrtime.bigint();
    run();
    samples.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  return { us: summarize(samples).median, reads, reps };
}

export interface OverlayBenchRow {
  readonly n: number;
  readonly size: number;
  readonly overlay_us: number;
  readonly reads: number;
  readonly linear_us: number;
  readonly linear_reads: number;
  /** The directory cached: lookup, code read and decode only. */
  readonly warm_us: number;
  readonly warm_reads: number;
  readonly reps: number;
}

export function benchOverlays(counts: readonly number[] = OVERLAY_COUNTS): OverlayBenchRow[] {
  return counts.map((n) => {
    const files = overlayFiles(n);
    // Both layouts must find the same code object before any timing counts.
    const a = loadLastWithDirectory(files).code;
    const b = loadLastLinear(files).code;
    if (a.names[0] !== `X_${n - 1}` || b.names[0] !== a.names[0])
      throw new Error(`overlays bench: the layouts disagree for N=${n}`);
    const directory = measure(() => loadLastWithDirectory(files));
    const linear = measure(() => loadLastLinear(files));
    const warm = measure(warmLoader(files));
    return {
      n,
      size: files.directory.length,
      overlay_us: directory.us,
      reads: directory.reads,
      linear_us: linear.us,
      linear_reads: linear.reads,
      warm_us: warm.us,
      warm_reads: warm.reads,
      reps: Math.min(directory.reps, linear.reps),
    };
  });
}

export function runOverlays(options: BenchOptions): WorkloadReport {
  options.log("overlays: building files with 1 … 10,000 overlays and timing the last one's load");
  const rows = benchOverlays();
  const humanLines = [
    "overlays: load the last of N overlays (directory cold each time; median µs; reads = read calls;",
    "          warm = the directory already cached, as after a module's first overlay load)",
    ...table([
      [
        "N",
        "file bytes",
        "directory µs",
        "reads",
        "linear µs",
        "linear reads",
        "linear/dir",
        "warm µs",
        "warm reads",
      ],
      ...rows.map((r) => [
        grouped(r.n),
        grouped(r.size),
        fixed(r.overlay_us),
        String(r.reads),
        fixed(r.linear_us),
        String(r.linear_reads),
        `${fixed(r.linear_us / r.overlay_us, 1)}×`,
        fixed(r.warm_us),
        String(r.warm_reads),
      ]),
    ]),
  ];
  const jsonLines = rows.map((r) => ({
    workload: "overlays",
    n: r.n,
    overlay_us: r3(r.overlay_us),
    reads: r.reads,
    linear_us: r3(r.linear_us),
    linear_reads: r.linear_reads,
    warm_us: r3(r.warm_us),
    warm_reads: r.warm_reads,
  }));
  return { humanLines, jsonLines };
}
