/**
 * W1, the find_spec sweep: CPython's anchors/w1_find_spec.py and importkit's bench/w1-replay.ts on the same
 * name file and entries, alternately in fresh processes; importkit's file-system calls from an untimed
 * counting pass; syscalls from strace (or ANCHORS.md).
 */
import { BenchError } from "./bench-error.js";
import { anchorCommand, replayCommand } from "./commands.js";
import { ensureNameFiles, readW1Names, w1NamesFile } from "./name-files.js";
import type { BenchOptions } from "./options.js";
import type { Comparison } from "./paired-runs.js";
import { compare, runPairs } from "./paired-runs.js";
import { runJson } from "./processes.js";
import { pythonTree } from "./python-tree.js";
import type { WorkloadReport } from "./report.js";
import { comparisonJson, comparisonRow, fixed, grouped, r3, ratioText, table } from "./report.js";
import type { Stats } from "./stats.js";
import { straceAvailable } from "./strace.js";
import type { CommandWith } from "./syscall-figures.js";
import { ANCHORS_W1, w1SyscallsByDifference } from "./syscall-figures.js";

/** The keys both W1 processes print (ns). */
interface W1Result {
  interpreter: { version?: string; node?: string };
  names: number;
  found: number;
  not_found: number;
  not_found_sample: string[];
  found_by_loader: Record<string, number>;
  cold_per_lookup_ns: number;
  warm_per_lookup_ns: Stats;
  warm_top_level_per_lookup_ns: Stats;
  warm_submodule_per_lookup_ns: Stats;
  recold_inprocess_per_lookup_ns: Stats;
  /** importkit only (--fresh-cold) */
  fresh_resolver_cold_per_lookup_ns?: Stats | null;
}

type CallCounts = Record<string, number> & { total: number };

interface W1Counts {
  fs_calls: Record<"cold" | "warm" | "warm_top_level" | "warm_submodule" | "recold_inprocess", CallCounts>;
}

const SWEEPS = ["cold", "warm"] as const;
/** Extra cold sweeps on fresh resolvers in each importkit process: the model's cold work with V8 warm. */
const FRESH_COLD_SWEEPS = 3;
type Sweep = (typeof SWEEPS)[number];

