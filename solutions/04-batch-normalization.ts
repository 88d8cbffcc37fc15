/**
 * Lesson 4 exercises: batch normalization from scratch, on plain arrays.
 * Replace each `notImplemented(…)` with your code, then run `npm run check -- 04`.
 *
 * Layout: a batch `x` is an array of N rows (samples), each with C numbers
 * (features, or channels): x[i][c], like a [N, C] tensor. Every statistic is
 * per feature c, over the N samples of the batch.
 */

/** What the forward pass keeps for the backward pass. */
export interface BatchNormCache {
  /** The normalized inputs x̂[i][c] = (x[i][c] − mu[c]) · invStd[c]. */
  xHat: number[][];
  /** Batch mean per feature: mu[c] = (1/N) Σᵢ x[i][c]. */
  mu: number[];
  /** BIASED batch variance per feature: sigma2[c] = (1/N) Σᵢ (x[i][c] − mu[c])². */
  sigma2: number[];
  /** 1 / √(sigma2[c] + eps). */
  invStd: number[];
  /** The scale γ used in the forward pass. */
  gamma: number[];
}

export interface BatchNormForward {
  out: number[][];
  cache: BatchNormCache;
}

/**
 * 4.1 Batch-norm forward in training mode (Ioffe & Szegedy, 2015), per feature c:
 *
 *   mu[c]     = (1/N) Σᵢ x[i][c]
 *   sigma2[c] = (1/N) Σᵢ (x[i][c] − mu[c])²          (biased: divide by N, not N − 1)
 *   xHat[i][c] = (x[i][c] − mu[c]) / √(sigma2[c] + eps)
 *   out[i][c]  = gamma[c] · xHat[i][c] + beta[c]
 *
 * Returns the output and the cache (see BatchNormCache). eps defaults to
 * 1e-5. A constant feature has sigma2 = 0: eps keeps the division finite and
 * its output is beta. Do not modify the inputs.
 */
export function batchNormForward(x: readonly (readonly number[])[], gamma: readonly number[], beta: readonly number[], eps = 1e-5): BatchNormForward {
  // BEGIN SOLUTION hint: first loop over the rows to get mu, a second loop for sigma2, then build xHat and out row by row
  const n = x.length;
  const c = gamma.length;
  const mu = new Array<number>(c).fill(0);
  const sigma2 = new Array<number>(c).fill(0);
  for (const row of x) for (let j = 0; j < c; j++) mu[j] += row[j] / n;
  for (const row of x) for (let j = 0; j < c; j++) sigma2[j] += (row[j] - mu[j]) ** 2 / n;
  const invStd = sigma2.map((v) => 1 / Math.sqrt(v + eps));
  const xHat = x.map((row) => row.map((v, j) => (v - mu[j]) * invStd[j]));
  const out = xHat.map((row) => row.map((v, j) => gamma[j] * v + beta[j]));
  return { out, cache: { xHat, mu, sigma2, invStd, gamma: [...gamma] } };
  // END SOLUTION
}

export interface BatchNormGradients {
  /** dL/dx[i][c]. */
  dx: number[][];
  /** dL/dγ[c] = Σᵢ dout[i][c] · xHat[i][c]. */
  dgamma: number[];
  /** dL/dβ[c] = Σᵢ dout[i][c]. */
  dbeta: number[];
}

/**
 * 4.2 Batch-norm backward: given dout[i][c] = dL/dout[i][c] and the cache
 * of the forward pass, return dL/dx, dL/dγ and dL/dβ.
 *
 * Every x[i][c] reaches the loss three ways: directly through xHat[i][c],
 * and through mu[c] and sigma2[c], which every sample of the batch shares.
 * With dxHat[i][c] = dout[i][c] · gamma[c], summing the three paths gives
 * (per feature c, sums over the N samples j):
 *
 *   dx[i][c] = (invStd[c] / N) · ( N · dxHat[i][c] − Σⱼ dxHat[j][c] − xHat[i][c] · Σⱼ dxHat[j][c] · xHat[j][c] )
 *
 * Check: for every c, Σᵢ dx[i][c] = 0 (shifting a whole column does not change the output).
 */
