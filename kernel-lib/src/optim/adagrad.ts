import type { Tensor } from "../tensor";
import { type FloatArray, type ParamGroup, type ParamGroupSpec, Optimizer, withDefaults } from "./optimizer";
import { checkEps, checkLr, checkNonNegative, checkWeightDecay } from "./validate";

export interface AdagradOptions {
  /** Step size. Default 1e-2. */
  lr: number;
  /** Learning-rate decay per step: the step size is lr / (1 + (t − 1)·lrDecay). Default 0. */
  lrDecay: number;
  /** L2 penalty added to the gradient. Default 0. */
  weightDecay: number;
  /** Starting value of the sum of squared gradients. Default 0. */
  initialAccumulatorValue: number;
  /** Added to the denominator for stability. Default 1e-10. */
  eps: number;
}

export type AdagradState = { step: number; sum: FloatArray };

/**
 * Adagrad (Duchi et al., 2011; torch.optim.Adagrad): each coordinate's step is
 * divided by the root of the sum of all its squared gradients, so frequently
 * updated coordinates slow down. The sum only grows, so the effective step
 * shrinks forever: good for sparse features and convex problems, too
 * aggressive for long deep-network training (RMSprop and Adam fix that).
 *
 *   sum ← initialAccumulatorValue                     (at the first step; state.sum)
 *   for each step t = state.step:
 *     clr ← lr / (1 + (t − 1)·lrDecay)
 *     g   ← grad + weightDecay·p                      (if weightDecay ≠ 0)
 *     sum ← sum + g²
 *     p   ← p − clr·g / (√sum + eps)
 *
 * Defaults: lr 1e-2, lrDecay 0, weightDecay 0, initialAccumulatorValue 0, eps 1e-10.
 *
 * Lesson: notebooks/src/06-optimizers.ts §4 (adaptive learning rates)
 */
export class Adagrad extends Optimizer<AdagradOptions, AdagradState> {
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupSpec<AdagradOptions>>, options: Partial<AdagradOptions> = {}) {
    super(params, withDefaults({ lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10 }, options));
  }

  protected override validate(h: AdagradOptions): void {
    checkLr(this.name, h.lr);
    checkNonNegative(this.name, "lrDecay", h.lrDecay);
    checkWeightDecay(this.name, h.weightDecay);
    checkNonNegative(this.name, "initialAccumulatorValue", h.initialAccumulatorValue);
    checkEps(this.name, h.eps);
  }

  protected initState(param: FloatArray, group: ParamGroup<AdagradOptions>): AdagradState {
    return { step: 0, sum: this.stateBuffer(param).fill(group.initialAccumulatorValue) };
  }

  protected updateParameter(p: FloatArray, grad: FloatArray, state: AdagradState, group: ParamGroup<AdagradOptions>): void {
    const { lr, lrDecay, weightDecay, eps } = group;
    const clr = lr / (1 + (state.step - 1) * lrDecay);
    const sum = state.sum;
    for (let i = 0; i < p.length; i++) {
      const g = grad[i] + weightDecay * p[i];
      sum[i] += g * g;
      p[i] -= (clr * g) / (Math.sqrt(sum[i]) + eps);
    }
  }
}
