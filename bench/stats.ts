/** Small order statistics for a handful of rounds (NaN entries, from failed rounds, are left out). */

function finite(values: readonly number[]): number[] {
  return values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b)
}

/** The q-quantile (0 ≤ q ≤ 1) with linear interpolation between closest ranks; NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = finite(values)
  return quantileOfSorted(sorted, q)
}

/** As `quantile`, for an already sorted array of finite numbers (e.g. thousands of latencies). */
export function quantileOfSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN
  const at = (sorted.length - 1) * q
  const low = Math.floor(at)
  const high = Math.ceil(at)
  const a = sorted[low] as number
  const b = sorted[high] as number
  return a + (b - a) * (at - low)
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5)
}

export interface Summary {
  median: number
  min: number
  max: number
  /** How many finite values the summary is made of. */
  n: number
  /** Half the min–max range relative to the median (0.05 = ±5 %). */
  spread: number
}

export function summarize(values: readonly number[]): Summary {
  const sorted = finite(values)
  const med = quantileOfSorted(sorted, 0.5)
  const min = sorted[0] ?? Number.NaN
  const max = sorted[sorted.length - 1] ?? Number.NaN
  return { median: med, min, max, n: sorted.length, spread: (max - min) / 2 / med }
}

/** Element-wise a[i] / b[i]: per-round ratios (NaN where either side failed). */
export function ratios(a: readonly number[], b: readonly number[]): number[] {
  return a.map((x, i) => x / (b[i] ?? Number.NaN))
}
