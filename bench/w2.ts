/**
 * W2, negative lookups: CPython's anchors/w2_negative.py (which regenerates its names from the W1 list and
 * the seed) and importkit's bench/w2-replay.ts (reading the same names from w2_names.json), alternately in
 * fresh processes; importkit's file-system calls from an untimed counting pass; syscalls from strace.
 */
import { BenchError } from "./bench-error.js";
import { anchorCommand, replayCommand } from "./commands.js";
import { ensureNameFiles, readW2Names, w1NamesFile, w2NamesFile } from "./name-files.js";
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
import { ANCHORS_W2, w2SyscallsByPhase } from "./syscall-figures.js";
import { kinds, verdict } from "./w1.js";

const MODES = ["top", "sub"] as const;
type Mode = (typeof MODES)[number];

interface W2Mode {
  unexpectedly_found: number;
  per_lookup_ns: Stats;
}

type W2Result = { interpreter: { version?: string }; count: number } & Record<Mode, W2Mode>;

type W2Counts = Record<
  Mode,
  { unexpectedly_found: number; fs_calls: Record<string, number> & { total: number } }
>;

export function runW2(options: BenchOptions): WorkloadReport {
  const { log } = options;
  const tree = pythonTree(options.python);
  ensureNameFiles(tree, log, options.regenerateNames);
  const names = readW2Names(w2NamesFile, tree.entries);
  const count = names.top.length;
  if (names.sub.length !== count)
    throw new BenchError(`${w2NamesFile}: ${count} top names but ${names.sub.length} sub`);
  const cpython: CommandWith = (extra) =>
    anchorCommand(tree, "w2_negative.py", [
      "--count",
      String(count),
      ...extra,
      "--names-in",
      w1NamesFile,
      ...tree.entries,
    ]);
  const importkit: CommandWith = (extra) =>
    replayCommand(tree, "w2-replay.ts", [...extra, "--names-in", w2NamesFile, ...tree.entries]);

  log(
    `W2: ${grouped(count)} + ${grouped(count)} negative names; counting importkit's file-system calls (untimed) ...`,
  );
  const counted = runJson<W2Counts>(importkit(["--count-fs"]));
  for (const mode of MODES)
    checkNothingFound("importkit (counting pass)", mode, counted[mode].unexpectedly_found);
  const measureSyscalls = options.strace && straceAvailable();
  if (options.strace && !measureSyscalls)
    log("W2: strace not found: CPython's syscalls come from ANCHORS.md");
  if (measureSyscalls) log("W2: counting syscalls with strace (untimed) ...");
  const cpythonSyscalls = measureSyscalls ? w2SyscallsByPhase(cpython, count) : ANCHORS_W2;
  const importkitSyscalls = measureSyscalls ? w2SyscallsByPhase(importkit, count) : null;

  log(`W2: ${options.pairs} pairs, CPython then importkit, fresh processes ...`);
  const check = (side: string) => (r: W2Result) => {
    for (const mode of MODES) checkNothingFound(side, mode, r[mode].unexpectedly_found);
    if (r.count !== count)
      throw new BenchError(`W2: ${side} looked up ${r.count} names per mode, not ${count}`);
  };
  const runs = runPairs<W2Result, W2Result>(
    options.pairs,
    { label: "CPython", argv: cpython([]), check: check("CPython") },
    { label: "importkit", argv: importkit([]), check: check("importkit") },
    log,
    (c, i) =>
      MODES.map(
        (m) =>
          `${m} CPython ${fixed(c[m].per_lookup_ns.median / 1000)} µs, importkit ${fixed(i[m].per_lookup_ns.median / 1000)} µs`,
      ).join("; "),
  );
  const timed: Record<Mode, Comparison> = {
    top: compare(
      runs.cpython.map((r) => r.top.per_lookup_ns.median),
      runs.importkit.map((r) => r.top.per_lookup_ns.median),
    ),
    sub: compare(
      runs.cpython.map((r) => r.sub.per_lookup_ns.median),
      runs.importkit.map((r) => r.sub.per_lookup_ns.median),
    ),
  };
  const fsPerLookup = (mode: Mode) => r3(counted[mode].fs_calls.total / count);
  const fsByKind = (mode: Mode) => {
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(counted[mode].fs_calls))
      if (k !== "total" && v) out[k] = r3(v / count);
    return out;
  };
  const label: Record<Mode, string> = {
    top: `top-level (${tree.entries.length} path entries), warm`,
    sub: "submodule (parent path given), warm",
  };
  const humanLines = [
    `W2 negative lookups: ${grouped(count)} missing top-level names and ${grouped(count)} missing submodules ` +
      `(seed 12345), sys.path = ${tree.entries.join(" ")}`,
    `  CPython ${runs.cpython[0]!.interpreter.version} vs importkit (node ${process.version}); ${options.pairs} pairs ` +
      `of fresh processes; nothing found on either side`,
    ...table([
      ["µs per lookup, median (min–max)", "CPython", "importkit", "CPython / importkit"],
      ...MODES.map((m) => comparisonRow(label[m], timed[m])),
    ]),
    ...table([
      ["calls per lookup", "CPython syscalls", "importkit fs calls", "importkit syscalls"],
      ...MODES.map((m) => [
        m,
        `${fixed(cpythonSyscalls[m].perLookup, 3)} ${kinds(cpythonSyscalls[m].byKind)}`,
        `${fixed(fsPerLookup(m), 3)} ${kinds(fsByKind(m))}`,
        importkitSyscalls
          ? `${fixed(importkitSyscalls[m].perLookup, 3)} ${kinds(importkitSyscalls[m].byKind)}`
          : "n/a",
      ]),
      ["source", cpythonSyscalls.top.source, "CountingFileSystem", importkitSyscalls?.top.source ?? "n/a"],
    ]),
    `  ${MODES.map((m) => `${m}: ${ratioText(timed[m].ratio)} faster, fs calls ≤ CPython syscalls ${verdict(fsPerLookup(m) <= cpythonSyscalls[m].perLookup)}`).join("; ")}`,
  ];
  const jsonLines = MODES.map((mode) => ({
    workload: "W2",
    sweep: mode,
    ...comparisonJson(timed[mode]),
    importkit_fs_calls_per_lookup: fsPerLookup(mode),
    cpython_syscalls_per_lookup: cpythonSyscalls[mode].perLookup,
    cpython_syscalls_source: cpythonSyscalls[mode].source,
    cpython_syscalls_by_kind: cpythonSyscalls[mode].byKind,
    importkit_fs_calls_by_kind: fsByKind(mode),
    importkit_syscalls_per_lookup: importkitSyscalls?.[mode].perLookup ?? null,
    importkit_syscalls_by_kind: importkitSyscalls?.[mode].byKind ?? null,
    names: count,
    pairs: options.pairs,
    cpython_version: runs.cpython[0]!.interpreter.version,
    node_version: process.version,
  }));
  return { humanLines, jsonLines };
}

function checkNothingFound(side: string, mode: Mode, found: number): void {
  if (found !== 0)
    throw new BenchError(`W2: ${side} found ${found} of the ${mode} names that should be missing`);
}
