/**
 * W4, zip import: CPython's anchors/w4_zipimport.py `run` and importkit's bench/w4-replay.ts on the same four
 * archives of pip (pyc/py × stored/deflated, built by the anchor into bench/build/zipsXY), the same modules in
 * the same order, alternately in fresh processes. For each archive: opening and indexing it (the first
 * `zipimporter(ZIP)` in the process, and re-reads with the directory cache cleared), then find_spec and
 * get_code for every module, cold (first sweep) and warm. CPython's find_spec already reads and decodes the
 * module (python/cpython#141276), so the per-module headline is find + get_code together.
 *
 * The `.py` archives compile every member: importkit's scenario executor refuses most of pip at compile time,
 * so their per-module figures cannot be compared (the JSON says so, with the refusals); their table of
 * contents still is.
 */
import { BenchError } from "./bench-error.js";
import { anchorCommand, replayCommand } from "./commands.js";
import type { BenchOptions } from "./options.js";
import type { Comparison } from "./paired-runs.js";
import { compare, runPairs } from "./paired-runs.js";
import { runJson } from "./processes.js";
import type { PythonTree } from "./python-tree.js";
import { pythonTree } from "./python-tree.js";
import type { WorkloadReport } from "./report.js";
import { comparisonRow, fixed, grouped, r3, ratioText, spread, table } from "./report.js";
import type { Stats } from "./stats.js";
import { summarize } from "./stats.js";
import type { W4Archive } from "./w4-archives.js";
import { w4Archives } from "./w4-archives.js";

/** Warm sweeps per process for the pyc archives (the anchor's default). */
const PYC_SWEEPS = 5;
/** The .py archives compile every module on every sweep (CPython ~1.4 ms/module): fewer sweeps and pairs. */
const PY_SWEEPS = 1;
const PY_MAX_PAIRS = 3;

/** The keys both sides print (ns). */
interface W4Result {
  interpreter: { version?: string; node?: string };
  toc_entries: number;
  modules: number;
  packages: number;
  toc_cold_ns: number;
  find_cold_ns: number;
  get_code_cold_ns: number;
  cold_total_ns: number;
  find_warm_per_module_ns: Stats;
  get_code_warm_per_module_ns: Stats;
  pathfinder_find_warm_per_module_ns?: Stats;
  toc_lookup_only_warm_per_module_ns: Stats;
  toc_reread_ns: Stats;
  toc_reread_per_entry_ns: Stats;
  toc_cached_ns: Stats;
  /** importkit only */
  zip_options?: string;
  import_order_warm_per_module_ns?: Stats;
  options_ab?: Record<
    "default" | "cpython_options",
    { find_warm_per_module_ns: Stats; get_code_warm_per_module_ns: Stats }
  >;
  failed_modules?: number;
  failures_by_reason?: Record<string, number>;
  failure_sample?: string[];
  compiled_subset?: { modules: number; find_warm_per_module_ns: Stats; get_code_warm_per_module_ns: Stats };
}

interface Runs {
  readonly cpython: W4Result[];
  readonly importkit: W4Result[];
}

/** The same figure taken from both sides' results (ns), compared as medians over processes (µs). */
function figure(runs: Runs, pick: (r: W4Result) => number): Comparison {
  return compare(runs.cpython.map(pick), runs.importkit.map(pick));
}

const findGetCodeCold = (r: W4Result) => (r.find_cold_ns + r.get_code_cold_ns) / r.modules;
const findGetCodeWarm = (r: W4Result) =>
  r.find_warm_per_module_ns.median + r.get_code_warm_per_module_ns.median;

function round(s: Stats) {
  return { median: r3(s.median), min: r3(s.min), max: r3(s.max), n: s.n };
}

/** A comparison in a JSON line: µs medians, the ratio (CPython / importkit) and spreads. */
function figureJson(c: Comparison) {
  return {
    cpython_us: r3(c.cpython.median),
    importkit_us: r3(c.importkit.median),
    ratio: r3(c.ratio),
    cpython_us_stats: round(c.cpython),
    importkit_us_stats: round(c.importkit),
    pair_ratio_stats: round(c.pairRatio),
  };
}

