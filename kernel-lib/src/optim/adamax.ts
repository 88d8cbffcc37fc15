import type { Tensor } from "../tensor";
import { type FloatArray, type ParamGroup, type ParamGroupSpec, Optimizer, withDefaults } from "./optimizer";
import { checkBetas, checkEps, checkLr, checkWeightDecay } from "./validate";

export interface AdamaxOptions {
  /** Step size. Default 2e-3. */
  lr: number;
  /** [beta1, beta2]: decay of the first moment and of the infinity norm. Default [0.9, 0.999]. */
  betas: readonly [number, number];
  /** Added to |g| so the norm is never 0. Default 1e-8. */
  eps: number;
  /** L2 penalty added to the gradient. Default 0. */
  weightDecay: number;
}

export type AdamaxState = { step: number; expAvg: FloatArray; expInf: FloatArray };

/**
 * Adamax (Kingma & Ba, 2015, §7.1; torch.optim.Adamax): Adam with the
 * second-moment average replaced by an exponentially weighted infinity norm,
 * which needs no bias correction and is robust to rare huge gradients.
 *
 *   for each step t = state.step:
 *     g ← grad + weightDecay·p                        (if weightDecay ≠ 0)
 *     m ← beta1·m + (1 − beta1)·g                     (state.expAvg)
 *     u ← max(beta2·u, |g| + eps)                     (state.expInf)
 *     p ← p − lr·m / ((1 − beta1ᵗ)·u)
 *
 * Defaults: lr 2e-3, betas [0.9, 0.999], eps 1e-8, weightDecay 0.
 *
 * Lesson: notebooks/src/06-optimizers.ts §5 (Adam)
 */
export class Adamax extends Optimizer<AdamaxOptions, AdamaxState> {
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupSpec<AdamaxOptions>>, options: Partial<AdamaxOptions> = {}) {
    super(params, withDefaults<AdamaxOptions>({ lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 }, options));
  }

  protected override validate(h: AdamaxOptions): void {
    checkLr(this.name, h.lr);
    checkEps(this.name, h.eps);
    checkBetas(this.name, h.betas);
    checkWeightDecay(this.name, h.weightDecay);
  }

  protected initState(param: FloatArray): AdamaxState {
    return { step: 0, expAvg: this.stateBuffer(param), expInf: this.stateBuffer(param) };
  }

  protected updateParameter(p: FloatArray, grad: FloatArray, state: AdamaxState, group: ParamGroup<AdamaxOptions>): void {
    const { lr, eps, weightDecay } = group;
    const [beta1, beta2] = group.betas;
    const clr = lr / (1 - beta1 ** state.step);
    const { expAvg: m, expInf: u } = state;
    for (let i = 0; i < p.length; i++) {
      const g = grad[i] + weightDecay * p[i];
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      u[i] = Math.max(beta2 * u[i], Math.abs(g) + eps);
      p[i] -= (clr * m[i]) / u[i];
    }
  }
}
