import { fail, fmtShape } from "../core/errors";
import { add, div, mul, sqrt, sub } from "../ops/elementwise";
import { mean, variance } from "../ops/reduce";
import { reshape } from "../ops/shape";
import type { Tensor } from "../tensor";
import { checkPositive } from "../core/validate";

/**
 * Layer, group and instance normalization (Lesson: notebooks/src/04-batch-normalization.ts §10 (LayerNorm, GroupNorm, InstanceNorm)).
 * All share one step: subtract the mean and divide by the standard deviation
 * over some axes, x̂ = (x − μ) / √(σ² + eps) with the biased variance
 * σ² = (1/m) Σ (x − μ)², then scale and shift with learned weight and bias.
 * Built from mean/variance primitives, so gradients flow through μ and σ²
 * (the terms that make normalization's backward differ from a plain affine map).
 * They differ only in which axes μ and σ² are taken over.
 */

/** (x − mean) / √(var + eps) over `axes`, with the biased variance. */
export function standardize(x: Tensor, axes: readonly number[], eps: number): Tensor {
  const mu = mean(x, axes, { keepdims: true });
  const sigma2 = variance(x, axes, { unbiased: false, keepdims: true });
  return div(sub(x, mu), sqrt(add(sigma2, eps)));
}

/** y = xHat · weight + bias with one weight and bias per channel (axis 1 of [N, C, ...]; checked by `checkPerChannel`). */
export function channelAffine(xHat: Tensor, weight: Tensor | null | undefined, bias: Tensor | null | undefined): Tensor {
  const perChannel = [1, xHat.shape[1], ...new Array<number>(xHat.ndim - 2).fill(1)];
  let y = xHat;
  if (weight) y = mul(y, reshape(weight, perChannel));
  if (bias) y = add(y, reshape(bias, perChannel));
  return y;
}

/** Refuses per-channel tensors (weight, bias, running statistics; absent ones are skipped) without one entry per channel. */
export function checkPerChannel(op: string, channels: number, tensors: Record<string, Tensor | null | undefined>): void {
  for (const [what, t] of Object.entries(tensors)) {
    if (t && t.size !== channels) fail(op, `${what} ${fmtShape(t.shape)} must have one entry per channel (${channels})`);
  }
}

/**
 * Layer normalization (Ba et al., 2016): normalizes each sample over its last
 * axes, the ones given by `normalizedShape` (e.g. the features of [N, D] or
 * [N, T, D] with normalizedShape = [D]); statistics never mix samples, so it
 * behaves the same in training and evaluation. weight and bias have shape
 * `normalizedShape` (elementwise affine); eps defaults to 1e-5.
 */
export function layerNorm(x: Tensor, normalizedShape: number | readonly number[], weight?: Tensor | null, bias?: Tensor | null, eps = 1e-5): Tensor {
  checkPositive("layerNorm", "eps", eps);
  const shape = typeof normalizedShape === "number" ? [normalizedShape] : [...normalizedShape];
  const k = shape.length;
  const trailing = x.shape.slice(x.ndim - k);
  if (k === 0 || k > x.ndim || trailing.some((d, i) => d !== shape[i])) {
    fail("layerNorm", `normalizedShape ${fmtShape(shape)} must match the last axes of the input ${fmtShape(x.shape)}`);
  }
  for (const [what, t] of [["weight", weight], ["bias", bias]] as const) {
    if (t && (t.ndim !== k || t.shape.some((d, i) => d !== shape[i]))) fail("layerNorm", `${what} ${fmtShape(t.shape)} must have shape ${fmtShape(shape)}`);
  }
  const axes = shape.map((_, i) => x.ndim - k + i);
  let y = standardize(x, axes, eps);
  if (weight) y = mul(y, weight);
  if (bias) y = add(y, bias);
  return y;
}

/**
 * Group normalization (Wu & He, 2018): for x of shape [N, C, ...] the C
 * channels are split into `numGroups` groups of C/numGroups consecutive
 * channels, and each (sample, group) is normalized over its channels and all
 * spatial positions. numGroups = 1 is layer norm over [C, ...];
 * numGroups = C is instance norm. weight and bias: one per channel.
 */
export function groupNorm(x: Tensor, numGroups: number, weight?: Tensor | null, bias?: Tensor | null, eps = 1e-5): Tensor {
  checkPositive("groupNorm", "eps", eps);
  if (x.ndim < 2) fail("groupNorm", `input must be [N, C, ...], got ${fmtShape(x.shape)}`);
  const channels = x.shape[1];
  if (!Number.isInteger(numGroups) || numGroups < 1 || channels % numGroups !== 0) {
    fail("groupNorm", `numGroups must be a positive integer dividing the ${channels} channels, got ${numGroups}`);
  }
  checkPerChannel("groupNorm", channels, { weight, bias });
  const grouped = reshape(x, [x.shape[0], numGroups, -1]);
  const xHat = reshape(standardize(grouped, [2], eps), x.shape);
  return channelAffine(xHat, weight, bias);
}

/**
 * Instance normalization (Ulyanov et al., 2016): for x of shape [N, C, L, ...]
 * each (sample, channel) pair is normalized over its positions (axes 2 and
 * later), as in style transfer. weight and bias: one per channel (optional).
 */
export function instanceNorm(x: Tensor, weight?: Tensor | null, bias?: Tensor | null, eps = 1e-5): Tensor {
  checkPositive("instanceNorm", "eps", eps);
  if (x.ndim < 3) fail("instanceNorm", `input must be [N, C, L, ...], got ${fmtShape(x.shape)}`);
  const positions = x.shape.slice(2).reduce((a, b) => a * b, 1);
  if (positions < 2) fail("instanceNorm", `expected more than 1 spatial element per channel, got input ${fmtShape(x.shape)}`);
  checkPerChannel("instanceNorm", x.shape[1], { weight, bias });
  const axes = x.shape.slice(2).map((_, i) => i + 2);
  return channelAffine(standardize(x, axes, eps), weight, bias);
}
