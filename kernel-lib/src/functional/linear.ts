import { fail, fmtShape } from "../core/errors";
import { checkLinearShapes, matmulTransposedB } from "../ops/matmul";
import { add } from "../ops/elementwise";
import { reshape } from "../ops/shape";
import type { Tensor } from "../tensor";
import { checkLayerDtype } from "../nn/layer-dtype";
import { fusedLinear } from "./linear-fused";

/**
 * The affine map of a fully connected layer: y = x · weightᵀ + bias, with
 * `weight` stored [outFeatures, inFeatures] like PyTorch (each row is one
 * output unit's weights) and x of shape [..., inFeatures]. A 1-D x is one sample.
 * Lesson: notebooks/src/01-why-deep-is-hard.ts §1 (the recipe so far)
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  checkBias(weight, bias);
  const single = x.ndim === 1;
  const x2 = single ? reshape(x, [1, x.shape[0]]) : x;
  checkLinearShapes(x2, weight);
  checkLayerDtype("linear", x2, weight);
  // With a bias, one fused op (linear-fused.ts), tested against linearComposed.
  const out = bias ? fusedLinear(x2, weight, bias) : matmulTransposedB(x2, weight);
  return single ? reshape(out, [weight.shape[0]]) : out;
}

/**
 * `linear` composed from two primitives, matmulTransposedB(x, weight) + bias
 * (broadcast over the rows; autograd sums the bias gradient over them): the
 * reference the fused primitive (linear-fused.ts) is tested against.
 */
export function linearComposed(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  const single = x.ndim === 1;
  const x2 = single ? reshape(x, [1, x.shape[0]]) : x;
  checkLinearShapes(x2, weight);
  checkBias(weight, bias);
  const out = bias ? add(matmulTransposedB(x2, weight), bias) : matmulTransposedB(x2, weight);
  return single ? reshape(out, [weight.shape[0]]) : out;
}

function checkBias(weight: Tensor, bias: Tensor | null | undefined): void {
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== weight.shape[0])) {
    fail("linear", `bias ${fmtShape(bias.shape)} must have one entry per output feature (weight ${fmtShape(weight.shape)})`);
  }
}
