import { Tensor } from "../tensor";
import { isScoped } from "../backend/scoped-storage";

/**
 * A tensor that is a module's learnable state, like torch.nn.Parameter:
 * `requiresGrad` is true by default, and assigning one to a property of a
 * Module registers it (it appears in `parameters()`, the optimizer's input).
 * Shares storage with `data` (copies it when `data` was computed inside
 * tidy(), whose memory is freed: a parameter outlives it).
 *
 *   this.weight = new Parameter(zeros([outFeatures, inFeatures]));
 */
export class Parameter extends Tensor {
  constructor(data: Tensor, requiresGrad = true) {
    super(isScoped(data.data) ? data.data.slice() : data.data, data.shape, requiresGrad);
  }

  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }
}
