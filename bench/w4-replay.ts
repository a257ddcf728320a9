/**
 * importkit's side of W4, in its own fresh process: anchors/w4_zipimport.py's `run` on the same archive, the
 * same modules in the same order (the anchor's `modwalk.walk([zip])`, written by bench/w4.ts into a name file)
 * and the same importer per module (the archive's for a top-level name, `zipimporter(ZIP/pkg/sub)` for a
 * submodule). Prints the anchor's keys (ns):
 *
 *   toc_cold_ns        the first `zipimporter(ZIP)` in the process: the zip path hook's createFinder, which
 *                      stats the archive, reads its table of contents (readZipDirectory) and makes the finder
 *   find_cold_ns       findSpec(name, null) for every module, first sweep (makes the per-package importers)
 *   get_code_cold_ns   getCode(name) for every module, first sweep
 *   find_warm / get_code_warm_per_module_ns   medians of --sweeps (5) further sweeps of each
 *   toc_lookup_only_warm_per_module_ns        isPackage(name): `_get_module_info`, the table probe alone
 *   toc_reread_ns      createFinder(ZIP) after clearing the zip directory cache, --toc-reps (20) times
 *   toc_cached_ns      createFinder(ZIP) with the table cached
 *
 * and, unless --no-extras: pathfinder_find_warm_per_module_ns (findSpecSync with sys.path = [ZIP], the
 * anchor's PathFinder sweep), and importkit-only figures: import_order_warm_per_module_ns (find then get_code
 * of each module in turn, as an import runs them) and `options_ab` (below).
 *
 * The headline runs with importkit's default zip options (CRC-32 checked, the archive re-stat'ed by every find
 * to notice a replaced file): what a user of the library gets. Afterwards, in the same process, a second
 * import system with CPYTHON_ZIP_OPTIONS (no CRC check, no re-stat: CPython's behaviour) is warmed by one
 * sweep, then its find/get_code sweeps alternate with the default system's, reported under `options_ab`
 * (warm only; alternated because later sweeps in a process run faster, which would favour whichever ran last).
 *
 * A `.py` member is compiled by importkit's scenario executor, which refuses Python outside its subset at
 * compile time (NotSupportedError). Such refusals (and SyntaxErrors) are counted per module, not hidden:
 * `failed_modules`, `failures_by_reason`; the sweeps still visit every module (a refused module costs its
 * read and parse), and `compiled_subset` times the modules that did compile on their own.
 *
 *   node --import tsx bench/w4-replay.ts [--profile cpython-3.11] [--sweeps N] [--toc-reps R]
 *     --names-in bench/build/zips311/pip_pyc_stored.names.json ZIP
 *
 * --limits [--reps N]: instead, the anchor's `limits ZIP`, the parts of a get_code on their own over every
 * member, median of N (7) passes after one untimed pass (the anchor has none; CPython has no JIT to warm):
 * read_raw (readRawMember: open, read, close), inflate (inflateRawSync), crc32, unmarshal (decodeMarshal of the pyc's body, dropped; and kept alive), compile (the executor, .py;
 * refusals counted) and parse (its Lezer parse alone, .py), and read_member (readMemberData: raw read, inflate
 * and CRC-32 together).
 */
import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { crc32, inflateRawSync } from "node:zlib";
import { parser } from "@lezer/python";
import { decodeMarshal, layoutForPython } from "../src/bytecode/index.js";
import { createContainer } from "../src/composition-root.js";
import { isPromise } from "../src/core/awaitable.js";
import { NotSupportedError, SyntaxError_ } from "../src/core/errors.js";
import { NodeFileSystem } from "../src/core/fs/node-fs.js";
import type { PathHook } from "../src/core/interfaces.js";
import { loadProfile } from "../src/core/profile.js";
import { ScenarioExecutor } from "../src/exec/scenario-executor.js";
import { decodeSource } from "../src/hooks/source-text.js";
import type { ZipDirectoryCache } from "../src/hooks/zip/zip-directory-cache.js";
import type { ZipImportOptions } from "../src/hooks/zip/zip-importer.js";
import { ZipImporter } from "../src/hooks/zip/zip-importer.js";
import { CPYTHON_ZIP_OPTIONS } from "../src/hooks/zip/zip-options.js";
import { createResolver } from "../src/resolve/create-resolver.js";
import type { Resolver } from "../src/resolve/resolver.js";
import { findSpecSync } from "../src/resolve/resolver.js";
import * as T from "../src/tokens.js";
import { readZipDirectory } from "../src/zip/central-directory.js";
import { readMemberData, readRawMember } from "../src/zip/member-data.js";
import { replayInterpreter } from "./replay-support.js";
import { summarize } from "./stats.js";
import type { W4NameFile } from "./w4-archives.js";

