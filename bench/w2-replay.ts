/**
 * importkit's side of W2, in its own fresh process: anchors/w2_negative.py's negative lookups from its
 * --names-out file (same seed, names and order). For each mode (top: along the entries; sub: with the
 * package's path): one untimed warm-up sweep, then --sweeps timed sweeps (default 7). Prints the same keys.
 *
 * --count-fs replaces the timing by one counted (untimed) warm sweep per mode through CountingFileSystem.
 */
import { findSpecSync } from "../src/resolve/resolver.js";
import type { Lookup } from "./name-files.js";
import { readW2Names } from "./name-files.js";
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
  "usage: node --import tsx bench/w2-replay.ts [--sweeps K] [--profile P] [--mark] [--count-fs] " +
  "--names-in W2_NAMES.json ENTRY...";

function main(): void {
  const args = parseReplayArgs(process.argv.slice(2), USAGE);
  const names = readW2Names(args.namesIn, args.entries);
  const modes = [
    ["top", names.top],
    ["sub", names.sub],
  ] as const;
  const out: Record<string, unknown> = {
    workload: "W2 negative lookups",
    interpreter: replayInterpreter(args.profile),
    entries: args.entries,
    count: names.top.length,
  };
  const counting = args.countFs ? countingDisk() : null;
  const { resolver, system } = newResolver(counting ?? realDisk(), args);
  const countFound = (list: readonly Lookup[]) =>
    list.filter((l) => findSpecSync(resolver, l[0], l[1]) !== null).length;
  for (const [mode, list] of modes) {
    const found = countFound(list); // warm-up: makes the finders, fills their listings
    if (counting) {
      counting.reset();
      for (const [name, parent] of list) findSpecSync(resolver, name, parent);
      out[mode] = { unexpectedly_found: found, fs_calls: takeCounts(counting) };
      continue;
    }
    const times: number[] = [];
    for (let s = 0; s < (args.sweeps ?? 7); s++) {
      mark(args.mark, `${mode}${s}-begin`);
      times.push(timedSweep(resolver, list));
      mark(args.mark, `${mode}${s}-end`);
    }
    out[mode] = {
      unexpectedly_found: found,
      per_lookup_ns: summarize(times.map((t) => t / list.length)),
      sweep_ns: summarize(times),
    };
  }
  out.finders = system.pathImporterCache.size;
  console.log(JSON.stringify(out));
}

main();
