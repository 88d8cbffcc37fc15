import { floatType } from "../../core/dtype";
import type { Generator } from "../../core/random";
import { randn } from "../../ops/creation";
import { add, mul } from "../../ops/elementwise";
import type { Tensor } from "../../tensor";
import { pickGenerator } from "../sampling";
import { checkNonNegative } from "../../core/validate";

/**
 * Jitters tabular inputs: x + std · ε with ε ~ N(0, I) of x's shape, a new
 * draw on every call (Lesson: notebooks/src/08-regularization.ts §9 (data augmentation); adding
 * input noise acts much like an L2 penalty on the weights, Bishop 1995).
 * Pick `std` relative to the features' scale, e.g. 0.1 after a
 * StandardScaler. Built from randn, mul and add, so gradients flow to x.
 *
 *   const xb2 = gaussianNoise(xb, 0.1, { generator: g });
 */
export function gaussianNoise(x: Tensor, std: number, options: { generator?: Generator } = {}): Tensor {
  checkNonNegative("gaussianNoise", "std", std);
  const eps = randn(x.shape, { dtype: floatType(x.dtype), generator: pickGenerator(options.generator) });
  return add(x, mul(eps, std));
}