/** One side's figure alone (µs; e.g. CPython's .py figures, which importkit could not replay). */
function oneSide(values: readonly number[]): Stats {
  return summarize(values.map((ns) => ns / 1000));
}

function checkResult(side: string, r: W4Result, archive: W4Archive, isPyc: boolean): void {
  const want = archive.names;
  if (r.modules !== want.modules.length || r.packages !== want.walk_stats.packages) {
    throw new BenchError(
      `W4 ${archive.case}: ${side} visited ${r.modules} modules (${r.packages} packages); the anchor's walk of ` +
        `${archive.zip} has ${want.modules.length} (${want.walk_stats.packages})`,
    );
  }
  if (isPyc && (r.failed_modules ?? 0) > 0) {
    throw new BenchError(
      `W4 ${archive.case}: importkit failed on ${r.failed_modules} modules: ${r.failure_sample?.join("; ")}`,
    );
  }
}

/** The anchor's `limits` keys: each part of a get_code alone over every member (µs/member). */
const LIMIT_KEYS = [
  ["read_raw_per_member_ns", "  part alone: read the raw member (open, read, close)"],
  ["inflate_per_member_ns", "  part alone: inflate"],
  ["crc32_per_member_ns", "  part alone: CRC-32 (importkit only)"],
  ["unmarshal_per_member_ns", "  part alone: unmarshal, result dropped"],
  ["unmarshal_keep_alive_per_member_ns", "  part alone: unmarshal, results kept alive"],
] as const;
/** Limit processes per side (each is ~1 s and not the headline). */
const LIMIT_PAIRS = 3;

type LimitsResult = Partial<Record<(typeof LIMIT_KEYS)[number][0], Stats>>;

/** The anchor's `limits ZIP` and the replay's `--limits ZIP`, alternated: where a get_code's time goes. */
function measureLimits(tree: PythonTree, archive: W4Archive, pairs: number, log: (line: string) => void) {
  log(`W4 ${archive.case}: the parts of a get_code alone (limits), ${pairs} pairs ...`);
  const runs = runPairs<LimitsResult, LimitsResult>(
    pairs,
    {
      label: "CPython",
      argv: anchorCommand(tree, "w4_zipimport.py", ["limits", archive.zip]),
      check: () => {},
    },
    {
      label: "importkit",
      argv: replayCommand(tree, "w4-replay.ts", ["--limits", archive.zip]),
      check: () => {},
    },
    log,
    (c, i) =>
      `unmarshal ${fixed((c.unmarshal_per_member_ns?.median ?? Number.NaN) / 1000, 1)} / ` +
      `${fixed((i.unmarshal_per_member_ns?.median ?? Number.NaN) / 1000, 1)} µs/member`,
  );
  const rows: string[][] = [];
  const json: Record<string, unknown> = {};
  for (const [key, label] of LIMIT_KEYS) {
    if (runs.importkit[0]?.[key] === undefined) continue;
    const c = compare(
      runs.cpython.map((r) => r[key]?.median ?? Number.NaN),
      runs.importkit.map((r) => r[key]?.median ?? Number.NaN),
    );
    rows.push(comparisonRow(label, c));
    json[key.replace(/_ns$/, "_us")] = figureJson(c);
  }
  return { rows, json };
}