export function batchNormBackward(dout: readonly (readonly number[])[], cache: BatchNormCache): BatchNormGradients {
  // BEGIN SOLUTION hint: per feature, accumulate dbeta = Σ dout and dgamma = Σ dout·xHat; then Σ dxHat = gamma·dbeta and Σ dxHat·xHat = gamma·dgamma
  const { xHat, invStd, gamma } = cache;
  const n = dout.length;
  const c = gamma.length;
  const dbeta = new Array<number>(c).fill(0);
  const dgamma = new Array<number>(c).fill(0);
  dout.forEach((row, i) => {
    for (let j = 0; j < c; j++) {
      dbeta[j] += row[j];
      dgamma[j] += row[j] * xHat[i][j];
    }
  });
  const dx = dout.map((row, i) =>
    row.map((g, j) => (invStd[j] / n) * (n * g * gamma[j] - gamma[j] * dbeta[j] - xHat[i][j] * gamma[j] * dgamma[j])),
  );
  return { dx, dgamma, dbeta };
  // END SOLUTION
}

export interface RunningStats {
  runningMean: number[];
  runningVar: number[];
}

/**
 * 4.3 The running statistics a BatchNorm layer keeps for evaluation mode,
 * updated after a training batch x ([N][C]) with PyTorch's convention:
 *
 *   runningMean[c] ← (1 − momentum) · runningMean[c] + momentum · mu[c]
 *   runningVar[c]  ← (1 − momentum) · runningVar[c]  + momentum · sigma2Unbiased[c]
 *
 * where mu is the batch mean and sigma2Unbiased[c] = (1/(N − 1)) Σᵢ (x[i][c] − mu[c])²
 * is the UNBIASED batch variance (the forward pass normalizes with the biased
 * one, but the running estimate uses N − 1, as PyTorch does). momentum
 * defaults to 0.1. (Keras writes the same average as
 * moving = m · moving + (1 − m) · batch with m = 0.99: its momentum is 1 − ours.)
 * Returns new arrays; does not modify its inputs. Throws an Error when the
 * batch has fewer than 2 rows (the unbiased variance needs N ≥ 2).
 */
export function updateRunningStats(runningMean: readonly number[], runningVar: readonly number[], x: readonly (readonly number[])[], momentum = 0.1): RunningStats {
  // BEGIN SOLUTION hint: compute mu and Σ (x − mu)² per feature, divide the latter by N − 1, then blend with weights (1 − momentum) and momentum
  const n = x.length;
  if (n < 2) throw new Error(`updateRunningStats: need at least 2 samples for an unbiased variance, got ${n}`);
  const c = runningMean.length;
  const mu = new Array<number>(c).fill(0);
  const squares = new Array<number>(c).fill(0);
  for (const row of x) for (let j = 0; j < c; j++) mu[j] += row[j] / n;
  for (const row of x) for (let j = 0; j < c; j++) squares[j] += (row[j] - mu[j]) ** 2;
  return {
    runningMean: runningMean.map((m, j) => (1 - momentum) * m + momentum * mu[j]),
    runningVar: runningVar.map((v, j) => (1 - momentum) * v + momentum * (squares[j] / (n - 1))),
  };
  // END SOLUTION
}

/** A fully connected layer y = W·x + b with weight[j][i] (output j, input i), as nn.Linear stores it. */
export interface LinearParams {
  weight: number[][];
  /** null for a layer built with { bias: false }. */
  bias: number[] | null;
}

/** What an evaluation-mode BatchNorm1d uses: γ, β, the running statistics and eps. */
export interface BatchNormParams {
  gamma: readonly number[];
  beta: readonly number[];
  runningMean: readonly number[];
  runningVar: readonly number[];
  eps: number;
}

/**
 * 4.4 Fold an evaluation-mode batch norm into the Linear layer before it, so
 * inference runs one layer instead of two. In eval mode BN is an affine map
 * per output j: BN(z)[j] = s[j] · (z[j] − runningMean[j]) + beta[j] with
 * s[j] = gamma[j] / √(runningVar[j] + eps). Substituting z = W·x + b:
 *
 *   weight'[j][i] = s[j] · weight[j][i]
 *   bias'[j]      = s[j] · (bias[j] − runningMean[j]) + beta[j]      (bias[j] = 0 when there is none)
 *
 * Returns a new layer (weight' and a bias' that is never null) whose output
 * equals BN(Linear(x)) for every x. Does not modify its inputs.
 */
