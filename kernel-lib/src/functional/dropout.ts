import { kernels } from "../backend";
import { floatType } from "../core/dtype";
import { type Generator, defaultGenerator } from "../core/random";
import { add, mul } from "../ops/elementwise";
import { empty } from "../ops/convert";
import type { Tensor } from "../tensor";
import { SELU_ALPHA, SELU_SCALE } from "./activations";
import { checkUnitInterval } from "../core/validate";

export interface DropoutOptions {
  /** Drop only in training; in evaluation the input is returned unchanged. */
  training?: boolean;
  generator?: Generator;
}

/** Refuses a drop probability outside [0, 1]. */
export function checkDropoutProbability(op: string, p: number): void {
  checkUnitInterval(op, "dropout probability", p);
}

/**
 * Fills a float tensor shaped like x with `keep` (probability 1 − p) or 0
 * (drop, probability p): one independent Bernoulli draw per element, made
 * from the generator's next uniform() draws by a kernel (backend/bernoulli.ts),
 * so the mask is the same whichever kernels run.
 */
export function keepMask(x: Tensor, p: number, generator: Generator, keep = 1): Tensor {
  const mask = empty(x.shape, floatType(x.dtype));
  const { s, spare } = generator.getState();
  const words = Uint32Array.from(s);
  kernels().bernoulliMask(words, p, keep, mask.data);
  generator.setState({ s: Array.from(words), spare });
  return mask;
}

/**
 * Inverted dropout (Srivastava et al., 2014): each element is zeroed with
 * probability p (default 0.5) and the kept ones are scaled by 1/(1 − p), so
 * E[dropout(x)] = x and evaluation needs no rescaling: with
 * training = false (default true, as F.dropout) it is the identity.
 * p = 1 gives zeros.
 * Lesson: notebooks/src/08-regularization.ts §5 (dropout)
 *
 *   dropout(x, 0.2, { training: model.training })
 */
export function dropout(x: Tensor, p = 0.5, options: DropoutOptions = {}): Tensor {
  checkDropoutProbability("dropout", p);
  if (!(options.training ?? true) || p === 0) return x;
  if (p === 1) return mul(x, 0);
  const mask = keepMask(x, p, options.generator ?? defaultGenerator, 1 / (1 - p));
  return mul(x, mask);
}

/**
 * Alpha dropout (Klambauer et al., 2017), for SELU networks: dropping to 0
 * would shift the mean and variance that SELU keeps at 0 and 1, so dropped
 * units are set to SELU's negative saturation α' = −SELU_SCALE · SELU_ALPHA
 * instead, and an affine map a·x + b restores mean 0 and variance 1:
 *
 *   a = ((1 − p) · (1 + p · α'²))^(−1/2),   b = −a · α' · p
 *
 * i.e. y = a · (keep ? x : α') + b. Identity when training = false (the
 * default, as F.alpha_dropout) or p = 0; p = 1 gives zeros.
 */
export function alphaDropout(x: Tensor, p = 0.5, options: DropoutOptions = {}): Tensor {
  checkDropoutProbability("alphaDropout", p);
  if (!(options.training ?? false) || p === 0) return x;
  if (p === 1) return mul(x, 0);
  const alphaPrime = -SELU_SCALE * SELU_ALPHA;
  const a = 1 / Math.sqrt((1 - p) * (1 + p * alphaPrime * alphaPrime));
  const b = -a * alphaPrime * p;
  // y = x · (a · keep) + (a · α' · (1 − keep) + b): one mask for the scale, one for the shift.
  const scale = keepMask(x, p, options.generator ?? defaultGenerator);
  const shift = empty(scale.shape, scale.dtype);
  const s = scale.data;
  const t = shift.data;
  for (let i = 0; i < s.length; i++) {
    t[i] = s[i] === 1 ? b : a * alphaPrime + b;
    s[i] *= a;
  }
  return add(mul(x, scale), shift);
}
