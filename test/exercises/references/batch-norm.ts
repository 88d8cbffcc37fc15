/**
 * The graders' own batch-norm forward, so batchNormBackward is graded on a
 * correct cache whatever the student's batchNormForward does (a forward bug
 * costs only the forward's points). Plain arrays, float64.
 */
import type { BatchNormCache } from "@exercise/04-batch-normalization";

/** The cache of a training-mode forward pass over x ([N][C]) with scale gamma. */
export function referenceCache(x: readonly (readonly number[])[], gamma: readonly number[], eps = 1e-5): BatchNormCache {
  const n = x.length;
  const mu = gamma.map((_, j) => x.reduce((s, row) => s + row[j], 0) / n);
  const sigma2 = gamma.map((_, j) => x.reduce((s, row) => s + (row[j] - mu[j]) ** 2, 0) / n);
  const invStd = sigma2.map((v) => 1 / Math.sqrt(v + eps));
  const xHat = x.map((row) => row.map((v, j) => (v - mu[j]) * invStd[j]));
  return { xHat, mu, sigma2, invStd, gamma: [...gamma] };
}
