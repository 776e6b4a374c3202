/** Returns the `fraction` quantile (0..1) of `values` by the nearest-rank method, or NaN when empty. */
export function quantile(values: ArrayLike<number>, fraction: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank]!;
}

export function maximum(values: ArrayLike<number>): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) if (values[i]! > max) max = values[i]!;
  return max;
}

export function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Formats an integer with thousands separators: 1234567 -> "1,234,567". */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** Formats a duration or latency in ms with a precision that suits its size. */
export function formatMs(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (value < 10) return value.toFixed(2);
  if (value < 100) return value.toFixed(1);
  return value.toFixed(0);
}

/** Returns CLOCK_MONOTONIC in ms with a fractional part. Readings from different threads are comparable. */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
