/**
 * The graders' own batch-norm forward, so batchNormBackward is graded on a
 * correct cache whatever the student's batchNormForward does (a forward bug
 * costs only the forward's points). Plain arrays, float64.
 */
import type { BatchNormCache } from "@exercise/04-batch-normalization";

const columnMean = (x: readonly (readonly number[])[], j: number): number => x.reduce((s, row) => s + row[j], 0) / x.length;

/** The cache of a training-mode forward pass over x ([N][C]) with scale gamma. */
export function referenceCache(x: readonly (readonly number[])[], gamma: readonly number[], eps = 1e-5): BatchNormCache {
  const mu = gamma.map((_, j) => columnMean(x, j));
  const sigma2 = gamma.map((_, j) => columnMean(x.map((row) => row.map((v, k) => (v - mu[k]) ** 2)), j));
  const invStd = sigma2.map((s2) => (s2 + eps) ** -0.5);
  return { xHat: x.map((row) => row.map((v, j) => invStd[j] * (v - mu[j]))), mu, sigma2, invStd, gamma: gamma.slice() };
}
