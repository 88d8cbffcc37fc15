import { floatType } from "../core/dtype";
import { fail, fmtShape } from "../core/errors";
import { type Generator, defaultGenerator } from "../core/random";
import { add, clamp, erf, expm1, mul, relu, sigmoid, softplus as softplusStable, tanh, where } from "../ops/elementwise";
import { empty } from "../ops/convert";
import { reshape } from "../ops/shape";
import type { Tensor } from "../tensor";
import { checkFiniteNumber, checkPositive, invalid } from "../core/validate";

/**
 * Activation functions (Lesson: notebooks/src/03-activations.ts §1 (saturation) to §5), composed from the
 * primitives so autograd differentiates them. Piecewise ones pick a branch
 * with `where(x > 0, …)`: the gradient of the branch not taken is zero, so at
 * exactly 0 the derivative is the negative side's (0 for relu), PyTorch's convention.
 */

export { relu, sigmoid, tanh };

/**
 * leakyRelu(x) = x for x > 0, negativeSlope · x otherwise (default 0.01):
 * a small slope keeps gradients flowing for negative inputs ("dying ReLU").
 */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  checkFiniteNumber("leakyRelu", "negativeSlope", negativeSlope);
  return where(x.gt(0), x, mul(x, negativeSlope));
}

/**
 * Parametric ReLU (He et al., 2015): x for x > 0, weight · x otherwise, with
 * a learned slope: `weight` has 1 entry (shared) or C entries, one per
 * channel along axis 1 of x ([N, C, ...]).
 */
export function prelu(x: Tensor, weight: Tensor): Tensor {
  return where(x.gt(0), x, mul(x, slopeShape(x, weight)));
}

/** A [C] weight as [C, 1, …, 1] so it broadcasts over every axis after the channel axis; 1 entry as a scalar. */
function slopeShape(x: Tensor, weight: Tensor): Tensor {
  if (weight.size === 1) return reshape(weight, []);
  const channels = x.ndim >= 2 ? x.shape[1] : 1;
  if (weight.ndim !== 1 || weight.size !== channels) {
    fail("prelu", `weight ${fmtShape(weight.shape)} must have 1 entry or one per channel (axis 1 of input ${fmtShape(x.shape)}: ${channels})`);
  }
  return reshape(weight, [channels, ...new Array<number>(x.ndim - 2).fill(1)]);
}

export interface RReluOptions {
  /** Range of the random negative slope; defaults 1/8 and 1/3 as in PyTorch. */
  lower?: number;
  upper?: number;
  /** Default false: the fixed slope (lower + upper) / 2, as F.rrelu. */
  training?: boolean;
  generator?: Generator;
}

/**
 * Randomized leaky ReLU (Xu et al., 2015): x for x ≥ 0, a · x otherwise, with
 * a ~ U(lower, upper) drawn per element in training (a regularizer) and the
 * mean slope (lower + upper) / 2 in evaluation.
 */
export function rrelu(x: Tensor, options: RReluOptions = {}): Tensor {
  const lower = options.lower ?? 1 / 8;
  const upper = options.upper ?? 1 / 3;
  if (!(lower <= upper) || !Number.isFinite(lower) || !Number.isFinite(upper)) {
    fail("rrelu", `need finite lower ≤ upper, got lower=${lower}, upper=${upper}`);
  }
  if (!(options.training ?? false)) return leakyRelu(x, (lower + upper) / 2);
  const g = options.generator ?? defaultGenerator;
  const slopes = empty(x.shape, floatType(x.dtype));
  const d = slopes.data;
  for (let i = 0; i < d.length; i++) d[i] = lower + (upper - lower) * g.uniform();
  return where(x.ge(0), x, mul(x, slopes));
}

/** expm1 of the negative part only: e^x − 1 for x ≤ 0 and 0 above, so large x never overflow (Inf · 0 = NaN in backward). */
function expm1OfNegativePart(x: Tensor): Tensor {
  return expm1(clamp(x, -Infinity, 0));
}

