import { fail, fmtShape } from "../core/errors";
import { noGrad } from "../autograd/grad-mode";
import { add, div, sqrt, sub } from "../ops/elementwise";
import { mean, variance } from "../ops/reduce";
import { reshape } from "../ops/shape";
import type { Tensor } from "../tensor";
import { channelAffine, checkPerChannel } from "./normalization";
import { fusedBatchNorm } from "./batch-norm-fused";

export interface BatchNormOptions {
  /** Use the batch's statistics and update the running ones (default false, as F.batch_norm). */
  training?: boolean;
  /** Weight of the new batch in the running averages; default 0.1. */
  momentum?: number;
  /** Added to the variance before the square root; default 1e-5. */
  eps?: number;
}

/**
 * Batch normalization (Ioffe & Szegedy, 2015) for x of shape [N, C] or
 * [N, C, L]: each channel c is normalized with statistics over every axis
 * but 1 (the batch and, for [N, C, L], the positions). With m = N·L values
 * per channel, in training:
 *
 *   μ_B  = (1/m) Σ xᵢ                       (batch mean)
 *   σ²_B = (1/m) Σ (xᵢ − μ_B)²              (biased batch variance)
 *   x̂ᵢ   = (xᵢ − μ_B) / √(σ²_B + eps)       (normalize)
 *   yᵢ   = weight · x̂ᵢ + bias               (scale and shift: γ, β)
 *
 * and the running statistics are updated in place,
 *   running = (1 − momentum) · running + momentum · batchStatistic,
 * where runningVar receives the UNBIASED variance σ²_B · m/(m − 1), as
 * PyTorch does, while x̂ uses the biased one. In evaluation
 * (training = false) μ and σ² are runningMean and runningVar, so the output
 * of a sample does not depend on the rest of the batch. Running stats may be
 * null: then the batch statistics are always used.
 * Gradients flow through μ_B and σ²_B. Below, the composition from mean and
 * variance spells out these equations; the common case runs them as one fused
 * primitive (batch-norm-fused.ts) with the same math.
 * Lesson: normalization layers.
 */
export function batchNorm(
  x: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  weight?: Tensor | null,
  bias?: Tensor | null,
  options: BatchNormOptions = {},
): Tensor {
  const training = options.training ?? false;
  const momentum = options.momentum ?? 0.1;
  const eps = options.eps ?? 1e-5;
  if (x.ndim < 2) fail("batchNorm", `input must be [N, C] or [N, C, L], got ${fmtShape(x.shape)}`);
  if (!(momentum >= 0 && momentum <= 1)) fail("batchNorm", `momentum must be in [0, 1], got ${momentum}`);
  if (!(eps > 0)) fail("batchNorm", `eps must be positive, got ${eps}`);
  if ((runningMean === null) !== (runningVar === null)) fail("batchNorm", "pass both runningMean and runningVar, or neither (null)");
  const channels = x.shape[1];
  const perChannel = [1, channels, ...new Array<number>(x.ndim - 2).fill(1)];
  const axes = x.shape.map((_, i) => i).filter((i) => i !== 1);
  const m = x.size / channels;
  if (training && m <= 1) {
    fail("batchNorm", `Expected more than 1 value per channel when training, got input size ${fmtShape(x.shape)}; use a batch of at least 2, or eval() mode`);
  }
  const useBatch = training || runningMean === null || runningVar === null;
  if (weight) checkPerChannel("batchNorm", "weight", weight, channels);
  if (bias) checkPerChannel("batchNorm", "bias", bias, channels);
  if (!useBatch) {
    checkPerChannel("batchNorm", "runningMean", runningMean!, channels);
    checkPerChannel("batchNorm", "runningVar", runningVar!, channels);
  }
  if (fusable(x, weight, bias, useBatch ? null : [runningMean!, runningVar!])) {
    const running = useBatch ? null : { mean: runningMean!.data, variance: runningVar!.data };
    const { out, batch } = fusedBatchNorm(x, weight ?? null, bias ?? null, eps, running);
    if (training && batch && runningMean !== null && runningVar !== null) {
      updateRunningStats(runningMean, runningVar, batch.mean, batch.variance, momentum, m, channels);
    }
    return out;
  }

  let mu: Tensor;
  let sigma2: Tensor;
  if (useBatch) {
    mu = mean(x, axes, { keepdims: true });
    sigma2 = variance(x, axes, { unbiased: false, keepdims: true });
    if (training && runningMean !== null && runningVar !== null) {
      updateRunningStats(runningMean, runningVar, mu.data, sigma2.data, momentum, m, channels);
    }
  } else {
    mu = reshape(checkPerChannel("batchNorm", "runningMean", runningMean, channels), perChannel);
    sigma2 = reshape(checkPerChannel("batchNorm", "runningVar", runningVar, channels), perChannel);
  }
  const xHat = div(sub(x, mu), sqrt(add(sigma2, eps)));
  return channelAffine("batchNorm", xHat, weight, bias);
}

/**
 * The fused primitive covers float tensors of one dtype whose statistics are
 * not themselves being differentiated (running stats are buffers, not parameters).
 */
function fusable(x: Tensor, weight: Tensor | null | undefined, bias: Tensor | null | undefined, running: Tensor[] | null): boolean {
  const others = [weight, bias, ...(running ?? [])].filter((t): t is Tensor => !!t);
  if (x.dtype === "int32" || others.some((t) => t.dtype !== x.dtype)) return false;
  return !(running ?? []).some((t) => t.requiresGrad);
}

/** running ← (1 − momentum) · running + momentum · batch statistic, with Bessel's correction m/(m−1) for the variance. */
function updateRunningStats(
  runningMean: Tensor, runningVar: Tensor, mu: ArrayLike<number>, sigma2: ArrayLike<number>, momentum: number, m: number, channels: number,
): void {
  checkPerChannel("batchNorm", "runningMean", runningMean, channels);
  checkPerChannel("batchNorm", "runningVar", runningVar, channels);
  const bessel = m / (m - 1);
  noGrad(() => {
    const rm = runningMean.data;
    const rv = runningVar.data;
    for (let c = 0; c < channels; c++) {
      rm[c] = (1 - momentum) * rm[c] + momentum * mu[c];
      rv[c] = (1 - momentum) * rv[c] + momentum * sigma2[c] * bessel;
    }
  });
}
