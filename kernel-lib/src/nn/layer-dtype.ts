import { fail } from "../core/errors";
import type { Tensor } from "../tensor";

/**
 * Refuses a layer whose weights and input differ in dtype, as PyTorch does
 * ("mat1 and mat2 must have the same dtype"). Arithmetic alone would promote
 * to float64 silently, and a float32 model fed float64 data would then run
 * (slowly) in float64 while its parameters stay float32; a float64 model fed
 * float32 data would hide that the data lost precision before it arrived.
 */
export function checkLayerDtype(op: string, input: Tensor, weight: Tensor): void {
  if (input.dtype === weight.dtype) return;
  fail(
    op,
    `input is ${input.dtype} but the layer's weight is ${weight.dtype}: a layer and its input must have one dtype. ` +
      `Convert the input (x.to("${weight.dtype}")) or the model (model.to({ dtype: "${input.dtype}" }), or model.double() / model.float())`,
  );
}
