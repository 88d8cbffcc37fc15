import { promote } from "../core/dtype";
import { sizeOf } from "../core/shape";
import { kernels } from "../backend";
import { record } from "../autograd/record";
import { astype, empty } from "../ops/convert";
import { sumToShape } from "../ops/reduce";
import type { Tensor } from "../tensor";

/**
 * y = x · weightᵀ + bias as one primitive, for x [..., in] (its leading axes
 * taken as rows), weight [out, in] and bias [out]. With g = dLoss/dy as
 * [rows, out]:
 *
 *   dx = g · weight        dweight = gᵀ · x        dbias = Σ_rows g  (sumToShape)
 *
 * NOTE: fused for speed. The product starts from the bias copied into every
 * row, and the matrix kernel adds x·weightᵀ onto it; the composed form
 * (matmul, then a broadcast add) makes one more pass over y, with its own
 * allocation, and its backward one more reduction op. Same math: the tests
 * compare the two, and the gradient checks of linear and nn.Linear run through this.
 */
export function fusedLinear(x: Tensor, weight: Tensor, bias: Tensor): Tensor {
  const [outF, inF] = weight.shape;
  const rows = sizeOf(x.shape.slice(0, -1));
  const dtype = promote(promote(x.dtype, weight.dtype), bias.dtype);
  // Tensors, not their arrays, for the backward rule: reading one that tidy() has freed since throws, never shows stale values.
  const xs = astype(x, dtype);
  const ws = astype(weight, dtype);
  const B = astype(bias, dtype).data;
  const out = empty([...x.shape.slice(0, -1), outF], dtype);
  const k = kernels();
  for (let r = 0; r < rows; r++) out.data.set(B, r * outF);
  k.gemm(xs.data, 0, false, ws.data, 0, true, out.data, 0, rows, inF, outF, true);

  return record("linear", [x, weight, bias], out, (g) => {
    const G = g.data;
    const dx = x.requiresGrad ? empty(x.shape, dtype) : null;
    if (dx) k.gemm(G, 0, false, ws.data, 0, false, dx.data, 0, rows, outF, inF, false);
    const dWeight = weight.requiresGrad ? empty(weight.shape, dtype) : null;
    if (dWeight) k.gemm(G, 0, true, xs.data, 0, false, dWeight.data, 0, outF, rows, inF, false);
    return [dx, dWeight, bias.requiresGrad ? sumToShape(g, bias.shape) : null];
  });
}