export function runW1(options: BenchOptions): WorkloadReport {
  const { log } = options;
  const tree = pythonTree(options.python);
  ensureNameFiles(tree, log, options.regenerateNames);
  const names = readW1Names(w1NamesFile, tree.entries);
  const N = names.lookups.length;
  const cpython: CommandWith = (extra) =>
    anchorCommand(tree, "w1_find_spec.py", [...extra, "--names-in", w1NamesFile, ...tree.entries]);
  const importkit: CommandWith = (extra) =>
    replayCommand(tree, "w1-replay.ts", [...extra, "--names-in", w1NamesFile, ...tree.entries]);

  log(`W1: ${grouped(N)} names of ${tree.stdlib}; counting importkit's file-system calls (untimed) ...`);
  const counted = runJson<W1Counts>(importkit(["--count-fs"])).fs_calls;
  const measureSyscalls = options.strace && straceAvailable();
  if (options.strace && !measureSyscalls)
    log("W1: strace not found: CPython's syscalls come from ANCHORS.md");
  log(measureSyscalls ? "W1: counting syscalls with strace (untimed) ..." : "W1: syscalls not measured");
  const cpythonSyscalls = measureSyscalls ? w1SyscallsByDifference(cpython, N) : ANCHORS_W1;
  const importkitSyscalls = measureSyscalls ? w1SyscallsByDifference(importkit, N) : null;

  log(`W1: ${options.pairs} pairs, CPython then importkit, fresh processes ...`);
  let lastCpython: W1Result | null = null;
  const runs = runPairs<W1Result, W1Result>(
    options.pairs,
    {
      label: "CPython",
      argv: cpython([]),
      check: (r) => {
        checkFound("CPython", r, N, null);
        lastCpython = r;
      },
    },
    {
      label: "importkit",
      argv: importkit(["--fresh-cold", String(FRESH_COLD_SWEEPS)]),
      check: (r) => checkFound("importkit", r, N, lastCpython),
    },
    log,
    (c, i) =>
      `warm CPython ${fixed(c.warm_per_lookup_ns.median / 1000)} µs, importkit ${fixed(i.warm_per_lookup_ns.median / 1000)} µs`,
  );
  const figure = (pick: (r: W1Result) => number): Comparison =>
    compare(runs.cpython.map(pick), runs.importkit.map(pick));
  const timed = {
    cold: figure((r) => r.cold_per_lookup_ns),
    warm: figure((r) => r.warm_per_lookup_ns.median),
    top: figure((r) => r.warm_top_level_per_lookup_ns.median),
    sub: figure((r) => r.warm_submodule_per_lookup_ns.median),
    recold: figure((r) => r.recold_inprocess_per_lookup_ns.median),
    // Both list every directory again, in a warm process: CPython's new FileFinders, importkit's fresh resolver.
    relisting: compare(
      runs.cpython.map((r) => r.recold_inprocess_per_lookup_ns.median),
      runs.importkit.map((r) => r.fresh_resolver_cold_per_lookup_ns?.median ?? Number.NaN),
    ),
  };

  const fsPerLookup = (sweep: Sweep) => r3(counted[sweep].total / N);
  const targets = {
    warm: timed.warm.ratio >= 3,
    cold: timed.cold.ratio >= 1,
    fsCold: fsPerLookup("cold") <= cpythonSyscalls.cold.perLookup,
    fsWarm: fsPerLookup("warm") <= cpythonSyscalls.warm.perLookup,
  };
  const first = runs.cpython[0]!;
  const top = names.lookups.filter((l) => l[1] === null).length;
  const humanLines = [
    `W1 find_spec sweep: ${grouped(N)} names (${grouped(top)} top-level, ${grouped(N - top)} submodules), ` +
      `sys.path = ${tree.entries.join(" ")}`,
    `  CPython ${first.interpreter.version} (${tree.python} -I -S) vs importkit (node ${process.version}, ` +
      `profile ${tree.profile}); ${options.pairs} pairs of fresh processes, A B A B …; all names found on both sides`,
    ...table([
      ["µs per lookup, median (min–max)", "CPython", "importkit", "CPython / importkit"],
      comparisonRow("cold (sweep 1, fresh process)", timed.cold),
      comparisonRow("warm (sweeps 2–6)", timed.warm),
      comparisonRow("warm, top-level names only", timed.top),
      comparisonRow("warm, submodules only", timed.sub),
      comparisonRow("finder-cold in process", timed.recold),
      comparisonRow("listing again in process (importkit: fresh resolver)", timed.relisting),
    ]),
    ...table([
      ["calls per lookup", "CPython syscalls", "importkit fs calls", "importkit syscalls"],
      ...SWEEPS.map((s) => [
        s,
        `${fixed(cpythonSyscalls[s].perLookup, 3)} ${kinds(cpythonSyscalls[s].byKind)}`,
        `${fixed(fsPerLookup(s), 3)} ${kinds(perLookup(counted[s], N))}`,
        importkitSyscalls
          ? `${fixed(importkitSyscalls[s].perLookup, 3)} ${kinds(importkitSyscalls[s].byKind)}`
          : "n/a",
      ]),
      ["source", cpythonSyscalls.cold.source, "CountingFileSystem", importkitSyscalls?.cold.source ?? "n/a"],
    ]),
    `  targets: warm ≥ 3× CPython: ${verdict(targets.warm)} (${ratioText(timed.warm.ratio)}); ` +
      `cold no slower: ${verdict(targets.cold)} (${ratioText(timed.cold.ratio)}); ` +
      `fs calls ≤ CPython syscalls: cold ${verdict(targets.fsCold)}, warm ${verdict(targets.fsWarm)}`,
  ];
  const jsonLines = SWEEPS.map((sweep) => ({
    workload: "W1",
    sweep,
    ...comparisonJson(timed[sweep]),
    importkit_fs_calls_per_lookup: fsPerLookup(sweep),
    cpython_syscalls_per_lookup: cpythonSyscalls[sweep].perLookup,
    cpython_syscalls_source: cpythonSyscalls[sweep].source,
    cpython_syscalls_by_kind: cpythonSyscalls[sweep].byKind,
    importkit_fs_calls_by_kind: perLookup(counted[sweep], N),
    importkit_syscalls_per_lookup: importkitSyscalls?.[sweep].perLookup ?? null,
    importkit_syscalls_by_kind: importkitSyscalls?.[sweep].byKind ?? null,
    targets_met: {
      speed: sweep === "warm" ? targets.warm : targets.cold,
      fs_calls: sweep === "warm" ? targets.fsWarm : targets.fsCold,
    },
    ...(sweep === "warm"
      ? {
          split: {
            top_level: comparisonJson(timed.top),
            submodule: comparisonJson(timed.sub),
            recold_inprocess: comparisonJson(timed.recold),
            relisting_in_process: comparisonJson(timed.relisting),
          },
        }
      : {}),
    names: N,
    pairs: options.pairs,
    cpython_version: first.interpreter.version,
    node_version: process.version,
  }));
  return { humanLines, jsonLines };
}

/** Every name must be found, by the same loader classes on both sides, before any timing is believed. */
function checkFound(side: string, r: W1Result, expected: number, cpython: W1Result | null): void {
  if (r.found !== expected || r.not_found !== 0) {
    throw new BenchError(
      `W1: ${side} found ${r.found} of ${expected} names (not found: ${r.not_found_sample.slice(0, 10).join(", ")}); ` +
        `the timing would mean nothing. If the tree changed, rerun with --regen-names.`,
    );
  }
  if (cpython !== null && side !== "CPython" && !sameCounts(r.found_by_loader, cpython.found_by_loader)) {
    throw new BenchError(
      `W1: loaders differ: CPython ${JSON.stringify(cpython.found_by_loader)}, importkit ${JSON.stringify(r.found_by_loader)}`,
    );
  }
}

function sameCounts(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => a[k] === b[k]);
}

function perLookup(counts: Record<string, number>, n: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(counts)) if (k !== "total" && v !== 0) out[k] = r3(v / n);
  return out;
}

/** "(stat 1.2, readdir 0.11)" */
export function kinds(byKind: Record<string, number>): string {
  const parts = Object.entries(byKind)
    .filter(([, v]) => v !== 0)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${fixed(v, 3)}`);
  return parts.length ? `(${parts.join(", ")})` : "";
}

export function verdict(met: boolean): string {
  return met ? "met" : "MISSED";
}
