/** Formatting: aligned human-readable tables (stdout first), then one JSON object per line. */
import type { Comparison } from "./paired-runs.js";
import type { Stats } from "./stats.js";

export interface WorkloadReport {
  readonly humanLines: readonly string[];
  readonly jsonLines: readonly Record<string, unknown>[];
}

export function fixed(x: number, digits = 2): string {
  return Number.isFinite(x) ? x.toFixed(digits) : "n/a";
}

export function grouped(n: number): string {
  return n.toLocaleString("en-US");
}

/** "15.61 (15.02–21.80)" */
export function spread(stats: Stats, digits = 2): string {
  return `${fixed(stats.median, digits)} (${fixed(stats.min, digits)}–${fixed(stats.max, digits)})`;
}

export function ratioText(ratio: number): string {
  return `${fixed(ratio)}×`;
}

/** A comparison row: label, CPython, importkit, ratio (and the pair-by-pair ratio's spread). */
export function comparisonRow(label: string, c: Comparison): string[] {
  return [
    label,
    spread(c.cpython),
    spread(c.importkit),
    `${ratioText(c.ratio)} (pairs ${spread(c.pairRatio)})`,
  ];
}

/** Left-aligned columns, two spaces apart, indented. */
export function table(rows: readonly (readonly string[])[], indent = "  "): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, [...cell].length);
    });
  }
  return rows.map((row) =>
    (
      indent + row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ")
    ).trimEnd(),
  );
}

/** The JSON-line form of a comparison: medians in µs, spreads, n and the ratio. */
export function comparisonJson(c: Comparison): Record<string, unknown> {
  return {
    importkit_us_per_lookup: r3(c.importkit.median),
    cpython_us_per_lookup: r3(c.cpython.median),
    ratio: r3(c.ratio),
    importkit_us_per_lookup_stats: r3Stats(c.importkit),
    cpython_us_per_lookup_stats: r3Stats(c.cpython),
    pair_ratio_stats: r3Stats(c.pairRatio),
  };
}

export function r3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** A spread with every figure rounded to 3 decimals, for JSON lines. */
export function r3Stats(s: Stats): Stats {
  return { median: r3(s.median), min: r3(s.min), max: r3(s.max), n: s.n };
}
