import type { Tensor } from "../tensor";
import { type FloatArray, type ParamGroup, type ParamGroupSpec, Optimizer, withDefaults } from "./optimizer";
import { checkBetas, checkEps, checkLr, checkNonNegative, checkWeightDecay } from "./validate";

export interface NAdamOptions {
  /** Step size. Default 2e-3. */
  lr: number;
  /** Decay rates [beta1, beta2] of the moment averages. Default [0.9, 0.999]. */
  betas: readonly [number, number];
  /** Added to the denominator for stability. Default 1e-8. */
  eps: number;
  /** Weight decay λ: an L2 term added to the gradient, or (decoupled) a shrink of p. Default 0. */
  weightDecay: number;
  /** ψ in the momentum schedule μ_t = beta1·(1 − ½·0.96^(t·ψ)). Default 4e-3. */
  momentumDecay: number;
  /** Apply weight decay directly to p, as AdamW does. Default false. */
  decoupledWeightDecay: boolean;
}

export type NAdamState = {
  step: number;
  expAvg: FloatArray;
  expAvgSq: FloatArray;
  /** ∏ μ_i over the steps taken so far. */
  muProduct: number;
};

/**
 * NAdam (Dozat, 2016; torch.optim.NAdam): Adam with Nesterov momentum. The
 * step looks ahead by using next step's momentum coefficient on m and mixing
 * in the current gradient; the coefficient μ_t warms up from beta1/2 to beta1.
 *
 *   for each step t = state.step:
 *     if decoupledWeightDecay: p ← p − lr·weightDecay·p
 *     else:                    g ← grad + weightDecay·p   (if weightDecay ≠ 0)
 *     mu     ← beta1·(1 − ½·0.96^(t·momentumDecay))
 *     muNext ← beta1·(1 − ½·0.96^((t+1)·momentumDecay))
 *     muProduct ← muProduct·mu                              (state.muProduct = ∏_{i≤t} μ_i)
 *     m  ← beta1·m + (1 − beta1)·g                          (state.expAvg)
 *     v  ← beta2·v + (1 − beta2)·g²                         (state.expAvgSq)
 *     m̂ ← muNext·m / (1 − muProduct·muNext) + (1 − mu)·g / (1 − muProduct)
 *     v̂ ← v / (1 − beta2ᵗ)
 *     p  ← p − lr·m̂ / (√v̂ + eps)
 *
 * Defaults: lr 2e-3, betas [0.9, 0.999], eps 1e-8, weightDecay 0,
 * momentumDecay 4e-3, decoupledWeightDecay false.
 *
 * Lesson: notebooks/src/06-optimizers.ts §5 (Adam)
 */
export class NAdam extends Optimizer<NAdamOptions, NAdamState> {
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupSpec<NAdamOptions>>, options: Partial<NAdamOptions> = {}) {
    const defaults: NAdamOptions = { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, momentumDecay: 4e-3, decoupledWeightDecay: false };
    super(params, withDefaults(defaults, options));
  }

  protected override validate(h: NAdamOptions): void {
    checkLr(this.name, h.lr);
    checkEps(this.name, h.eps);
    checkBetas(this.name, h.betas);
    checkWeightDecay(this.name, h.weightDecay);
    checkNonNegative(this.name, "momentumDecay", h.momentumDecay);
  }

  protected initState(param: FloatArray): NAdamState {
    return { step: 0, expAvg: this.stateBuffer(param), expAvgSq: this.stateBuffer(param), muProduct: 1 };
  }

  protected updateParameter(p: FloatArray, grad: FloatArray, state: NAdamState, group: ParamGroup<NAdamOptions>): void {
    const { lr, eps, weightDecay, momentumDecay, decoupledWeightDecay } = group;
    const [beta1, beta2] = group.betas;
    const t = state.step;
    const mu = beta1 * (1 - 0.5 * 0.96 ** (t * momentumDecay));
    const muNext = beta1 * (1 - 0.5 * 0.96 ** ((t + 1) * momentumDecay));
    state.muProduct *= mu;
    const muProduct = state.muProduct;
    const biasCorrection2 = 1 - beta2 ** t;
    const l2 = decoupledWeightDecay ? 0 : weightDecay;
    const shrink = decoupledWeightDecay ? 1 - lr * weightDecay : 1;
    const { expAvg: m, expAvgSq: v } = state;
    for (let i = 0; i < p.length; i++) {
      const g = grad[i] + l2 * p[i];
      p[i] *= shrink;
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      const mHat = (muNext * m[i]) / (1 - muProduct * muNext) + ((1 - mu) * g) / (1 - muProduct);
      const vHat = v[i] / biasCorrection2;
      p[i] -= (lr * mHat) / (Math.sqrt(vHat) + eps);
    }
  }
}
