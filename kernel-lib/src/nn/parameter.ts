import { Tensor } from "../tensor";
import { keep } from "../memory/tidy";

/**
 * A tensor that is a module's learnable state, like torch.nn.Parameter:
 * `requiresGrad` is true by default, and assigning one to a property of a
 * Module registers it (it appears in `parameters()`, the optimizer's input).
 * Shares storage with `data` (moved out of tidy()'s memory first when it
 * was computed inside: a parameter outlives the scope).
 *
 *   this.weight = new Parameter(zeros([outFeatures, inFeatures]));
 */
export class Parameter extends Tensor {
  constructor(data: Tensor, requiresGrad = true) {
    super(keep(data).data, data.shape, requiresGrad);
  }

  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }
}
