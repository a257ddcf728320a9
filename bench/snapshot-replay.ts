/**
 * importkit's side of the snapshot workload (bench/snapshot.ts), one fresh process per run. Run with
 * `--expose-gc` (bench/snapshot.ts does) so heap figures are taken after a full collection.
 *
 *   --freeze --out FILE DIR ENTRY       freeze(ENTRY with sys.path = [DIR]) and write the snapshot to FILE;
 *                                       prints {frozen, left_to_path, snapshot_bytes, freeze_ms}
 *   --cold path|snapshot [--snapshot FILE] DIR ENTRY
 *                                       one start-up, timed from just before createImportSystem until
 *                                       `importModule(ENTRY)` returns: the path importer alone (the default
 *                                       system) or with the snapshot plugin. Prints ms, the file-system calls
 *                                       by kind and bytes read (CountingFileSystem around NodeFileSystem, in
 *                                       the timed run: one increment per call), the heap allocated during the
 *                                       start-up and what it retains after a full GC, and the process's RSS
 *   --warm --snapshot FILE [--warmup W] [--rounds K] DIR ENTRY
 *                                       in this one process, W untimed rounds then K timed ones; each round
 *                                       makes a fresh system through the path importer and one through the
 *                                       snapshot, alternately (so drift and V8's tiering hit both alike);
 *                                       prints each side's median, min–max, calls and bytes
 *
 * Each start-up is checked: the entry imported, the number of new modules, and how many were served from the
 * snapshot (all of them on the snapshot side, none on the path side).
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { createImportSystem } from "../src/composition-root.js";
import { CountingFileSystem } from "../src/core/fs/counting-fs.js";
import { NodeFileSystem } from "../src/core/fs/node-fs.js";
import type { ImportSystem } from "../src/core/import-system.js";
import { snapshot } from "../src/plugins/snapshot.js";
import { freeze } from "../src/snapshot/freeze.js";
import { replayInterpreter, takeCounts } from "./replay-support.js";
import type { Stats } from "./stats.js";
import { summarize } from "./stats.js";

const USAGE = [
  "usage: node --expose-gc --import tsx bench/snapshot-replay.ts [--profile P] --freeze --out FILE DIR ENTRY",
  "       node --expose-gc --import tsx bench/snapshot-replay.ts [--profile P] --cold path|snapshot [--snapshot FILE] DIR ENTRY",
  "       node --expose-gc --import tsx bench/snapshot-replay.ts [--profile P] --warm --snapshot FILE [--warmup W] [--rounds K] DIR ENTRY",
].join("\n");

export type Importer = "path" | "snapshot";

/** One start-up as `--cold` prints it (and each warm round measures it). */
export interface StartupResult {
  readonly importer: Importer;
  readonly ms: number;
  /** New non-None entries of sys.modules, built-in and frozen modules left out (the app's modules). */
  readonly modules: number;
  /** Of those, served by the snapshot importer. */
  readonly from_snapshot: number;
  /** File-system calls by kind, and `total`. */
  readonly fs_calls: Record<string, number>;
  readonly bytes_read: number;
  /** heapUsed after the import minus before (no collection in between: what the start-up allocated and kept until then). */
  readonly heap_alloc_kb: number;
  /** heapUsed after a full GC with the system alive, minus before: what the imported application retains. */
  readonly heap_kb: number;
  readonly rss_kb: number;
  readonly rss_delta_kb: number;
}

export interface ColdResult extends StartupResult {
  readonly interpreter: Record<string, string>;
}

export interface WarmSide {
  readonly ms: Stats;
  readonly modules: number;
  readonly from_snapshot: number;
  readonly fs_calls: Record<string, number>;
  readonly bytes_read: number;
}

export interface WarmResult {
  readonly interpreter: Record<string, string>;
  readonly warmup: number;
  readonly rounds: number;
  readonly path: WarmSide;
  readonly snapshot: WarmSide;
}

export interface FreezeReport {
  readonly frozen: number;
  readonly left_to_path: readonly { name: string; reason: string }[];
  readonly snapshot_bytes: number;
  readonly freeze_ms: number;
}

/** CountingFileSystem that also adds up the bytes its reads return. */
class ByteCountingFileSystem extends CountingFileSystem {
  bytesRead = 0;

  override readFile(path: string): Uint8Array {
    const data = super.readFile(path);
    this.bytesRead += data.length;
    return data;
  }

  override read(path: string, position: number, length: number): Uint8Array {
    const data = super.read(path, position, length);
    this.bytesRead += data.length;
    return data;
  }
}

interface Args {
  mode: "freeze" | "cold" | "warm";
  importer: Importer;
  profile: string;
  snapshotFile: string | null;
  out: string | null;
  warmup: number;
  rounds: number;
  dir: string;
  entry: string;
}

