/**
 * What importkit's replay processes share: the anchors' command line, a resolver over the real disk (or a
 * counting wrapper of it), one timed sweep, and the strace phase markers.
 */
import { statSync } from "node:fs";
import { CountingFileSystem } from "../src/core/fs/counting-fs.js";
import type { FileSystem } from "../src/core/fs/file-system.js";
import { NodeFileSystem } from "../src/core/fs/node-fs.js";
import type { ImportSystem } from "../src/core/import-system.js";
import { createResolver } from "../src/resolve/create-resolver.js";
import type { Resolver } from "../src/resolve/resolver.js";
import { findSpecSync } from "../src/resolve/resolver.js";
import type { Lookup } from "./name-files.js";

export interface ReplayArgs {
  readonly namesIn: string;
  readonly entries: readonly string[];
  readonly profile: string;
  /** W1: total sweeps including the cold one; W2: timed sweeps per mode. */
  readonly sweeps: number | null;
  readonly recold: number | null;
  /** W1: after the recold sweeps, this many cold sweeps each on a fresh resolver (listings made again). */
  readonly freshCold: number;
  /** Walk and set up only: the baseline of a `strace -c` difference. */
  readonly noSweep: boolean;
  /** Emit marker stats around each phase, for strace phase counting. */
  readonly mark: boolean;
  /** Untimed: count file-system calls per phase through CountingFileSystem instead of timing. */
  readonly countFs: boolean;
  /** After everything else, time 5 warm sweeps with stat memoised (the model's own cost, syscalls out). */
  readonly memoStat: boolean;
}

export function parseReplayArgs(argv: readonly string[], usage: string): ReplayArgs {
  let namesIn: string | null = null;
  let profile = "cpython-3.11";
  let sweeps: number | null = null;
  let recold: number | null = null;
  let freshCold = 0;
  let noSweep = false;
  let mark = false;
  let countFs = false;
  let memoStat = false;
  const entries: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value\n${usage}`);
      return next;
    };
    if (arg === "--names-in") namesIn = value();
    else if (arg === "--profile") profile = value();
    else if (arg === "--sweeps") sweeps = Number(value());
    else if (arg === "--recold") recold = Number(value());
    else if (arg === "--fresh-cold") freshCold = Number(value());
    else if (arg === "--no-sweep") noSweep = true;
    else if (arg === "--mark") mark = true;
    else if (arg === "--count-fs") countFs = true;
    else if (arg === "--memo-stat") memoStat = true;
    else if (arg.startsWith("--")) throw new Error(`unknown option ${arg}\n${usage}`);
    else entries.push(arg);
  }
  if (namesIn === null || entries.length === 0) throw new Error(usage);
  return { namesIn, entries, profile, sweeps, recold, freshCold, noSweep, mark, countFs, memoStat };
}

/** A finder-cold resolver on `fs` with `sys.path` = the entries (the path importer alone, as PathFinder.find_spec). */
export function newResolver(fs: FileSystem, args: ReplayArgs): { resolver: Resolver; system: ImportSystem } {
  const made = createResolver({ fs, path: args.entries, profile: args.profile });
  made.system.pathImporterCache.clear();
  return made;
}

export function realDisk(): NodeFileSystem {
  return new NodeFileSystem();
}

export function countingDisk(): CountingFileSystem {
  return new CountingFileSystem(new NodeFileSystem());
}

/** One sweep, in order; returns its wall time in ns. */
export function timedSweep(resolver: Resolver, lookups: readonly Lookup[]): number {
  const started = process.hrtime.bigint();
  for (let i = 0; i < lookups.length; i++) {
    const lookup = lookups[i]!;
    findSpecSync(resolver, lookup[0], lookup[1]);
  }
  return Number(process.hrtime.bigint() - started);
}

const MARK_OPTIONS = { throwIfNoEntry: false } as const;

/** `modwalk.mark`: a failing stat of a recognisable path, which strace logs can be cut at. */
export function mark(enabled: boolean, label: string): void {
  if (enabled) statSync(`/__bench_mark__/${label}`, MARK_OPTIONS);
}

/** The replay's identity, where the anchors print `interpreter`. */
export function replayInterpreter(profile: string): Record<string, string> {
  return { implementation: "importkit", node: process.version, profile, platform: process.platform };
}

/** Calls by kind (and their total) made since the last reset, then reset. */
export function takeCounts(fs: CountingFileSystem): Record<string, number> {
  const counts: Record<string, number> = { ...fs.counts, total: fs.total };
  fs.reset();
  return counts;
}
