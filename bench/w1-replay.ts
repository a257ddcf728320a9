/**
 * importkit's side of W1, in its own fresh process: anchors/w1_find_spec.py's lookups, on the same name file,
 * entries and order, through importkit's path importer on the real disk. Prints the same keys (ns).
 *
 *   sweep 1 cold (no finders yet), sweeps 2..N warm; 5 sweeps of the top-level names, 5 of the submodules;
 *   then --recold times: clear the path-importer cache and sweep everything (finder-cold in process);
 *   then --fresh-cold times (default 0): a cold sweep on a fresh resolver (no finders, no listings, V8 warm).
 *
 * --count-fs replaces the timing by one counted (untimed) pass of each phase through CountingFileSystem.
 */
import type { ModuleSpec } from "../src/core/spec.js";
import { findSpecSync } from "../src/resolve/resolver.js";
import { MemoStatFileSystem } from "./memo-stat-fs.js";
import type { Lookup } from "./name-files.js";
import { readW1Names } from "./name-files.js";
import type { ReplayArgs } from "./replay-support.js";
import {
  countingDisk,
  mark,
  newResolver,
  parseReplayArgs,
  realDisk,
  replayInterpreter,
  takeCounts,
  timedSweep,
} from "./replay-support.js";
import { summarize } from "./stats.js";

const USAGE =
  "usage: node --import tsx bench/w1-replay.ts [--sweeps N] [--recold R] [--fresh-cold F] [--profile P] [--no-sweep] [--mark] " +
  "[--count-fs] [--memo-stat] --names-in W1_NAMES.json ENTRY...";
const SPLIT_SWEEPS = 5;

function main(): void {
  const args = parseReplayArgs(process.argv.slice(2), USAGE);
  const names = readW1Names(args.namesIn, args.entries);
  const lookups = names.lookups;
  const top = lookups.filter((l) => l[1] === null);
  const sub = lookups.filter((l) => l[1] !== null);
  const base = {
    workload: "W1 find_spec sweep",
    interpreter: replayInterpreter(args.profile),
    entries: args.entries,
    names: lookups.length,
    top_level_names: top.length,
    submodule_names: sub.length,
  };
  const result = args.countFs ? countCalls(args, lookups, top, sub) : time(args, lookups, top, sub);
  console.log(JSON.stringify({ ...base, ...result }));
}

function time(args: ReplayArgs, lookups: readonly Lookup[], top: readonly Lookup[], sub: readonly Lookup[]) {
  const { resolver, system } = newResolver(realDisk(), args);
  if (args.noSweep) {
    mark(args.mark, "nosweep");
    return {};
  }
  const sweeps = args.sweeps ?? 6;
  const recold = args.recold ?? 3;
  const N = lookups.length;

  mark(args.mark, "sweep0-begin");
  const coldStart = process.hrtime.bigint();
  const specs = lookups.map((l) => findSpecSync(resolver, l[0], l[1]));
  const coldNs = Number(process.hrtime.bigint() - coldStart);
  mark(args.mark, "sweep0-end");
  const sweepNs = [coldNs];
  for (let s = 1; s < sweeps; s++) {
    mark(args.mark, `sweep${s}-begin`);
    sweepNs.push(timedSweep(resolver, lookups));
    mark(args.mark, `sweep${s}-end`);
  }
  const finders = system.pathImporterCache.size;

  const topNs: number[] = [];
  const subNs: number[] = [];
  if (sweeps > 1) {
    for (let r = 0; r < SPLIT_SWEEPS; r++) topNs.push(timedSweep(resolver, top));
    for (let r = 0; r < SPLIT_SWEEPS; r++) subNs.push(timedSweep(resolver, sub));
  }
  const recoldNs: number[] = [];
  for (let r = 0; r < recold; r++) {
    system.pathImporterCache.clear();
    mark(args.mark, `recold${r}-begin`);
    recoldNs.push(timedSweep(resolver, lookups));
    mark(args.mark, `recold${r}-end`);
  }

  // Cold again with V8 warm: a fresh resolver has no finders and no listings (the shared location cache
  // outlives the path-importer cache, so the recold sweeps above do not list again; CPython's do).
  const freshNs: number[] = [];
  for (let r = 0; r < args.freshCold; r++)
    freshNs.push(timedSweep(newResolver(realDisk(), args).resolver, lookups));

  // The anchor's --memo-stat: a second resolver over a stat-memoising disk, warmed, then 5 timed sweeps.
  const memoNs: number[] = [];
  if (args.memoStat) {
    const memo = newResolver(new MemoStatFileSystem(realDisk()), args).resolver;
    timedSweep(memo, lookups);
    for (let r = 0; r < 5; r++) memoNs.push(timedSweep(memo, lookups));
  }

  const warm = sweepNs.slice(1);
  return {
    ...foundSummary(lookups, specs),
    finders_created: finders,
    cold_sweep_ns: coldNs,
    cold_per_lookup_ns: coldNs / N,
    warm_sweep_ns: summarize(warm),
    warm_per_lookup_ns: summarize(warm.map((x) => x / N)),
    warm_top_level_per_lookup_ns: summarize(topNs.map((x) => x / Math.max(1, top.length))),
    warm_submodule_per_lookup_ns: summarize(subNs.map((x) => x / Math.max(1, sub.length))),
    recold_inprocess_sweep_ns: summarize(recoldNs),
    recold_inprocess_per_lookup_ns: summarize(recoldNs.map((x) => x / N)),
    all_sweeps_ns: sweepNs,
    fresh_resolver_cold_per_lookup_ns: freshNs.length ? summarize(freshNs.map((x) => x / N)) : null,
    warm_memo_stat_per_lookup_ns: memoNs.length ? summarize(memoNs.map((x) => x / N)) : null,
  };
}

/** The anchor's correctness keys: found / not found, and found by loader class. */
function foundSummary(lookups: readonly Lookup[], specs: readonly (ModuleSpec | null)[]) {
  let found = 0;
  const notFoundSample: string[] = [];
  const byLoader: Record<string, number> = {};
  specs.forEach((spec, i) => {
    if (spec === null) {
      if (notFoundSample.length < 50) notFoundSample.push(lookups[i]![0]);
      return;
    }
    found++;
    const kind = spec.loaderKind ?? "namespace";
    byLoader[kind] = (byLoader[kind] ?? 0) + 1;
  });
  return {
    found,
    not_found: specs.length - found,
    not_found_sample: notFoundSample,
    found_by_loader: byLoader,
  };
}

/** One untimed pass per phase through CountingFileSystem: calls by kind, totals (÷ names gives per lookup). */
function countCalls(
  args: ReplayArgs,
  lookups: readonly Lookup[],
  top: readonly Lookup[],
  sub: readonly Lookup[],
) {
  const fs = countingDisk();
  const { resolver, system } = newResolver(fs, args);
  fs.reset();
  const sweep = (list: readonly Lookup[]) => {
    for (const [name, parent] of list) findSpecSync(resolver, name, parent);
    return takeCounts(fs);
  };
  const cold = sweep(lookups);
  const warm = sweep(lookups);
  const warmTop = sweep(top);
  const warmSub = sweep(sub);
  system.pathImporterCache.clear();
  fs.reset();
  const recold = sweep(lookups);
  return {
    fs_calls: { cold, warm, warm_top_level: warmTop, warm_submodule: warmSub, recold_inprocess: recold },
  };
}

main();
