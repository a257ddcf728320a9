/**
 * The snapshot workload: start-up of a generated application (bench/snapshot-app.ts: 300 modules in nested
 * packages, sizes drawn from CPython 3.11's standard library) through importkit's path importer and through
 * a snapshot of it, in the same run.
 *
 * 1. Generate the app into bench/build/snapshot-app; freeze `app` once (bench/snapshot-replay.ts --freeze)
 *    into bench/build/app.snapshot; write CPython's pycs once into a separate cache (`-X pycache_prefix`,
 *    so the app's tree never holds a `__pycache__` the path importer could find).
 * 2. Cold, `--pairs` rounds, each side a fresh process, alternately: importkit's path importer, importkit
 *    with the snapshot plugin, CPython compiling the sources (`-B`, no pycs anywhere), CPython from its pycs.
 * 3. Warm, one importkit process: fresh systems per round, path and snapshot alternately, after warm-up rounds.
 *
 * `ratio` = path time / snapshot time: above 1 means the snapshot starts faster (the issue's target: ≥ 5 cold).
 */
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { BenchError } from "./bench-error.js";
import type { BenchOptions } from "./options.js";
import { runJson } from "./processes.js";
import { pythonTree } from "./python-tree.js";
import { benchScript, buildDir } from "./repo-paths.js";
import type { WorkloadReport } from "./report.js";
import { fixed, grouped, r3, r3Stats, ratioText, spread, table } from "./report.js";
import type { GeneratedApp } from "./snapshot-app.js";
import { DEFAULT_APP_DIR, generateApp, sizeQuantiles, writeApp } from "./snapshot-app.js";
import type { ColdResult, FreezeReport, Importer, StartupResult, WarmResult } from "./snapshot-replay.js";
import { summarize } from "./stats.js";

const SNAPSHOT_FILE = join(buildDir, "app.snapshot");
const PYCACHE_PREFIX = join(buildDir, "snapshot-pycache");
const WARMUP_ROUNDS = 3;
const WARM_ROUNDS = 7;
/** The issue's target for the cold start-up. */
const TARGET_COLD_RATIO = 5;

interface CPythonResult {
  readonly version: string;
  readonly ns: number;
  readonly modules: number;
  readonly maxrss_kb: number;
}

/** CPython's side: `import ENTRY` with the app first on sys.path, timed in the process; new modules counted. */
const CPYTHON_IMPORT = [
  "import json, resource, sys, time",
  "d, entry = sys.argv[1], sys.argv[2]",
  "sys.path.insert(0, d)",
  "before = set(sys.modules)",
  "t0 = time.perf_counter_ns()",
  "__import__(entry)",
  "ns = time.perf_counter_ns() - t0",
  "new = [m for m in sys.modules if m not in before]",
  "print(json.dumps({'version': sys.version.split()[0], 'ns': ns, 'modules': len(new),",
  "  'maxrss_kb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))",
].join("\n");

function replayCommand(profile: string, args: readonly string[]): string[] {
  return [
    process.execPath,
    "--expose-gc",
    "--import",
    "tsx",
    benchScript("snapshot-replay.ts"),
    "--profile",
    profile,
    ...args,
  ];
}

function cpythonCommand(python: string, flags: readonly string[], dir: string, entry: string): string[] {
  return [python, "-I", "-S", ...flags, "-c", CPYTHON_IMPORT, dir, entry];
}

/** The counts a start-up must show for its time to be the `importer`'s. */
function checkStartup(
  label: string,
  importer: Importer,
  r: Pick<StartupResult, "modules" | "from_snapshot">,
  app: GeneratedApp,
): void {
  const want = app.modules.length;
  if (r.modules !== want) {
    throw new BenchError(`snapshot workload, ${label}: imported ${r.modules} modules, the app has ${want}`);
  }
  const wantFromSnapshot = importer === "snapshot" ? want : 0;
  if (r.from_snapshot !== wantFromSnapshot) {
    throw new BenchError(
      `snapshot workload, ${label}: ${r.from_snapshot} of ${want} modules came from the snapshot ` +
        `(expected ${wantFromSnapshot}): the measurement would not be of the ${importer} importer`,
    );
  }
}

