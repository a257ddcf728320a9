/**
 * Syscalls per lookup for W1 and W2, measured in this run with strace (untimed processes of their own), or
 * ANCHORS.md's exact figures for CPython when strace is not available.
 */
import type { SyscallCounts } from "./strace.js";
import { countSyscalls, countSyscallsByPhase, perItem, round4, subtractCounts, totalOf } from "./strace.js";

export interface SyscallFigure {
  readonly perLookup: number;
  readonly byKind: SyscallCounts;
  readonly source: string;
}

/** A workload side's command with extra options in front of its names file and entries. */
export type CommandWith = (extra: readonly string[]) => string[];

const STRACE_DIFF = "strace -f -c, this run";
const STRACE_MARKS = "strace phase markers, this run";

/** CPython 3.11.7 on the anchors' machine (ANCHORS.md, exact strace counts). */
export const ANCHORS_W1: Record<"cold" | "warm", SyscallFigure> = {
  cold: {
    perLookup: 3.133,
    byKind: { newfstatat: 2.694, getdents64: 0.219, openat: 0.11, close: 0.11 },
    source: "ANCHORS.md",
  },
  warm: { perLookup: 2.365, byKind: { newfstatat: 2.365 }, source: "ANCHORS.md" },
};
export const ANCHORS_W2: Record<"top" | "sub", SyscallFigure> = {
  top: { perLookup: 2, byKind: { newfstatat: 2 }, source: "ANCHORS.md" },
  sub: { perLookup: 1, byKind: { newfstatat: 1 }, source: "ANCHORS.md" },
};

/**
 * W1 by difference, as anchors/strace_c_diff.py: cold = (1 sweep) − (no sweep); warm = (2 sweeps) − (1 sweep),
 * where the second run adds one warm sweep plus the 5 top-level and 5 submodule sweeps: 6 warm passes over
 * the names. Both sides take the same flags.
 */
export function w1SyscallsByDifference(
  command: CommandWith,
  names: number,
): Record<"cold" | "warm", SyscallFigure> {
  const none = countSyscalls(command(["--no-sweep"]));
  const one = countSyscalls(command(["--sweeps", "1", "--recold", "0"]));
  const two = countSyscalls(command(["--sweeps", "2", "--recold", "0"]));
  return {
    cold: figure(subtractCounts(one, none), names, STRACE_DIFF),
    warm: figure(subtractCounts(two, one), 6 * names, STRACE_DIFF),
  };
}

/** W2 from marked phases (top and sub run in one process, so no difference separates them): 2 sweeps each. */
export function w2SyscallsByPhase(command: CommandWith, count: number): Record<"top" | "sub", SyscallFigure> {
  const phases = countSyscallsByPhase(command(["--mark", "--sweeps", "2"]));
  const mode = (name: "top" | "sub"): SyscallFigure => {
    const sum: SyscallCounts = {};
    let sweeps = 0;
    for (const [phase, counts] of Object.entries(phases)) {
      if (!new RegExp(`^${name}\\d+$`).test(phase)) continue;
      sweeps++;
      for (const [k, n] of Object.entries(counts)) sum[k] = (sum[k] ?? 0) + n;
    }
    return figure(sum, Math.max(1, sweeps) * count, STRACE_MARKS);
  };
  return { top: mode("top"), sub: mode("sub") };
}

function figure(counts: SyscallCounts, items: number, source: string): SyscallFigure {
  return { perLookup: round4(totalOf(counts) / items), byKind: perItem(counts, items), source };
}