const USAGE =
  "usage: node --import tsx bench/w4-replay.ts [--profile P] [--sweeps N] [--toc-reps R] [--no-extras] " +
  "--names-in NAMES.json ZIP\n       node --import tsx bench/w4-replay.ts [--profile P] --limits [--reps N] ZIP";

interface Args {
  readonly profile: string;
  readonly sweeps: number;
  readonly tocReps: number;
  readonly namesIn: string | null;
  readonly zip: string;
  readonly limits: boolean;
  readonly reps: number;
  readonly extras: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  let profile = "cpython-3.11";
  let sweeps = 5;
  let tocReps = 20;
  let namesIn: string | null = null;
  let zip: string | null = null;
  let limits = false;
  let reps = 7;
  let extras = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value\n${USAGE}`);
      return next;
    };
    if (arg === "--profile") profile = value();
    else if (arg === "--sweeps") sweeps = Number(value());
    else if (arg === "--toc-reps") tocReps = Number(value());
    else if (arg === "--names-in") namesIn = value();
    else if (arg === "--limits") limits = true;
    else if (arg === "--reps") reps = Number(value());
    else if (arg === "--no-extras") extras = false;
    else if (arg.startsWith("--")) throw new Error(`unknown option ${arg}\n${USAGE}`);
    else zip = resolve(arg);
  }
  if ((namesIn === null && !limits) || zip === null) throw new Error(USAGE);
  const counts = [sweeps, tocReps, reps];
  if (!counts.every((n) => Number.isInteger(n) && n >= 1)) throw new Error(USAGE);
  return { profile, sweeps, tocReps, namesIn, zip, limits, reps, extras };
}

/** One module as the anchor visits it: its name and the path entry of the importer that finds it. */
type Item = readonly [name: string, key: string];

/** The zip path hook and directory cache of one import system (importkit's default wiring). */
interface ZipSide {
  readonly hook: PathHook;
  readonly cache: ZipDirectoryCache;
}

function zipSide(profile: string, zip?: ZipImportOptions): ZipSide {
  const c = createContainer({ fs: new NodeFileSystem(), profile, ...(zip && { zip }) });
  const hook = c.resolve<PathHook[]>(T.PATH_HOOKS)[0]!;
  if (hook.name !== "zipimporter") throw new Error(`the first path hook is ${hook.name}, not zipimporter`);
  return { hook, cache: c.resolve<ZipDirectoryCache>(T.ZIP_DIRECTORY_CACHE) };
}

/** `zipimporter(key)`. */
function zipimporter(side: ZipSide, key: string): ZipImporter {
  const finder = side.hook.createFinder(key);
  if (isPromise(finder)) throw new Error(`zipimporter(${key}) answered asynchronously`);
  if (!(finder instanceof ZipImporter)) throw new Error(`zipimporter(${key}) declined the entry`);
  return finder;
}

/** What the executor refuses at compile time (or, wrongly, calls a syntax error): counted, not fatal. */
function isCompileRefusal(error: unknown): error is Error {
  return error instanceof NotSupportedError || error instanceof SyntaxError_;
}

/** "NotSupportedError: … call expression" without the location, so refusals group by construct. */
function reasonOf(error: Error): string {
  const kind = error instanceof NotSupportedError ? "NotSupportedError" : "SyntaxError";
  return `${kind}: ${error.message.replace(/ at \S+$/, "").replace(/ \([^()]*, line \d+\)$/, "")}`;
}

/** The importers made so far (the anchor's `importers` dict) and the modules the executor refused. */
class Sweeps {
  readonly importers = new Map<string, ZipImporter>();
  readonly failures = new Map<string, string>();

  constructor(
    private readonly side: ZipSide,
    top: ZipImporter,
    zip: string,
  ) {
    this.importers.set(zip, top);
  }

  private refused(name: string, error: unknown): void {
    if (!isCompileRefusal(error)) throw error;
    if (!this.failures.has(name)) this.failures.set(name, `${reasonOf(error)} (${error.message})`);
  }

  /** The anchor's `find_sweep`: finds every module, making each package's importer when first needed. */
  timedFindSweep(items: readonly Item[]): number {
    const started = process.hrtime.bigint();
    for (let i = 0; i < items.length; i++) {
      const [name, key] = items[i]!;
      let importer = this.importers.get(key);
      if (importer === undefined) {
        importer = zipimporter(this.side, key);
        this.importers.set(key, importer);
      }
      try {
        const spec = importer.findSpec(name, null);
        if (isPromise(spec)) throw new Error(`find_spec(${name}) answered asynchronously`);
        if (spec === null) throw new Error(`not found: ${name}`);
      } catch (error) {
        this.refused(name, error);
      }
    }
    return Number(process.hrtime.bigint() - started);
  }

  /** The anchor's `code_sweep`. */
  timedCodeSweep(items: readonly Item[]): number {
    const started = process.hrtime.bigint();
    for (let i = 0; i < items.length; i++) {
      const [name, key] = items[i]!;
      try {
        this.importers.get(key)!.getCode(name);
      } catch (error) {
        this.refused(name, error);
      }
    }
    return Number(process.hrtime.bigint() - started);
  }

  /** find_spec then get_code of each module in turn (an import's order). */
  timedImportOrderSweep(items: readonly Item[]): number {
    const started = process.hrtime.bigint();
    for (let i = 0; i < items.length; i++) {
      const [name, key] = items[i]!;
      const importer = this.importers.get(key)!;
      try {
        importer.findSpec(name, null);
        importer.getCode(name);
      } catch (error) {
        this.refused(name, error);
      }
    }
    return Number(process.hrtime.bigint() - started);
  }

  /** `_get_module_info` for every module: `isPackage`, the table probe alone. */
  timedLookupSweep(items: readonly Item[]): number {
    const started = process.hrtime.bigint();
    for (let i = 0; i < items.length; i++) {
      const [name, key] = items[i]!;
      this.importers.get(key)!.isPackage(name);
    }
    return Number(process.hrtime.bigint() - started);
  }
}

function timedPathFinderSweep(
  resolver: Resolver,
  lookups: readonly (readonly [string, readonly string[] | null])[],
): number {
  const started = process.hrtime.bigint();
  for (let i = 0; i < lookups.length; i++) {
    const [name, parentPath] = lookups[i]!;
    if (findSpecSync(resolver, name, parentPath) === null) throw new Error(`PathFinder: not found: ${name}`);
  }
  return Number(process.hrtime.bigint() - started);
}

function perModule(times: readonly number[], n: number) {
  return summarize(times.map((t) => t / n));
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  console.log(JSON.stringify(args.limits ? limits(args) : run(args)));
}

function run(args: Args): Record<string, unknown> {
  const { zip, sweeps } = args;
  const names = JSON.parse(readFileSync(args.namesIn!, "utf8")) as W4NameFile;
  const zipBytes = statSync(zip).size;
  if (names.zip_bytes !== zipBytes) {
    throw new Error(`${args.namesIn} was made for a ${names.zip_bytes}-byte archive; ${zip} has ${zipBytes}`);
  }
  const items: Item[] = names.modules.map(([name, sub]) => [name, sub === null ? zip : `${zip}/${sub}`]);
  const N = items.length;
  const side = zipSide(args.profile);

  // (1) The table of contents, first in the process.
  let started = process.hrtime.bigint();
  const top = zipimporter(side, zip);
  const tocCold = Number(process.hrtime.bigint() - started);
  const tocEntries = top.files.size;

  // (2) find_spec for all, then get_code for all: cold, then warm sweeps.
  const run = new Sweeps(side, top, zip);
  const findCold = run.timedFindSweep(items);
  const codeCold = run.timedCodeSweep(items);
  const findWarm: number[] = [];
  const codeWarm: number[] = [];
  for (let s = 0; s < sweeps; s++) {
    findWarm.push(run.timedFindSweep(items));
    codeWarm.push(run.timedCodeSweep(items));
  }
  const failed = new Set(run.failures.keys());
  const compiled = items.filter(([name]) => !failed.has(name));

  // The bare table probe.
  const lookupWarm: number[] = [];
  for (let s = 0; s < sweeps; s++) lookupWarm.push(run.timedLookupSweep(items));

  // (1') The table again: re-read with the cache cleared, then cached.
  const tocReread: number[] = [];
  for (let r = 0; r < args.tocReps; r++) {
    side.cache.clear();
    started = process.hrtime.bigint();
    zipimporter(side, zip);
    tocReread.push(Number(process.hrtime.bigint() - started));
  }
  const tocCached: number[] = [];
  for (let r = 0; r < args.tocReps; r++) {
    started = process.hrtime.bigint();
    zipimporter(side, zip);
    tocCached.push(Number(process.hrtime.bigint() - started));
  }

  const out: Record<string, unknown> = {
    workload: "W4 zipimport",
    interpreter: replayInterpreter(args.profile),
    zip,
    zip_bytes: zipBytes,
    zip_options: "default (CRC-32 checked, archive re-stat'ed per find)",
    toc_entries: tocEntries,
    modules: N,
    packages: names.walk_stats.packages,
    toc_cold_ns: tocCold,
    toc_cold_per_entry_ns: tocCold / tocEntries,
    find_cold_ns: findCold,
    find_cold_per_module_ns: findCold / N,
    get_code_cold_ns: codeCold,
    get_code_cold_per_module_ns: codeCold / N,
    cold_total_ns: tocCold + findCold + codeCold,
    find_warm_per_module_ns: perModule(findWarm, N),
    get_code_warm_per_module_ns: perModule(codeWarm, N),
    get_code_warm_total_ns: summarize(codeWarm),
    toc_lookup_only_warm_per_module_ns: perModule(lookupWarm, N),
    toc_reread_ns: summarize(tocReread),
    toc_reread_per_entry_ns: perModule(tocReread, tocEntries),
    toc_cached_ns: summarize(tocCached),
    failed_modules: failed.size,
  };
  if (args.extras) Object.assign(out, extras(args, items, compiled, run));
  if (failed.size > 0) {
    const byReason: Record<string, number> = {};
    for (const message of run.failures.values()) {
      const reason = message.slice(0, message.indexOf(" ("));
      byReason[reason] = (byReason[reason] ?? 0) + 1;
    }
    out.failures_by_reason = Object.fromEntries(Object.entries(byReason).sort((a, b) => b[1] - a[1]));
    out.failure_sample = [...run.failures].slice(0, 5).map(([name, message]) => `${name}: ${message}`);
    // The modules that did compile, alone (importkit's figure only: CPython's covers every module).
    const subFind: number[] = [];
    const subCode: number[] = [];
    for (let s = 0; s < sweeps; s++) {
      subFind.push(run.timedFindSweep(compiled));
      subCode.push(run.timedCodeSweep(compiled));
    }
    const M = Math.max(compiled.length, 1);
    out.compiled_subset = {
      modules: compiled.length,
      find_warm_per_module_ns: perModule(subFind, M),
      get_code_warm_per_module_ns: perModule(subCode, M),
    };
  }
  return out;
}

/**
 * Beyond the anchor's headline keys (skipped with --no-extras): PathFinder through the path hook, an import's
 * order (find then get_code per module), and CPython's zip options; all warm.
 */
function extras(args: Args, items: readonly Item[], compiled: readonly Item[], run: Sweeps) {
  const { zip, sweeps } = args;
  const N = items.length;
  const M = Math.max(compiled.length, 1);
  // Through the path-hook machinery (sys.path = [ZIP]); modules the executor refused are left out.
  const { resolver } = createResolver({ fs: new NodeFileSystem(), path: [zip], profile: args.profile });
  const lookups = compiled.map(([name, key]) => [name, key === zip ? null : [key]] as const);
  timedPathFinderSweep(resolver, lookups);
  const pathFinder: number[] = [];
  for (let s = 0; s < sweeps; s++) pathFinder.push(timedPathFinderSweep(resolver, lookups));

  // find_spec then get_code of each module in turn, as an import runs them: importkit keeps the code the find
  // got for the get_code that follows (CPython decodes it again, in either order).
  const importOrder: number[] = [];
  for (let s = 0; s < sweeps; s++) importOrder.push(run.timedImportOrderSweep(compiled));

  // CPython's zip options (no CRC-32 check, no re-stat per find) on a fresh import system, warmed by one
  // sweep, then its sweeps alternate with the default system's: in one process the later sweeps run faster,
  // so an A/B in turn is what tells the options apart.
  const cpySide = zipSide(args.profile, CPYTHON_ZIP_OPTIONS);
  const cpyRun = new Sweeps(cpySide, zipimporter(cpySide, zip), zip);
  cpyRun.timedFindSweep(items);
  cpyRun.timedCodeSweep(items);
  const ab = {
    defaultFind: [] as number[],
    defaultCode: [] as number[],
    cpyFind: [] as number[],
    cpyCode: [] as number[],
  };
  for (let s = 0; s < sweeps; s++) {
    ab.defaultFind.push(run.timedFindSweep(items));
    ab.defaultCode.push(run.timedCodeSweep(items));
    ab.cpyFind.push(cpyRun.timedFindSweep(items));
    ab.cpyCode.push(cpyRun.timedCodeSweep(items));
  }
  return {
    pathfinder_find_warm_per_module_ns: perModule(pathFinder, M),
    import_order_warm_per_module_ns: perModule(importOrder, M),
    options_ab: {
      note: "default and CPYTHON_ZIP_OPTIONS (no CRC-32 check, no re-stat) sweeps in turn, warm, same process",
      default: {
        find_warm_per_module_ns: perModule(ab.defaultFind, N),
        get_code_warm_per_module_ns: perModule(ab.defaultCode, N),
      },
      cpython_options: {
        find_warm_per_module_ns: perModule(ab.cpyFind, N),
        get_code_warm_per_module_ns: perModule(ab.cpyCode, N),
      },
    },
  };
}

/** The anchor's `limits`: each part of a get_code alone, per member, median of --reps passes. */
function limits(args: Args): Record<string, unknown> {
  const { zip, reps } = args;
  const fs = new NodeFileSystem();
  const profile = loadProfile(args.profile);
  const layout = layoutForPython(`${profile.versionInfo[0]}.${profile.versionInfo[1]}`)!;
  const directory = readZipDirectory(fs, zip, statSync(zip).size);
  if (isPromise(directory)) throw new Error("the directory was read asynchronously");
  const entries = [...directory.files.values()].filter((e) => !e.name.endsWith("/"));
  const N = entries.length;
  const raws = entries.map((e) => readRawMember(fs, zip, e));
  const datas = entries.map((e) => readMemberData(fs, zip, e));
  // One untimed pass first: these are floors, and the first pass of each part runs before V8 has tiered it up.
  const med = (pass: () => void) => {
    pass();
    const times: number[] = [];
    for (let r = 0; r < reps; r++) {
      const started = process.hrtime.bigint();
      pass();
      times.push(Number(process.hrtime.bigint() - started));
    }
    return perModule(times, N);
  };
  const out: Record<string, unknown> = {
    workload: "W4 limits",
    interpreter: replayInterpreter(args.profile),
    zip,
    members: N,
  };
  out.read_raw_per_member_ns = med(() => {
    for (const e of entries) readRawMember(fs, zip, e);
  });
  if (entries.some((e) => e.method !== 0)) {
    out.inflate_per_member_ns = med(() => {
      for (const r of raws) inflateRawSync(r);
    });
  }
  out.crc32_per_member_ns = med(() => {
    for (const d of datas) crc32(d);
  });
  out.read_member_per_member_ns = med(() => {
    for (const e of entries) readMemberData(fs, zip, e);
  });
  if (entries[0]!.name.endsWith(".pyc")) {
    out.unmarshal_per_member_ns = med(() => {
      for (const d of datas) decodeMarshal(d, { layout, offset: 16 });
    });
    out.unmarshal_keep_alive_per_member_ns = med(() => {
      const kept: unknown[] = [];
      for (const d of datas) kept.push(decodeMarshal(d, { layout, offset: 16 }).value);
    });
  } else {
    const executor = new ScenarioExecutor();
    const sources = entries.map((e, i) => [decodeSource(datas[i]!, e.path), e.path] as const);
    let refused = 0;
    out.compile_per_member_ns = med(() => {
      refused = 0;
      for (const [source, path] of sources) {
        try {
          executor.compile(source, path);
        } catch (error) {
          if (!isCompileRefusal(error)) throw error;
          refused++;
        }
      }
    });
    out.compile_refused = refused;
    out.parse_per_member_ns = med(() => {
      for (const [source] of sources) parser.parse(source);
    });
  }
  out.uncompressed_bytes = datas.reduce((n, d) => n + d.length, 0);
  return out;
}

main();
