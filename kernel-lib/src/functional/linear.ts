import { fail, fmtShape } from "../core/errors";
import { add } from "../ops/elementwise";
import { matmulTransposedB } from "../ops/matmul";
import { reshape } from "../ops/shape";
import type { Tensor } from "../tensor";

/**
 * The affine map of a fully connected layer: y = x · weightᵀ + bias, with
 * `weight` stored [outFeatures, inFeatures] like PyTorch (each row is one
 * output unit's weights) and x of shape [..., inFeatures]. A 1-D x is one sample.
 * Lesson: the multilayer perceptron.
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== weight.shape[0])) {
    fail("linear", `bias ${fmtShape(bias.shape)} must have one entry per output feature (weight ${fmtShape(weight.shape)})`);
  }
  const single = x.ndim === 1;
  const y = matmulTransposedB(single ? reshape(x, [1, x.shape[0]]) : x, weight);
  const out = bias ? add(y, bias) : y;
  return single ? reshape(out, [weight.shape[0]]) : out;
}
