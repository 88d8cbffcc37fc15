import type { Tensor } from "../tensor";
import { type FloatArray, type ParamGroup, type ParamGroupSpec, Optimizer, withDefaults } from "./optimizer";
import { checkEps, checkLr, checkUnitInterval, checkWeightDecay } from "./validate";

export interface AdadeltaOptions {
  /** Scales the computed step; the method itself needs none, hence the default 1. */
  lr: number;
  /** Decay of both running averages. Default 0.9. */
  rho: number;
  /** Keeps both square roots away from 0 (and sets the size of the very first steps). Default 1e-6. */
  eps: number;
  /** L2 penalty added to the gradient. Default 0. */
  weightDecay: number;
}

export type AdadeltaState = { step: number; squareAvg: FloatArray; accDelta: FloatArray };

/**
 * Adadelta (Zeiler, 2012; torch.optim.Adadelta): RMSprop whose step size is
 * the RMS of the previous updates, so the update has the parameter's units
 * and no learning rate needs tuning.
 *
 *   for each step:
 *     g  ← grad + weightDecay·p                       (if weightDecay ≠ 0)
 *     v  ← rho·v + (1 − rho)·g²                       (state.squareAvg)
 *     Δx ← √(u + eps) / √(v + eps) · g
 *     u  ← rho·u + (1 − rho)·Δx²                      (state.accDelta)
 *     p  ← p − lr·Δx
 *
 * Defaults: lr 1, rho 0.9, eps 1e-6, weightDecay 0.
 *
 * Lesson: notebooks/src/06-optimizers.ts §4 (adaptive learning rates)
 */
export class Adadelta extends Optimizer<AdadeltaOptions, AdadeltaState> {
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupSpec<AdadeltaOptions>>, options: Partial<AdadeltaOptions> = {}) {
    super(params, withDefaults({ lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0 }, options));
  }

  protected override validate(h: AdadeltaOptions): void {
    checkLr(this.name, h.lr);
    checkUnitInterval(this.name, "rho", h.rho);
    checkEps(this.name, h.eps);
    checkWeightDecay(this.name, h.weightDecay);
  }

  protected initState(param: FloatArray): AdadeltaState {
    return { step: 0, squareAvg: this.stateBuffer(param), accDelta: this.stateBuffer(param) };
  }

  protected updateParameter(p: FloatArray, grad: FloatArray, state: AdadeltaState, group: ParamGroup<AdadeltaOptions>): void {
    const { lr, rho, eps, weightDecay } = group;
    const { squareAvg: v, accDelta: u } = state;
    for (let i = 0; i < p.length; i++) {
      const g = grad[i] + weightDecay * p[i];
      v[i] = rho * v[i] + (1 - rho) * g * g;
      const delta = (Math.sqrt(u[i] + eps) / Math.sqrt(v[i] + eps)) * g;
      u[i] = rho * u[i] + (1 - rho) * delta * delta;
      p[i] -= lr * delta;
    }
  }
}
