import type { TypedArray } from "../core/dtype";

/**
 * Reference kernels of the fused primitives: operations that the layers
 * above could compose from elementwise ops and reductions, done here in one
 * or two passes over memory instead of eight or ten. Each is written as
 * plainly as the rest of the reference kernels; the math is in the doc
 * comment of the primitive that calls it (functional/batch-norm-fused.ts).
 *
 * Layout: x is viewed as [outer, channels, inner] (batch norm's [N, C] or
 * [N, C, L]), so channel c of flat position i is ⌊i / inner⌋ mod channels.
 */

/** mean[c] and the biased variance[c] of each channel (two passes: the mean first, then centered squares). */
export function channelMoments(x: TypedArray, channels: number, inner: number, mean: Float64Array, variance: Float64Array): void {
  const outer = x.length / (channels * inner);
  const m = outer * inner;
  // Channel by channel, so that the sums stay in local variables (registers).
  for (let c = 0; c < channels; c++) {
    let s = 0;
    for (let o = 0; o < outer; o++) {
      const start = (o * channels + c) * inner;
      for (let i = start; i < start + inner; i++) s += x[i];
    }
    const mu = s / m;
    let q = 0;
    for (let o = 0; o < outer; o++) {
      const start = (o * channels + c) * inner;
      for (let i = start; i < start + inner; i++) q += (x[i] - mu) * (x[i] - mu);
    }
    mean[c] = mu;
    variance[c] = q / m;
  }
}

/** out = (x − mean[c]) · invStd[c] · weight[c] + bias[c]; a null weight is 1 and a null bias 0. */
export function channelNormalize(
  x: TypedArray, channels: number, inner: number, mean: Float64Array, invStd: Float64Array,
  weight: TypedArray | null, bias: TypedArray | null, out: TypedArray,
): void {
  const { scale, shift } = normalizeCoefficients(mean, invStd, weight, bias);
  channelAffine(x, channels, inner, scale, shift, out);
}

/** Normalization as one affine map per channel, out = x · scale + shift: scale = invStd·weight, shift = bias − mean·scale. */
export function normalizeCoefficients(
  mean: Float64Array, invStd: Float64Array, weight: TypedArray | null, bias: TypedArray | null,
): { scale: Float64Array; shift: Float64Array } {
  const channels = mean.length;
  const scale = new Float64Array(channels);
  const shift = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    scale[c] = invStd[c] * (weight ? weight[c] : 1);
    shift[c] = (bias ? bias[c] : 0) - mean[c] * scale[c];
  }
  return { scale, shift };
}

/**
 * Gradients of out = weight·x̂ + bias with x̂ = (x − mean)·invStd, given g = dLoss/dout:
 *   dBias[c]   = Σ g                 dWeight[c] = Σ g·x̂
 *   dx (batch statistics, `training`) = weight·invStd · (g − dBias/m − x̂·dWeight/m)
 *   dx (fixed statistics)             = weight·invStd · g
 * Pass 1 sums per channel, pass 2 writes dx. Any output may be null (not needed).
 */
export function batchNormBackward(
  g: TypedArray, x: TypedArray, channels: number, inner: number, mean: Float64Array, invStd: Float64Array,
  weight: TypedArray | null, training: boolean, dx: TypedArray | null, dWeight: TypedArray | null, dBias: TypedArray | null,
): void {
  const sumG = new Float64Array(channels);
  const sumGXc = new Float64Array(channels); // Σ g·(x − mean); times invStd it is Σ g·x̂
  channelGradSums(g, x, channels, inner, mean, sumG, sumGXc);
  const coefficients = backwardCoefficients(sumG, sumGXc, x.length / channels, mean, invStd, weight, training, dWeight, dBias);
  if (!dx) return;
  const { k, a, b } = coefficients;
  let i = 0;
  const outer = x.length / (channels * inner);
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const kc = k[c];
      const ac = a[c];
      const bc = b[c];
      for (let l = 0; l < inner; l++, i++) dx[i] = g[i] * kc + x[i] * ac + bc;
    }
  }
}

/** sumG[c] = Σ g and sumGXc[c] = Σ g·(x − mean[c]) over the channel's m values. */
function channelGradSums(
  g: TypedArray, x: TypedArray, channels: number, inner: number, mean: Float64Array, sumG: Float64Array, sumGXc: Float64Array,
): void {
  const outer = x.length / (channels * inner);
  for (let c = 0; c < channels; c++) {
    const mu = mean[c];
    let sg = 0;
    let sgx = 0;
    for (let o = 0; o < outer; o++) {
      const start = (o * channels + c) * inner;
      for (let i = start; i < start + inner; i++) {
        sg += g[i];
        sgx += g[i] * (x[i] - mu);
      }
    }
    sumG[c] = sg;
    sumGXc[c] = sgx;
  }
}

/**
 * From the channel sums (m values per channel): writes dBias and dWeight
 * when given, and returns dx's per-channel coefficients in dx = g·k + x·a + b:
 *   k = weight·invStd,  a = −k·invStd²·Σg(x−mean)/m,  b = −k·Σg/m − mean·a
 * (a = b = 0 with fixed statistics).
 */
export function backwardCoefficients(
  sumG: Float64Array, sumGXc: Float64Array, m: number, mean: Float64Array, invStd: Float64Array,
  weight: TypedArray | null, training: boolean, dWeight: TypedArray | null, dBias: TypedArray | null,
): { k: Float64Array; a: Float64Array; b: Float64Array } {
  const channels = sumG.length;
  if (dBias) for (let c = 0; c < channels; c++) dBias[c] = sumG[c];
  if (dWeight) for (let c = 0; c < channels; c++) dWeight[c] = sumGXc[c] * invStd[c];
  const k = new Float64Array(channels);
  const a = new Float64Array(channels);
  const b = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    k[c] = invStd[c] * (weight ? weight[c] : 1);
    if (!training) continue;
    a[c] = (-k[c] * invStd[c] * invStd[c] * sumGXc[c]) / m;
    b[c] = (-k[c] * sumG[c]) / m - mean[c] * a[c];
  }
  return { k, a, b };
}

/** out = x · scale[c] + shift[c]. */
function channelAffine(x: TypedArray, channels: number, inner: number, scale: Float64Array, shift: Float64Array, out: TypedArray): void {
  const outer = x.length / (channels * inner);
  let i = 0;
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const s = scale[c];
      const t = shift[c];
      for (let l = 0; l < inner; l++, i++) out[i] = x[i] * s + t;
    }
  }
}
