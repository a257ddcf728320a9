/**
 * Syscall counts of one phase of a workload, measured with strace in the same run (never while timing).
 *
 * Two methods, both restricted to the file-system probes ANCHORS.md counts:
 *  - `countSyscalls`: a whole-process `strace -f -c` summary, to be differenced against the same command
 *    doing less (`anchors/strace_c_diff.py`'s method);
 *  - `countSyscallsByPhase`: a full trace cut at the marker stats (`/__bench_mark__/<phase>-begin|end`) the
 *    workload emits with `--mark` (`anchors/strace_phases.py`'s method), for phases no difference separates.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BenchError } from "./bench-error.js";
import { repoRoot } from "./repo-paths.js";

export const TRACED_SYSCALLS = ["newfstatat", "stat", "lstat", "statx", "openat", "getdents64"] as const;

export type SyscallCounts = Record<string, number>;

export function straceAvailable(): boolean {
  const probe = spawnSync("strace", ["-V"], { encoding: "utf8" });
  return probe.status === 0;
}

/** Calls per traced syscall over the whole process (threads included). */
export function countSyscalls(argv: readonly string[]): SyscallCounts {
  return withTrace(["-c"], argv, parseSummary);
}

/** Calls per traced syscall inside each marked phase (marker stats excluded), by phase label. */
export function countSyscallsByPhase(argv: readonly string[]): Record<string, SyscallCounts> {
  return withTrace(["-qq", "-s", "256"], argv, parsePhases);
}

/** a − b, per syscall, dropping zeros. */
export function subtractCounts(a: SyscallCounts, b: SyscallCounts): SyscallCounts {
  const out: SyscallCounts = {};
  for (const name of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const d = (a[name] ?? 0) - (b[name] ?? 0);
    if (d !== 0) out[name] = d;
  }
  return out;
}

export function totalOf(counts: SyscallCounts): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

/** Every count divided by `items`, rounded to 4 decimals for reading. */
export function perItem(counts: SyscallCounts, items: number): SyscallCounts {
  const out: SyscallCounts = {};
  for (const [name, n] of Object.entries(counts)) out[name] = round4(n / items);
  return out;
}

export function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

function withTrace<T>(straceArgs: readonly string[], argv: readonly string[], parse: (log: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "importkit-strace-"));
  const log = join(dir, "strace.log");
  try {
    const traced = ["-f", ...straceArgs, "-e", `trace=${TRACED_SYSCALLS.join(",")}`, "-o", log, ...argv];
    const run = spawnSync("strace", traced, {
      cwd: repoRoot,
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
    });
    if (run.status !== 0) {
      throw new BenchError(
        `strace ${argv.join(" ")} failed (exit ${run.status}):\n${run.stderr.slice(-2000)}`,
      );
    }
    return parse(readFileSync(log, "utf8"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `strace -c`'s table: `% time  seconds  usecs/call  calls  [errors]  syscall`. */
function parseSummary(text: string): SyscallCounts {
  const out: SyscallCounts = {};
  for (const line of text.split("\n")) {
    const parts = line.trim().split(/\s+/);
    if (parts.length < 5 || !/^\d/.test(parts[0]!)) continue;
    const name = parts[parts.length - 1]!;
    const calls = Number(parts[3]);
    if (name !== "total" && Number.isInteger(calls)) out[name] = calls;
  }
  return out;
}

const CALL = /^(?:\[pid\s+\d+\]\s*|\d+\s+)?([a-z_0-9]+)\(/;
const MARK = /"\/__bench_mark__\/([^"]+)"/;

function parsePhases(text: string): Record<string, SyscallCounts> {
  const phases: Record<string, SyscallCounts> = {};
  const open: string[] = [];
  for (const line of text.split("\n")) {
    const call = CALL.exec(line);
    if (!call) continue; // "<... resumed>" halves and exits: the call was counted where it started
    const mark = MARK.exec(line);
    if (mark) {
      const label = mark[1]!;
      if (label.endsWith("-begin")) open.push(label.slice(0, -6));
      else if (label.endsWith("-end") && open[open.length - 1] === label.slice(0, -4)) open.pop();
      continue;
    }
    for (const phase of open) {
      const counts = (phases[phase] ??= {});
      counts[call[1]!] = (counts[call[1]!] ?? 0) + 1;
    }
  }
  // A phase with no traced call still happened: report it empty rather than missing.
  for (const line of text.split("\n")) {
    const mark = MARK.exec(line);
    if (mark?.[1]?.endsWith("-begin")) phases[mark[1].slice(0, -6)] ??= {};
  }
  return phases;
}