export function runW4(options: BenchOptions): WorkloadReport {
  const { log } = options;
  const tree = pythonTree(options.python);
  const archives = w4Archives(tree, log, options.regenerateNames);
  const humanLines: string[] = [];
  const jsonLines: Record<string, unknown>[] = [];
  const targets: { label: string; met: boolean }[] = [];
  let versions = { cpython: "?", node: process.version };

  for (const archive of archives) {
    const isPyc = archive.case.startsWith("pyc");
    const sweeps = isPyc ? PYC_SWEEPS : PY_SWEEPS;
    const pairs = isPyc ? options.pairs : Math.min(options.pairs, PY_MAX_PAIRS);
    const sweepArgs = ["--sweeps", String(sweeps)];
    const cpythonArgv = anchorCommand(tree, "w4_zipimport.py", ["run", ...sweepArgs, archive.zip]);
    const importkitArgv = replayCommand(tree, "w4-replay.ts", [
      ...sweepArgs,
      ...(isPyc ? [] : ["--no-extras"]),
      "--names-in",
      archive.namesFile,
      archive.zip,
    ]);
    log(
      `W4 ${archive.case}: ${pairs} pairs, CPython then importkit, fresh processes, ${sweeps} warm sweeps each ...`,
    );
    let tocEntries: number | null = null;
    const sameToc = (side: string, r: W4Result) => {
      tocEntries ??= r.toc_entries;
      if (r.toc_entries !== tocEntries) {
        throw new BenchError(
          `W4 ${archive.case}: ${side} indexed ${r.toc_entries} entries, the other side ${tocEntries}`,
        );
      }
    };
    const runs = runPairs<W4Result, W4Result>(
      pairs,
      {
        label: "CPython",
        argv: cpythonArgv,
        check: (r) => {
          checkResult("CPython", r, archive, isPyc);
          sameToc("CPython", r);
        },
      },
      {
        label: "importkit",
        argv: importkitArgv,
        check: (r) => {
          checkResult("importkit", r, archive, isPyc);
          sameToc("importkit", r);
        },
      },
      log,
      (c, i) =>
        `TOC ${fixed(c.toc_cold_ns / 1e6)} / ${fixed(i.toc_cold_ns / 1e6)} ms; find+get_code warm ` +
        `${fixed(findGetCodeWarm(c) / 1000, 1)} / ${fixed(findGetCodeWarm(i) / 1000, 1)} µs/module`,
    );
    versions = { cpython: runs.cpython[0]!.interpreter.version ?? "?", node: process.version };
    const first = runs.importkit[0]!;
    const N = first.modules;
    const entries = first.toc_entries;

    // Opening and indexing the archive.
    const tocCold = figure(runs, (r) => r.toc_cold_ns);
    const tocReread = figure(runs, (r) => r.toc_reread_per_entry_ns.median);
    const tocRereadTotal = figure(runs, (r) => r.toc_reread_ns.median);
    const tocCached = figure(runs, (r) => r.toc_cached_ns.median);
    const tocProbe = figure(runs, (r) => r.toc_lookup_only_warm_per_module_ns.median);
    // The floor: a minimal hand-written table read, timed first thing in a fresh process (bench/w4-toc-floor.ts).
    const floorNs: number[] = [];
    for (let p = 0; p < pairs; p++) {
      const r = runJson<{ toc_cold_ns: number; toc_entries: number }>(
        replayCommand(tree, "w4-toc-floor.ts", [archive.zip]),
      );
      if (r.toc_entries !== entries) {
        throw new BenchError(`W4 ${archive.case}: the floor read ${r.toc_entries} entries, not ${entries}`);
      }
      floorNs.push(r.toc_cold_ns);
    }
    const tocFloor = compare(
      runs.cpython.map((r) => r.toc_cold_ns),
      floorNs,
    );
    humanLines.push(
      `W4 ${archive.case}: ${archive.zip} (${grouped(entries)} entries, ${N} modules, ${first.packages} packages); ` +
        `${pairs} pairs, ${sweeps} warm sweeps per process; µs, median over processes (min–max)`,
      ...table([
        ["figure", "CPython", "importkit", "CPython / importkit"],
        comparisonRow("TOC cold (first zipimporter in process), µs", tocCold),
        comparisonRow("  floor: minimal JS read, no yauzl, fresh process, µs", tocFloor),
        comparisonRow("TOC re-read (cache cleared), µs", tocRereadTotal),
        comparisonRow("TOC re-read, µs per entry", tocReread),
        comparisonRow("zipimporter with TOC cached, µs", tocCached),
        comparisonRow("TOC probe alone (_get_module_info), µs/module", tocProbe),
      ]),
    );
    const tocLine = {
      workload: "W4",
      case: `toc_${archive.case}`,
      archive: archive.zip.slice(archive.zip.lastIndexOf("/") + 1),
      entries,
      ratio: r3(tocCold.ratio),
      toc_cold: figureJson(tocCold),
      toc_reread_per_entry: figureJson(tocReread),
      toc_reread: figureJson(tocRereadTotal),
      toc_cached: figureJson(tocCached),
      toc_cold_floor: {
        ...figureJson(tocFloor),
        what: "bench/w4-toc-floor.ts: a minimal JS table read in a fresh process",
      },
      targets_met: { toc_cold_no_slower: tocCold.ratio >= 1, toc_reread_no_slower: tocReread.ratio >= 1 },
      pairs,
    };
    jsonLines.push(tocLine);
    targets.push(
      { label: `${archive.case}: TOC cold no slower`, met: tocCold.ratio >= 1 },
      { label: `${archive.case}: TOC re-read no slower`, met: tocReread.ratio >= 1 },
    );

    // find_spec + get_code per module.
    const refused = first.failed_modules ?? 0;
    const base = {
      workload: "W4",
      case: archive.case,
      archive: tocLine.archive,
      modules: N,
      packages: first.packages,
      zip_options: first.zip_options,
    };
    if (refused > 0) {
      const cWarm = oneSide(runs.cpython.map(findGetCodeWarm));
      const cCold = oneSide(runs.cpython.map(findGetCodeCold));
      const subset = first.compiled_subset;
      const subsetWarm = oneSide(
        runs.importkit.map(
          (r) =>
            (r.compiled_subset?.find_warm_per_module_ns.median ?? Number.NaN) +
            (r.compiled_subset?.get_code_warm_per_module_ns.median ?? Number.NaN),
        ),
      );
      const reason =
        `importkit compiles a .py member with its scenario executor, which runs a subset of Python: ` +
        `${refused} of ${N} pip modules are refused at compile time (find_spec already compiles, as in CPython)`;
      humanLines.push(
        ...table([
          ["find_spec + get_code per module", "CPython", "importkit", "CPython / importkit"],
          ["cold, µs/module", spread(cCold, 0), "not replayed", "n/a"],
          ["warm, µs/module", spread(cWarm, 0), "not replayed", "n/a"],
          [
            `importkit, the ${subset?.modules ?? 0} modules it compiles, warm`,
            "",
            spread(subsetWarm, 0),
            "not comparable",
          ],
        ]),
        `  NOT REPLAYED: ${reason}. Refusals by construct: ${Object.entries(first.failures_by_reason ?? {})
          .map(
            ([k, v]) =>
              `${k.replace(/^NotSupportedError: not supported by the scenario executor: /, "")} ${v}`,
          )
          .join(", ")}`,
      );
      jsonLines.push({
        ...base,
        replayed: false,
        ratio: null,
        not_replayed_reason: reason,
        failed_modules: refused,
        failures_by_reason: first.failures_by_reason,
        failure_sample: first.failure_sample,
        cpython_find_get_code_warm_us: round(cWarm),
        cpython_find_get_code_cold_us: round(cCold),
        importkit_compiled_subset: {
          modules: subset?.modules ?? 0,
          find_get_code_warm_us: round(subsetWarm),
          note: "importkit alone, on the modules it compiles: not comparable with CPython's figure over all",
        },
        pairs,
      });
      continue;
    }

    const warm = figure(runs, findGetCodeWarm);
    const cold = figure(runs, findGetCodeCold);
    const findWarm = figure(runs, (r) => r.find_warm_per_module_ns.median);
    const codeWarm = figure(runs, (r) => r.get_code_warm_per_module_ns.median);
    const findCold = figure(runs, (r) => r.find_cold_ns / r.modules);
    const codeCold = figure(runs, (r) => r.get_code_cold_ns / r.modules);
    const coldTotal = figure(runs, (r) => r.cold_total_ns / 1000);
    const pathFinder = figure(runs, (r) => r.pathfinder_find_warm_per_module_ns?.median ?? Number.NaN);
    const abSide = (r: W4Result, which: "default" | "cpython_options") => {
      const side = r.options_ab?.[which];
      return side
        ? side.find_warm_per_module_ns.median + side.get_code_warm_per_module_ns.median
        : Number.NaN;
    };
    const abDefault = compare(
      runs.cpython.map(findGetCodeWarm),
      runs.importkit.map((r) => abSide(r, "default")),
    );
    const abCpython = compare(
      runs.cpython.map(findGetCodeWarm),
      runs.importkit.map((r) => abSide(r, "cpython_options")),
    );
    const importOrder = compare(
      runs.cpython.map(findGetCodeWarm),
      runs.importkit.map((r) => r.import_order_warm_per_module_ns?.median ?? Number.NaN),
    );
    const limits = measureLimits(tree, archive, Math.min(pairs, LIMIT_PAIRS), log);
    humanLines.push(
      ...table([
        ["find_spec + get_code", "CPython", "importkit", "CPython / importkit"],
        comparisonRow("find + get_code warm, µs/module", warm),
        comparisonRow("find + get_code cold (first sweep), µs/module", cold),
        comparisonRow("  find_spec warm", findWarm),
        comparisonRow("  get_code warm", codeWarm),
        comparisonRow("  find_spec cold", findCold),
        comparisonRow("  get_code cold", codeCold),
        comparisonRow("cold total: TOC + find + get_code, ms", coldTotal),
        comparisonRow("PathFinder.find_spec via path hook, warm", pathFinder),
        comparisonRow("A/B in process: importkit default options, warm", abDefault),
        comparisonRow("A/B in process: importkit CPython's options (no CRC, no re-stat)", abCpython),
        comparisonRow("importkit in an import's order (find, get_code per module), warm", importOrder),
        ...limits.rows,
      ]),
    );
    jsonLines.push({
      ...base,
      replayed: true,
      ratio: r3(warm.ratio),
      find_get_code_warm: figureJson(warm),
      find_get_code_cold: figureJson(cold),
      find_warm: figureJson(findWarm),
      get_code_warm: figureJson(codeWarm),
      find_cold: figureJson(findCold),
      get_code_cold: figureJson(codeCold),
      cold_total_ms: figureJson(coldTotal),
      pathfinder_find_warm: figureJson(pathFinder),
      options_ab_default_find_get_code_warm: figureJson(abDefault),
      options_ab_cpython_options_find_get_code_warm: figureJson(abCpython),
      import_order_find_get_code_warm: figureJson(importOrder),
      limits: limits.json,
      targets_met: { faster_warm: warm.ratio > 1, faster_cold: cold.ratio > 1 },
      pairs,
    });
    targets.push(
      { label: `${archive.case}: find + get_code warm faster`, met: warm.ratio > 1 },
      { label: `${archive.case}: find + get_code cold faster`, met: cold.ratio > 1 },
    );
  }

  humanLines.push(
    `W4: CPython ${versions.cpython} (${tree.python} -I -S, zipimport) vs importkit (node ${versions.node}, ` +
      `zipPathHook/ZipImporter on NodeFileSystem, default zip options: CRC-32 checked, archive re-stat'ed per find)`,
    `  ratio = CPython time / importkit time: above 1 means importkit is faster. Targets (done-when):`,
    ...targets.map((t) => `    ${t.met ? "met    " : "NOT met"}  ${t.label}`),
    `  ${ratioText(1)} is parity; figures from one noisy shared VM, same run.`,
  );
  return { humanLines, jsonLines };
}