function parseArgs(argv: readonly string[]): Args {
  let mode: Args["mode"] | null = null;
  let importer: Importer = "path";
  let profile = "cpython-3.11";
  let snapshotFile: string | null = null;
  let out: string | null = null;
  let warmup = 3;
  let rounds = 7;
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value\n${USAGE}`);
      return next;
    };
    if (arg === "--freeze") mode = "freeze";
    else if (arg === "--cold") {
      mode = "cold";
      const v = value();
      if (v !== "path" && v !== "snapshot") throw new Error(`--cold path|snapshot, not ${v}\n${USAGE}`);
      importer = v;
    } else if (arg === "--warm") mode = "warm";
    else if (arg === "--profile") profile = value();
    else if (arg === "--snapshot") snapshotFile = resolve(value());
    else if (arg === "--out") out = resolve(value());
    else if (arg === "--warmup") warmup = Number(value());
    else if (arg === "--rounds") rounds = Number(value());
    else if (arg.startsWith("--")) throw new Error(`unknown option ${arg}\n${USAGE}`);
    else positional.push(arg);
  }
  const [dir, entry] = positional;
  if (mode === null || dir === undefined || entry === undefined || positional.length !== 2)
    throw new Error(USAGE);
  if (mode === "freeze" && out === null) throw new Error(`--freeze needs --out\n${USAGE}`);
  if ((mode === "warm" || importer === "snapshot") && snapshotFile === null) {
    throw new Error(`the snapshot side needs --snapshot FILE\n${USAGE}`);
  }
  if (!Number.isInteger(warmup) || warmup < 0 || !Number.isInteger(rounds) || rounds < 1)
    throw new Error(USAGE);
  return { mode, importer, profile, snapshotFile, out, warmup, rounds, dir: resolve(dir), entry };
}

const gc: () => void =
  (globalThis as { gc?: () => void }).gc ??
  (() => {
    throw new Error("run with node --expose-gc");
  });

const kb = (bytes: number) => Math.round(bytes / 1024);

/** One start-up: system made, `sys.path = [dir]`, entry imported; timed, counted and checked. */
async function startup(
  args: Args,
  importer: Importer,
): Promise<{ result: StartupResult; system: ImportSystem }> {
  const fs = new ByteCountingFileSystem(new NodeFileSystem());
  const plugins = importer === "snapshot" ? [snapshot(args.snapshotFile!)] : [];
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const rssBefore = process.memoryUsage.rss();
  const started = process.hrtime.bigint();
  const system = createImportSystem({ fs, profile: args.profile, plugins });
  system.sys.path = [args.dir];
  const before = new Set(system.sys.modules.keys());
  await system.importModule(args.entry);
  const ns = Number(process.hrtime.bigint() - started);
  const heapAfter = process.memoryUsage().heapUsed;
  const bytesRead = fs.bytesRead;
  const fsCalls = takeCounts(fs);
  let modules = 0;
  let fromSnapshot = 0;
  for (const [name, module] of system.sys.modules) {
    if (before.has(name) || module === null) continue;
    // The app's own modules: a built-in one it imports (`sys`, already loaded in CPython) is not the app's.
    if (module.spec?.loaderKind === "BuiltinImporter" || module.spec?.loaderKind === "FrozenImporter")
      continue;
    modules++;
    if (module.spec?.loaderKind === "SnapshotImporter") fromSnapshot++;
  }
  gc();
  const heapRetained = process.memoryUsage().heapUsed;
  const rss = process.memoryUsage.rss();
  const result: StartupResult = {
    importer,
    ms: ns / 1e6,
    modules,
    from_snapshot: fromSnapshot,
    fs_calls: fsCalls,
    bytes_read: bytesRead,
    heap_alloc_kb: kb(heapAfter - heapBefore),
    heap_kb: kb(heapRetained - heapBefore),
    rss_kb: kb(rss),
    rss_delta_kb: kb(rss - rssBefore),
  };
  return { result, system };
}

async function runFreeze(args: Args): Promise<FreezeReport> {
  const started = process.hrtime.bigint();
  const result = await freeze({
    fs: new NodeFileSystem(),
    profile: args.profile,
    path: [args.dir],
    entries: [args.entry],
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  writeFileSync(args.out!, result.data);
  return {
    frozen: result.frozen.length,
    left_to_path: result.leftToPath.map((l) => ({ name: l.name, reason: l.reason })),
    snapshot_bytes: result.data.length,
    freeze_ms: ms,
  };
}

async function runWarm(args: Args): Promise<WarmResult> {
  const times: Record<Importer, number[]> = { path: [], snapshot: [] };
  const last: Partial<Record<Importer, StartupResult>> = {};
  for (let r = 0; r < args.warmup + args.rounds; r++) {
    // Alternate which side goes first, so neither always follows the other's garbage.
    const order: Importer[] = r % 2 === 0 ? ["path", "snapshot"] : ["snapshot", "path"];
    for (const importer of order) {
      const { result } = await startup(args, importer);
      last[importer] = result;
      if (r < args.warmup) continue;
      times[importer].push(result.ms);
    }
  }
  const side = (importer: Importer): WarmSide => {
    const r = last[importer]!;
    return {
      ms: summarize(times[importer]),
      modules: r.modules,
      from_snapshot: r.from_snapshot,
      fs_calls: r.fs_calls,
      bytes_read: r.bytes_read,
    };
  };
  return {
    interpreter: replayInterpreter(args.profile),
    warmup: args.warmup,
    rounds: args.rounds,
    path: side("path"),
    snapshot: side("snapshot"),
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  let out: unknown;
  if (args.mode === "freeze") out = await runFreeze(args);
  else if (args.mode === "warm") out = await runWarm(args);
  else {
    const { result } = await startup(args, args.importer);
    out = { ...result, interpreter: replayInterpreter(args.profile) } satisfies ColdResult;
  }
  console.log(JSON.stringify(out));
}

await main();
