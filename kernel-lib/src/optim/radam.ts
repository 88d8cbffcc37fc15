import type { Tensor } from "../tensor";
import { type FloatArray, type ParamGroup, type ParamGroupSpec, Optimizer, withDefaults } from "./optimizer";
import { checkBetas, checkEps, checkLr, checkWeightDecay } from "./validate";

export interface RAdamOptions {
  /** Step size. Default 1e-3. */
  lr: number;
  /** Decay rates of the first and second moment estimates. Default [0.9, 0.999]. */
  betas: readonly [number, number];
  /** Added to √v for stability. Default 1e-8. */
  eps: number;
  /** L2 penalty added to the gradient. Default 0. */
  weightDecay: number;
}

export type RAdamState = { step: number; expAvg: FloatArray; expAvgSq: FloatArray };

/**
 * RAdam, "rectified Adam" (Liu et al., 2020, "On the Variance of the Adaptive
 * Learning Rate and Beyond"; torch.optim.RAdam): Adam whose adaptive step is
 * switched on gradually. In the first steps v is averaged over so few
 * gradients that 1/√v̂ has a huge variance; RAdam estimates the length ρ_t of
 * the moving average and, while it is ≤ 5, takes plain momentum-SGD steps;
 * after that it scales the adaptive step by a rectifier r_t that rises towards
 * 1. This does what a learning-rate warmup does for Adam, without a schedule.
 *
 *   ρ∞ = 2/(1 − β₂) − 1
 *   for each step t = 1, 2, …:
 *     g  ← grad + weightDecay·p
 *     m  ← β₁·m + (1 − β₁)·g,   v ← β₂·v + (1 − β₂)·g²
 *     m̂  = m / (1 − β₁ᵗ)
 *     ρ_t = ρ∞ − 2t·β₂ᵗ/(1 − β₂ᵗ)
 *     if ρ_t > 5:
 *       r_t = √((ρ_t − 4)(ρ_t − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρ_t))
 *       p  ← p − lr·m̂·r_t·√(1 − β₂ᵗ)/(√v + eps)
 *     else:
 *       p  ← p − lr·m̂
 *
 * Defaults: lr 1e-3, betas [0.9, 0.999], eps 1e-8, weightDecay 0.
 *
 * Lesson: notebooks/src/06-optimizers.ts §4 (adaptive learning rates)
 */
export class RAdam extends Optimizer<RAdamOptions, RAdamState> {
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupSpec<RAdamOptions>>, options: Partial<RAdamOptions> = {}) {
    super(params, withDefaults({ lr: 1e-3, betas: [0.9, 0.999] as const, eps: 1e-8, weightDecay: 0 }, options));
  }

  protected override validate(h: RAdamOptions): void {
    checkLr(this.name, h.lr);
    checkBetas(this.name, h.betas);
    checkEps(this.name, h.eps);
    checkWeightDecay(this.name, h.weightDecay);
  }

  protected initState(param: FloatArray): RAdamState {
    return { step: 0, expAvg: this.stateBuffer(param), expAvgSq: this.stateBuffer(param) };
  }

  protected updateParameter(p: FloatArray, grad: FloatArray, state: RAdamState, group: ParamGroup<RAdamOptions>): void {
    const { lr, betas: [beta1, beta2], eps, weightDecay } = group;
    const t = state.step;
    const m = state.expAvg;
    const v = state.expAvgSq;
    const bc1 = 1 - beta1 ** t;
    const bc2 = 1 - beta2 ** t;
    const rhoInf = 2 / (1 - beta2) - 1;
    const rhoT = rhoInf - (2 * t * beta2 ** t) / bc2;
    // The rectifier, or 0 while the variance of the adaptive step is not yet tractable (ρ_t ≤ 5).
    const rect = rhoT > 5 ? Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) : 0;
    for (let i = 0; i < p.length; i++) {
      const g = grad[i] + weightDecay * p[i];
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      const mHat = m[i] / bc1;
      p[i] -= rect > 0 ? (lr * mHat * rect * Math.sqrt(bc2)) / (Math.sqrt(v[i]) + eps) : lr * mHat;
    }
  }
}