export function foldBatchNorm(linear: LinearParams, bn: BatchNormParams): { weight: number[][]; bias: number[] } {
  // BEGIN SOLUTION hint: compute s[j] = gamma[j] / Math.sqrt(runningVar[j] + eps) once per output row j
  const s = bn.gamma.map((g, j) => g / Math.sqrt(bn.runningVar[j] + bn.eps));
  const weight = linear.weight.map((row, j) => row.map((w) => s[j] * w));
  const bias = s.map((sj, j) => sj * ((linear.bias ? linear.bias[j] : 0) - bn.runningMean[j]) + bn.beta[j]);
  return { weight, bias };
  // END SOLUTION
}

/**
 * 4.5 Batch norm in evaluation mode (model.eval()): no batch statistics at
 * all; every sample is normalized with the RUNNING statistics, so the output
 * of a sample does not depend on the rest of the batch (a batch of one works):
 *
 *   out[i][c] = gamma[c] · (x[i][c] − runningMean[c]) / √(runningVar[c] + eps) + beta[c]
 *
 * Returns new rows; does not modify its inputs.
 */
export function batchNormEval(x: readonly (readonly number[])[], bn: BatchNormParams): number[][] {
  // BEGIN SOLUTION hint: the same affine map for every row: scale[c] = gamma[c] / √(runningVar[c] + eps)
  const scale = bn.gamma.map((g, c) => g / Math.sqrt(bn.runningVar[c] + bn.eps));
  return x.map((row) => row.map((v, c) => scale[c] * (v - bn.runningMean[c]) + bn.beta[c]));
  // END SOLUTION
}

/**
 * 4.6 Layer normalization (Ba et al., 2016), as nn.LayerNorm(C) on a [N, C]
 * batch: the statistics are per SAMPLE i, over its C features (batch norm
 * takes them per feature over the batch), with the biased variance:
 *
 *   mu[i] = (1/C) Σ_c x[i][c],   var[i] = (1/C) Σ_c (x[i][c] − mu[i])²
 *   out[i][c] = gamma[c] · (x[i][c] − mu[i]) / √(var[i] + eps) + beta[c]
 *
 * The same in training and evaluation mode; a batch of one works. eps
 * defaults to 1e-5. Returns new rows; does not modify its inputs.
 */
export function layerNormForward(x: readonly (readonly number[])[], gamma: readonly number[], beta: readonly number[], eps = 1e-5): number[][] {
  // BEGIN SOLUTION hint: like batchNormForward with rows and columns swapped for the statistics; gamma and beta stay per feature c
  return x.map((row) => {
    const mean = row.reduce((s, v) => s + v, 0) / row.length;
    const variance = row.reduce((s, v) => s + (v - mean) * (v - mean), 0) / row.length;
    const inv = 1 / Math.sqrt(variance + eps);
    return row.map((v, c) => gamma[c] * (v - mean) * inv + beta[c]);
  });
  // END SOLUTION
}

export interface GradientCheck {
  /** The central-difference estimate of ∂f/∂x[i] for every i. */
  numeric: number[];
  /** maxᵢ |analytic[i] − numeric[i]| / max(|analytic[i]|, |numeric[i]|) (0 where both are 0). */
  maxRelativeError: number;
}

/**
 * 4.7 A gradient check, the test this lesson runs on batch norm's backward
 * pass (CS231n's recipe). For each coordinate i, nudge x[i] by ±h and take
 * the central difference
 *
 *   numeric[i] = (f(x + h·eᵢ) − f(x − h·eᵢ)) / (2h)
 *
 * then compare with the analytic gradient by the relative error above
 * (CS231n: below 1e-7 is great, above 1e-2 is probably a bug). Call f with
 * arrays of your own (f may keep or change what it gets); x itself must be
 * left as it was. h defaults to 1e-5.
 */
export function gradientCheck(f: (x: number[]) => number, x: readonly number[], analytic: readonly number[], h = 1e-5): GradientCheck {
  // BEGIN SOLUTION hint: copy x with [...x], change one coordinate at a time, call f twice per coordinate
  if (analytic.length !== x.length) throw new Error(`gradientCheck: analytic has ${analytic.length} entries but x has ${x.length}`);
  const numeric = x.map((_, i) => {
    const up = [...x];
    const down = [...x];
    up[i] += h;
    down[i] -= h;
    return (f(up) - f(down)) / (2 * h);
  });
  let maxRelativeError = 0;
  numeric.forEach((num, i) => {
    const scale = Math.max(Math.abs(num), Math.abs(analytic[i]));
    if (scale > 0) maxRelativeError = Math.max(maxRelativeError, Math.abs(num - analytic[i]) / scale);
  });
  return { numeric, maxRelativeError };
  // END SOLUTION
}
