/**
 * Small statistics for the benchmarks: percentiles by linear interpolation between closest
 * ranks (the method of NumPy's default and most load-testing tools) and the median of repeats.
 */

/** The `p`-th percentile (0..100) of already sorted values; NaN for none. */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  if (n === 1) return sorted[0]!;
  const rank = (Math.min(100, Math.max(0, p)) / 100) * (n - 1);
  const low = Math.floor(rank);
  const high = Math.min(n - 1, low + 1);
  const weight = rank - low;
  return sorted[low]! * (1 - weight) + sorted[high]! * weight;
}

export interface Distribution {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** Percentiles of a sample (which it sorts in place). */
export function distribution(values: Float64Array): Distribution {
  values.sort();
  let sum = 0;
  for (const value of values) sum += value;
  return {
    count: values.length,
    p50: percentileSorted(values, 50),
    p90: percentileSorted(values, 90),
    p99: percentileSorted(values, 99),
    max: values.length > 0 ? values[values.length - 1]! : Number.NaN,
    mean: values.length > 0 ? sum / values.length : Number.NaN,
  };
}

/** The median of repeated measurements (NaN for none). */
export function median(values: number[]): number {
  return percentileSorted(
    [...values].sort((a, b) => a - b),
    50,
  );
}

/** Rounds for the JSON report: enough digits to compare, not float noise. */
export function round(value: number, digits = 3): number {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
