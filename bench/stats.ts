/** Aggregates in the anchors' shape (`modwalk.stats`): the median of an even count is the mean of the middle two. */
export interface Stats {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
}

export function summarize(values: readonly number[]): Stats {
  const xs = [...values].sort((a, b) => a - b);
  const n = xs.length;
  if (n === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, n: 0 };
  const mid = n >> 1;
  const median = n % 2 ? xs[mid]! : (xs[mid - 1]! + xs[mid]!) / 2;
  return { median, min: xs[0]!, max: xs[n - 1]!, n };
}

/** The same aggregate with every figure divided (ns → µs, totals → per lookup). */
export function scaleStats(stats: Stats, divisor: number): Stats {
  return { median: stats.median / divisor, min: stats.min / divisor, max: stats.max / divisor, n: stats.n };
}
