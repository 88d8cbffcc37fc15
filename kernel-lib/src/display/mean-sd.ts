import { fail } from "../core/errors";

/**
 * Summaries of repeated runs (one value per seed), for the lessons' comparisons:
 * mean ± standard deviation in tables and error bars, and a rule for when a
 * difference is within the noise.
 */

/** Mean and sample standard deviation (n − 1) of repeated measurements, e.g. one per seed. */
export function meanSd(values: readonly number[]): { mean: number; sd: number } {
  if (values.length === 0) fail("meanSd", "no values: pass one measurement per seed");
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = values.length < 2 ? 0 : Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
  return { mean, sd };
}

/** "0.357 ± 0.012": mean ± sample standard deviation, both with `decimals` digits after the point. */
export function formatMeanSd(values: readonly number[], decimals = 3): string {
  const { mean, sd } = meanSd(values);
  return `${mean.toFixed(decimals)} ± ${sd.toFixed(decimals)}`;
}

/**
 * True when two sets of runs differ by less than twice the standard error of
 * the difference of their means, √(sd_a²/n_a + sd_b²/n_b) (equal means always are): roughly, when a
 * two-sided test at the 5 % level would not call the difference real.
 */
export function withinNoise(a: readonly number[], b: readonly number[]): boolean {
  const [x, y] = [meanSd(a), meanSd(b)];
  return Math.abs(x.mean - y.mean) <= 2 * Math.sqrt(x.sd ** 2 / a.length + y.sd ** 2 / b.length);
}
