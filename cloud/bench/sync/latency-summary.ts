/** Count and percentiles of latencies in ms, by the nearest-rank method; NaN for an empty set. */
export interface LatencySummary {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

function nearestRank(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))]!;
}

/** Sorts a copy of `values` and returns its count, median, 99th percentile and maximum. */
export function summarize(values: Float64Array): LatencySummary {
  const sorted = Float64Array.from(values).sort();
  return { count: sorted.length, p50Ms: nearestRank(sorted, 0.5), p99Ms: nearestRank(sorted, 0.99), maxMs: nearestRank(sorted, 1) };
}
