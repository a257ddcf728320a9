/**
 * The same-run comparison: CPython's process, then importkit's, alternately (A B A B …), each fresh, so
 * drift on a noisy machine hits both sides alike. Each result is checked as it arrives, before any timing
 * is believed.
 */
import { runJson } from "./processes.js";
import type { Stats } from "./stats.js";
import { summarize } from "./stats.js";

export interface Side<T> {
  readonly label: string;
  readonly argv: readonly string[];
  /** Throws a BenchError when the result is wrong (e.g. names not found). */
  readonly check: (result: T) => void;
}

export function runPairs<C, I>(
  pairs: number,
  cpython: Side<C>,
  importkit: Side<I>,
  log: (line: string) => void,
  progress: (c: C, i: I) => string,
): { cpython: C[]; importkit: I[] } {
  const out = { cpython: [] as C[], importkit: [] as I[] };
  for (let p = 0; p < pairs; p++) {
    const c = runJson<C>(cpython.argv);
    cpython.check(c);
    const i = runJson<I>(importkit.argv);
    importkit.check(i);
    out.cpython.push(c);
    out.importkit.push(i);
    log(`  pair ${p + 1}/${pairs}: ${progress(c, i)}`);
  }
  return out;
}

/** One timed figure of both sides, in µs per lookup: medians over processes, and the ratio CPython / importkit. */
export interface Comparison {
  readonly cpython: Stats;
  readonly importkit: Stats;
  /** median(CPython) / median(importkit): above 1 means importkit is faster. */
  readonly ratio: number;
  /** The same ratio taken pair by pair (A B neighbours share the machine's state). */
  readonly pairRatio: Stats;
}

export function compare(cpythonNs: readonly number[], importkitNs: readonly number[]): Comparison {
  const cpython = summarize(cpythonNs.map((ns) => ns / 1000));
  const importkit = summarize(importkitNs.map((ns) => ns / 1000));
  return {
    cpython,
    importkit,
    ratio: cpython.median / importkit.median,
    pairRatio: summarize(cpythonNs.map((c, k) => c / importkitNs[k]!)),
  };
}
