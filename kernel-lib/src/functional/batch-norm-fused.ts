import type { TypedArray } from "../core/dtype";
import { kernels } from "../backend";
import { record } from "../autograd/record";
import { empty } from "../ops/convert";
import type { Tensor } from "../tensor";

/** Per-channel statistics: the batch's (training) or the running ones (evaluation). */
export interface ChannelStats {
  mean: Float64Array;
  /** Biased variance (divided by m). */
  variance: Float64Array;
}

/**
 * Batch normalization as one primitive, for x of shape [N, C, ...]:
 *
 *   stats = running ?? batch moments of x      (mean, biased variance per channel)
 *   x̂ = (x − mean) · invStd,  invStd = 1/√(variance + eps)
 *   out = weight · x̂ + bias                    (weight, bias optional)
 *
 * and its backward, with m = N·L values per channel and g = dLoss/dout:
 *
 *   dbias = Σ g,  dweight = Σ g·x̂
 *   dx = weight·invStd·(g − dbias/m − x̂·dweight/m)   (batch statistics: the
 *        mean and variance depend on x, which adds the two subtracted terms)
 *   dx = weight·invStd·g                               (running statistics)
 *
 * NOTE: fused for speed. The composed form in batch-norm.ts (mean, variance,
 * sub, div, sqrt, mul, add) makes about ten passes over x forward and as many
 * backward, each allocating a tensor and reading through broadcast index maps;
 * this makes three forward and two backward. Same math: the gradient checks
 * of batchNorm and BatchNorm1d verify this path. Returns the batch statistics
 * it computed (null when `running` was given), for the running averages.
 */
export function fusedBatchNorm(
  x: Tensor, weight: Tensor | null, bias: Tensor | null, eps: number, running: { mean: TypedArray; variance: TypedArray } | null,
): { out: Tensor; batch: ChannelStats | null } {
  const channels = x.shape[1];
  const inner = x.shape.slice(2).reduce((a, b) => a * b, 1);
  const k = kernels();
  const stats: ChannelStats = running
    ? { mean: Float64Array.from(running.mean), variance: Float64Array.from(running.variance) }
    : { mean: new Float64Array(channels), variance: new Float64Array(channels) };
  if (!running) k.channelMoments(x.data, channels, inner, stats.mean, stats.variance);
  const { mean } = stats;
  const invStd = stats.variance.map((v) => 1 / Math.sqrt(v + eps));
  const out = empty(x.shape, x.dtype);
  k.channelNormalize(x.data, channels, inner, mean, invStd, weight?.data ?? null, bias?.data ?? null, out.data);

  const training = running === null;
  const inputs = [x, weight, bias].filter((t): t is Tensor => t !== null);
  record("batchNorm", inputs, out, (g) => {
    const dx = x.requiresGrad ? empty(x.shape, x.dtype) : null;
    const dWeight = weight?.requiresGrad ? empty(weight.shape, weight.dtype) : null;
    const dBias = bias?.requiresGrad ? empty(bias.shape, bias.dtype) : null;
    k.batchNormBackward(g.data, x.data, channels, inner, mean, invStd, weight?.data ?? null, training, dx?.data ?? null, dWeight?.data ?? null, dBias?.data ?? null);
    const grads = new Map<Tensor | null, Tensor | null>([[x, dx], [weight, dWeight], [bias, dBias]]);
    return inputs.map((t) => grads.get(t) ?? null);
  });
  return { out, batch: running ? null : stats };
}
