import { fail } from "../../core/errors";
import type { Optimizer, ParamGroup } from "../optimizer";

/** A group of an optimizer with momentum (SGD, RMSprop) or betas (Adam family). */
type MomentumGroup = ParamGroup & { momentum?: number; betas?: readonly [number, number] };

/**
 * Where a cyclic schedule writes its momentum (OneCycleLR, CyclicLR): Adam's
 * beta1 for optimizers with betas, else SGD's momentum. Refuses an optimizer
 * with neither, naming the option that turns cycling off.
 */
export function momentumSetter(op: string, optimizer: Optimizer): (groupIndex: number, momentum: number) => void {
  const useBeta1 = "betas" in optimizer.defaults;
  if (!useBeta1 && !("momentum" in optimizer.defaults)) {
    fail(op, `optimizer ${optimizer.name} has neither momentum nor betas; pass cycleMomentum: false`);
  }
  return (i, momentum) => {
    const group = optimizer.paramGroups[i] as MomentumGroup;
    if (useBeta1 && group.betas !== undefined) group.betas = [momentum, group.betas[1]];
    else group.momentum = momentum;
  };
}