function checkCPython(label: string, r: CPythonResult, app: GeneratedApp): void {
  if (r.modules !== app.modules.length) {
    throw new BenchError(
      `snapshot workload, ${label}: imported ${r.modules} modules, the app has ${app.modules.length}`,
    );
  }
}

/** Cold rounds of both importkit sides, in ms: each side's spread, the ratio of medians, per-round ratios. */
function pairedMs(path: readonly number[], snapshot: readonly number[]) {
  const pathMs = summarize(path);
  const snapshotMs = summarize(snapshot);
  return {
    pathMs,
    snapshotMs,
    ratio: pathMs.median / snapshotMs.median,
    pairRatio: summarize(path.map((p, k) => p / snapshot[k]!)),
  };
}

const median = (xs: readonly number[]) => summarize(xs).median;

function byKind(calls: Record<string, number>): string {
  return Object.entries(calls)
    .filter(([k, v]) => k !== "total" && v > 0)
    .map(([k, v]) => `${k} ${grouped(v)}`)
    .join(", ");
}

export function runSnapshot(options: BenchOptions): WorkloadReport {
  const { log, pairs } = options;
  const tree = pythonTree(options.python);
  const dir = DEFAULT_APP_DIR;

  // 1. The app, its snapshot, CPython's pycs.
  const app = generateApp();
  writeApp(app, dir);
  const entry = app.entry;
  const q = sizeQuantiles(app, [0.1, 0.5, 0.9, 1]);
  log(
    `snapshot: generated ${app.modules.length} modules (${app.packages} packages, ${grouped(app.totalBytes)} bytes; ` +
      `sizes p10 ${q[0]![1]}, median ${q[1]![1]}, p90 ${q[2]![1]}, max ${q[3]![1]}) in ${dir}`,
  );
  rmSync(SNAPSHOT_FILE, { force: true });
  const frozen = runJson<FreezeReport>(
    replayCommand(tree.profile, ["--freeze", "--out", SNAPSHOT_FILE, dir, entry]),
  );
  if (frozen.frozen !== app.modules.length || !existsSync(SNAPSHOT_FILE)) {
    throw new BenchError(
      `snapshot workload: freeze froze ${frozen.frozen} of ${app.modules.length} modules; left to the path: ` +
        frozen.left_to_path.map((l) => `${l.name} (${l.reason})`).join(", "),
    );
  }
  log(
    `snapshot: froze ${frozen.frozen} modules into ${SNAPSHOT_FILE} (${grouped(frozen.snapshot_bytes)} bytes, ` +
      `${fixed(frozen.freeze_ms, 0)} ms)`,
  );
  rmSync(PYCACHE_PREFIX, { recursive: true, force: true });
  const pycFlags = ["-X", `pycache_prefix=${PYCACHE_PREFIX}`];
  const writePycs = runJson<CPythonResult>(cpythonCommand(tree.python, pycFlags, dir, entry));
  checkCPython("CPython writing its pycs", writePycs, app);
  if (existsSync(join(dir, "app", "__pycache__"))) {
    throw new BenchError(
      `snapshot workload: CPython wrote a __pycache__ into ${dir}; pycache_prefix was ignored`,
    );
  }

  // 2. Cold: four fresh processes per round.
  const sides = {
    path: replayCommand(tree.profile, ["--cold", "path", dir, entry]),
    snapshot: replayCommand(tree.profile, ["--cold", "snapshot", "--snapshot", SNAPSHOT_FILE, dir, entry]),
    cpythonSource: cpythonCommand(tree.python, ["-B"], dir, entry),
    cpythonPyc: cpythonCommand(tree.python, pycFlags, dir, entry),
  };
  log(
    `snapshot: ${pairs} cold rounds, fresh processes in turn: importkit path, importkit snapshot, ` +
      `CPython from source (-B), CPython from pycs ...`,
  );
  const cold: Record<Importer, ColdResult[]> = { path: [], snapshot: [] };
  const cpySource: CPythonResult[] = [];
  const cpyPyc: CPythonResult[] = [];
  for (let p = 0; p < pairs; p++) {
    for (const importer of ["path", "snapshot"] as const) {
      const r = runJson<ColdResult>(sides[importer]);
      checkStartup(`cold ${importer}`, importer, r, app);
      cold[importer].push(r);
    }
    const s = runJson<CPythonResult>(sides.cpythonSource);
    checkCPython("CPython from source", s, app);
    cpySource.push(s);
    const c = runJson<CPythonResult>(sides.cpythonPyc);
    checkCPython("CPython from pycs", c, app);
    cpyPyc.push(c);
    log(
      `  round ${p + 1}/${pairs}: path ${fixed(cold.path[p]!.ms, 1)} ms, snapshot ${fixed(cold.snapshot[p]!.ms, 1)} ms, ` +
        `CPython ${fixed(s.ns / 1e6, 1)} ms source / ${fixed(c.ns / 1e6, 1)} ms pyc`,
    );
  }

  // 3. Warm: one process.
  log(
    `snapshot: warm, one process, ${WARMUP_ROUNDS} warm-up + ${WARM_ROUNDS} rounds of path and snapshot ...`,
  );
  const warm = runJson<WarmResult>(
    replayCommand(tree.profile, [
      "--warm",
      "--snapshot",
      SNAPSHOT_FILE,
      "--warmup",
      String(WARMUP_ROUNDS),
      "--rounds",
      String(WARM_ROUNDS),
      dir,
      entry,
    ]),
  );
  for (const importer of ["path", "snapshot"] as const)
    checkStartup(`warm ${importer}`, importer, warm[importer], app);

  // Figures.
  const coldTime = pairedMs(
    cold.path.map((r) => r.ms),
    cold.snapshot.map((r) => r.ms),
  );
  const cpySourceMs = summarize(cpySource.map((r) => r.ns / 1e6));
  const cpyPycMs = summarize(cpyPyc.map((r) => r.ns / 1e6));
  const { pathMs: coldPathMs, snapshotMs: coldSnapMs } = coldTime;
  const first = { path: cold.path[0]!, snapshot: cold.snapshot[0]! };
  const coldSides = (key: "heap_kb" | "heap_alloc_kb" | "rss_kb") => ({
    path: summarize(cold.path.map((r) => r[key])),
    snapshot: summarize(cold.snapshot.map((r) => r[key])),
  });
  const coldHeap = coldSides("heap_kb");
  const coldAlloc = coldSides("heap_alloc_kb");
  const coldRss = coldSides("rss_kb");
  const warmRatio = warm.path.ms.median / warm.snapshot.ms.median;
  const N = app.modules.length;
  const version = cpySource[0]!.version;

  const humanLines = [
    `snapshot: start-up of a generated app of ${N} modules (${app.packages} packages, ${grouped(app.totalBytes)} bytes ` +
      `of Python, sizes from CPython 3.11's stdlib), \`import ${entry}\` with sys.path = [${dir}]; ` +
      `snapshot ${grouped(frozen.snapshot_bytes)} bytes`,
    `  cold: ${pairs} fresh processes per side; warm: one process, ${WARM_ROUNDS} rounds after ${WARMUP_ROUNDS} ` +
      `warm-up, a fresh ImportSystem per round; ms, median (min–max)`,
    ...table([
      ["", "path importer", "snapshot", "path / snapshot"],
      [
        "cold start-up, ms",
        spread(coldPathMs, 1),
        spread(coldSnapMs, 1),
        `${ratioText(coldTime.ratio)} (pairs ${spread(coldTime.pairRatio)})`,
      ],
      ["warm start-up, ms", spread(warm.path.ms, 1), spread(warm.snapshot.ms, 1), ratioText(warmRatio)],
      [
        "fs calls (cold)",
        `${grouped(first.path.fs_calls.total ?? 0)} (${byKind(first.path.fs_calls)})`,
        `${grouped(first.snapshot.fs_calls.total ?? 0)} (${byKind(first.snapshot.fs_calls)})`,
        "",
      ],
      ["bytes read (cold)", grouped(first.path.bytes_read), grouped(first.snapshot.bytes_read), ""],
      ["heap retained after GC, KB (cold)", spread(coldHeap.path, 0), spread(coldHeap.snapshot, 0), ""],
      [
        "heap allocated during start-up, KB (cold)",
        spread(coldAlloc.path, 0),
        spread(coldAlloc.snapshot, 0),
        "",
      ],
      ["process RSS at the end, KB (cold)", spread(coldRss.path, 0), spread(coldRss.snapshot, 0), ""],
    ]),
    `  CPython ${version} (${tree.python} -I -S), same app, fresh processes: from source (-B, no pycs) ` +
      `${spread(cpySourceMs, 1)} ms; from pycs (-X pycache_prefix) ${spread(cpyPycMs, 1)} ms ` +
      `(maxrss ${grouped(median(cpySource.map((r) => r.maxrss_kb)))} / ${grouped(median(cpyPyc.map((r) => r.maxrss_kb)))} KB)`,
    `  freeze: ${fixed(frozen.freeze_ms, 0)} ms, ${frozen.frozen} modules frozen, ${frozen.left_to_path.length} left to the path` +
      (frozen.left_to_path.length > 0
        ? ` (${frozen.left_to_path.map((l) => `${l.name}: ${l.reason}`).join("; ")})`
        : ""),
    `  target: cold ratio ≥ ${TARGET_COLD_RATIO}: ${coldTime.ratio >= TARGET_COLD_RATIO ? "met" : "NOT met"} ` +
      `(${ratioText(coldTime.ratio)}); figures from one noisy shared VM, same run.`,
  ];

  const base = {
    workload: "snapshot",
    modules: N,
    packages: app.packages,
    source_bytes: app.totalBytes,
    snapshot_bytes: frozen.snapshot_bytes,
    seed: app.seed,
  };
  const jsonLines: Record<string, unknown>[] = [
    {
      ...base,
      mode: "cold",
      path_ms: r3(coldPathMs.median),
      snapshot_ms: r3(coldSnapMs.median),
      ratio: r3(coldTime.ratio),
      path_ms_stats: r3Stats(coldPathMs),
      snapshot_ms_stats: r3Stats(coldSnapMs),
      pair_ratio_stats: r3Stats(coldTime.pairRatio),
      path_reads: first.path.fs_calls.total,
      snapshot_reads: first.snapshot.fs_calls.total,
      path_fs_calls: first.path.fs_calls,
      snapshot_fs_calls: first.snapshot.fs_calls,
      path_bytes_read: first.path.bytes_read,
      snapshot_bytes_read: first.snapshot.bytes_read,
      path_heap_kb: coldHeap.path.median,
      snapshot_heap_kb: coldHeap.snapshot.median,
      path_heap_alloc_kb: coldAlloc.path.median,
      snapshot_heap_alloc_kb: coldAlloc.snapshot.median,
      path_rss_kb: coldRss.path.median,
      snapshot_rss_kb: coldRss.snapshot.median,
      cpython_ms: r3(cpySourceMs.median),
      cpython_ms_stats: r3Stats(cpySourceMs),
      cpython_pyc_ms: r3(cpyPycMs.median),
      cpython_pyc_ms_stats: r3Stats(cpyPycMs),
      cpython_version: version,
      cpython_maxrss_kb: median(cpySource.map((r) => r.maxrss_kb)),
      cpython_pyc_maxrss_kb: median(cpyPyc.map((r) => r.maxrss_kb)),
      freeze_ms: r3(frozen.freeze_ms),
      target_ratio: TARGET_COLD_RATIO,
      target_met: coldTime.ratio >= TARGET_COLD_RATIO,
      pairs,
    },
    {
      ...base,
      mode: "warm",
      path_ms: r3(warm.path.ms.median),
      snapshot_ms: r3(warm.snapshot.ms.median),
      ratio: r3(warmRatio),
      path_ms_stats: r3Stats(warm.path.ms),
      snapshot_ms_stats: r3Stats(warm.snapshot.ms),
      path_reads: warm.path.fs_calls.total,
      snapshot_reads: warm.snapshot.fs_calls.total,
      path_fs_calls: warm.path.fs_calls,
      snapshot_fs_calls: warm.snapshot.fs_calls,
      path_bytes_read: warm.path.bytes_read,
      snapshot_bytes_read: warm.snapshot.bytes_read,
      warmup_rounds: warm.warmup,
      rounds: warm.rounds,
      pairs: 1,
    },
  ];
  return { humanLines, jsonLines };
}
