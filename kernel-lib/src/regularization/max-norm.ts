import { fail, fmtShape } from "../core/errors";
import type { Tensor } from "../tensor";

/**
 * Max-norm constraint (lesson 8): after each optimizer step, rescale every
 * unit's incoming weight vector w so that ‖w‖₂ ≤ maxValue. For a Linear
 * weight of shape [out, in] the incoming vector of unit j is row j (Keras's
 * `MaxNorm` on a [in, out] kernel uses axis 0 for the same thing).
 * Returns how many rows were rescaled.
 */
export function maxNorm_(weight: Tensor, maxValue: number): number {
  if (!(maxValue > 0)) fail("maxNorm_", `maxValue must be > 0, got ${maxValue}`);
  if (weight.ndim !== 2) fail("maxNorm_", `expects a 2-D weight [out, in], got ${fmtShape(weight.shape)}`);
  const [rows, cols] = weight.shape;
  const w = weight.data;
  let clipped = 0;
  for (let r = 0; r < rows; r++) {
    let sq = 0;
    for (let c = 0; c < cols; c++) sq += w[r * cols + c] ** 2;
    const norm = Math.sqrt(sq);
    if (norm > maxValue) {
      const scale = maxValue / norm;
      for (let c = 0; c < cols; c++) w[r * cols + c] *= scale;
      clipped++;
    }
  }
  return clipped;
}
