/** Small statistics shared by the delegation benchmarks. */

/** The p-th percentile (nearest rank) of the values; 0 for none. */
export function percentile(values: ArrayLike<number>, p: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** The median; with an odd number of rounds it is one round's own figure. */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Rounds a figure for the result file: 3 significant decimals are all a shared machine supports. */
export function round(value: number, digits = 3): number {
  return Number(value.toFixed(digits));
}
