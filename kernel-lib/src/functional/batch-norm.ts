import { fail, fmtShape } from "../core/errors";
import { checkPositive, checkUnitInterval } from "../core/validate";
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
 * Gradients flow through μ_B and σ²_B. `batchNormComposed` (below) spells
 * out these equations with mean and variance; the common case runs them as
 * one fused primitive (batch-norm-fused.ts), tested against it.
 *
 *   const y = F.batchNorm(x, runningMean, runningVar, weight, bias, { training: true });
 *
 * Lesson: notebooks/src/04-batch-normalization.ts §3 (the algorithm), §4 (the backward pass)
 */
export function batchNorm(
  x: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  weight?: Tensor | null,
  bias?: Tensor | null,
  options: BatchNormOptions = {},
): Tensor {
  const o = checkBatchNorm(x, runningMean, runningVar, weight, bias, options);
  const useBatch = o.training || runningMean === null || runningVar === null;
  if (!fusable(x, weight, bias, useBatch ? null : [runningMean!, runningVar!])) {
    return composed(x, runningMean, runningVar, weight, bias, o);
  }
  const running = useBatch ? null : { mean: runningMean!.data, variance: runningVar!.data };
  const { out, batch } = fusedBatchNorm(x, weight ?? null, bias ?? null, o.eps, running);
  if (o.training && batch && runningMean !== null && runningVar !== null) {
    updateRunningStats(runningMean, runningVar, batch.mean, batch.variance, o.momentum, x.size / x.shape[1]);
  }
  return out;
}

/**
 * The equations of `batchNorm`, composed from mean, variance and elementwise
 * primitives (autograd derives the backward): the reference the fused
 * primitive is tested against, and the path for what it does not cover
 * (mixed dtypes, running statistics that require grad). Same arguments and
 * results as `batchNorm`, running statistics updated in place included.
 */
export function batchNormComposed(
  x: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  weight?: Tensor | null,
  bias?: Tensor | null,
  options: BatchNormOptions = {},
): Tensor {
  return composed(x, runningMean, runningVar, weight, bias, checkBatchNorm(x, runningMean, runningVar, weight, bias, options));
}

function composed(
  x: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, weight: Tensor | null | undefined, bias: Tensor | null | undefined,
  { training, momentum, eps }: Required<BatchNormOptions>,
): Tensor {
  const perChannel = [1, x.shape[1], ...new Array<number>(x.ndim - 2).fill(1)];
  const axes = x.shape.map((_, i) => i).filter((i) => i !== 1);
  let mu: Tensor;
  let sigma2: Tensor;
  if (training || runningMean === null || runningVar === null) {
    mu = mean(x, axes, { keepdims: true });
    sigma2 = variance(x, axes, { unbiased: false, keepdims: true });
    if (training && runningMean !== null && runningVar !== null) {
      updateRunningStats(runningMean, runningVar, mu.data, sigma2.data, momentum, x.size / x.shape[1]);
    }
  } else {
    mu = reshape(runningMean, perChannel);
    sigma2 = reshape(runningVar, perChannel);
  }
  const xHat = div(sub(x, mu), sqrt(add(sigma2, eps)));
  return channelAffine(xHat, weight, bias);
}

/** Every check of batchNorm's arguments, once; returns the options with their defaults. */
function checkBatchNorm(
  x: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, weight: Tensor | null | undefined, bias: Tensor | null | undefined,
  options: BatchNormOptions,
): Required<BatchNormOptions> {
  const o = { training: options.training ?? false, momentum: options.momentum ?? 0.1, eps: options.eps ?? 1e-5 };
  if (x.ndim < 2) fail("batchNorm", `input must be [N, C] or [N, C, L], got ${fmtShape(x.shape)}`);
  checkUnitInterval("batchNorm", "momentum", o.momentum);
  checkPositive("batchNorm", "eps", o.eps);
  if ((runningMean === null) !== (runningVar === null)) fail("batchNorm", "pass both runningMean and runningVar, or neither (null)");
  const channels = x.shape[1];
  if (o.training && x.size / channels <= 1) {
    fail("batchNorm", `Expected more than 1 value per channel when training, got input size ${fmtShape(x.shape)}; use a batch of at least 2, or eval() mode`);
  }
  checkPerChannel("batchNorm", channels, { weight, bias, runningMean, runningVar });
  return o;
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
  runningMean: Tensor, runningVar: Tensor, mu: ArrayLike<number>, sigma2: ArrayLike<number>, momentum: number, m: number,
): void {
  const bessel = m / (m - 1);
  noGrad(() => {
    const rm = runningMean.data;
    const rv = runningVar.data;
    for (let c = 0; c < rm.length; c++) {
      rm[c] = (1 - momentum) * rm[c] + momentum * mu[c];
      rv[c] = (1 - momentum) * rv[c] + momentum * sigma2[c] * bessel;
    }
  });
}