/** ELU (Clevert et al., 2016): x for x > 0, alpha · (eˣ − 1) otherwise (default alpha = 1); smooth, with mean activations nearer 0. */
export function elu(x: Tensor, alpha = 1): Tensor {
  return where(x.gt(0), x, mul(expm1OfNegativePart(x), alpha));
}

/** SELU's constants (Klambauer et al., 2017), chosen so that mean 0, variance 1 is a fixed point. */
export const SELU_ALPHA = 1.6732632423543772848170429916717;
export const SELU_SCALE = 1.0507009873554804934193349852946;

/** selu(x) = SELU_SCALE · elu(x, SELU_ALPHA): self-normalizing with lecunNormal_ weights. */
export function selu(x: Tensor): Tensor {
  return mul(elu(x, SELU_ALPHA), SELU_SCALE);
}

/** CELU (Barron, 2017): x for x > 0, alpha · (e^(x/alpha) − 1) otherwise; continuously differentiable for any alpha ≠ 0. */
export function celu(x: Tensor, alpha = 1): Tensor {
  if (alpha === 0 || !Number.isFinite(alpha)) invalid("celu", "alpha", alpha, "a non-zero finite number");
  return where(x.gt(0), x, mul(expm1(clamp(mul(x, 1 / alpha), -Infinity, 0)), alpha));
}

export interface GeluOptions {
  /** "none" (default): the exact x · Φ(x); "tanh": Hendrycks & Gimpel's tanh approximation. */
  approximate?: "none" | "tanh";
}

/**
 * GELU (Hendrycks & Gimpel, 2016): x · Φ(x), the input weighted by the
 * probability that a standard normal is below it.
 *   "none": 0.5 · x · (1 + erf(x / √2))
 *   "tanh": 0.5 · x · (1 + tanh(√(2/π) · (x + 0.044715 · x³)))
 */
export function gelu(x: Tensor, options: GeluOptions = {}): Tensor {
  const approximate = options.approximate ?? "none";
  let inner: Tensor;
  if (approximate === "none") {
    inner = erf(mul(x, Math.SQRT1_2));
  } else if (approximate === "tanh") {
    inner = tanh(mul(add(x, mul(mul(mul(x, x), x), 0.044715)), Math.sqrt(2 / Math.PI)));
  } else {
    return invalid("gelu", "approximate", approximate, 'one of "none", "tanh"');
  }
  return mul(mul(x, 0.5), add(inner, 1));
}

/** SiLU / swish (Ramachandran et al., 2017): x · σ(x). */
export function silu(x: Tensor): Tensor {
  return mul(x, sigmoid(x));
}

export interface SoftplusOptions {
  /** Sharpness: softplus(x) = (1/beta) · ln(1 + e^(beta · x)); default 1. */
  beta?: number;
  /** Above beta · x > threshold the function is taken as x (default 20), as in PyTorch. */
  threshold?: number;
}

/** A smooth ReLU: (1/beta) · ln(1 + e^(beta · x)), reverting to x where beta · x > threshold. */
export function softplus(x: Tensor, options: SoftplusOptions = {}): Tensor {
  const beta = options.beta ?? 1;
  const threshold = options.threshold ?? 20;
  checkPositive("softplus", "beta", beta);
  const scaled = mul(x, beta);
  const smooth = beta === 1 ? softplusStable(scaled) : mul(softplusStable(scaled), 1 / beta);
  return where(scaled.gt(threshold), x, smooth);
}

/**
 * Clamps to [minVal, maxVal] (defaults −1, 1): a piecewise-linear tanh.
 *
 * NOTE: the gradient is 1 strictly inside (minVal, maxVal) and 0 at the two
 * kinks themselves, as in PyTorch. That is not `clamp`'s rule (clamp passes
 * the gradient at its bounds, which is right for clamp): here the bounds are
 * constants selected at and beyond each kink, so only x strictly inside has a gradient.
 */
export function hardtanh(x: Tensor, minVal = -1, maxVal = 1): Tensor {
  if (!(minVal < maxVal)) fail("hardtanh", `need minVal < maxVal, got ${minVal} and ${maxVal}`);
  return where(x.le(minVal), minVal, where(x.ge(maxVal), maxVal, x));
}
