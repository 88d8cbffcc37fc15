import type { Tensor } from "../tensor";
import { type FloatArray, type ParamGroup, type ParamGroupSpec, Optimizer, withDefaults } from "./optimizer";
import { checkEps, checkLr, checkMomentum, checkUnitInterval, checkWeightDecay } from "./validate";

export interface RMSpropOptions {
  /** Step size. Default 1e-2. */
  lr: number;
  /** Decay of the running average of squared gradients. Default 0.99. */
  alpha: number;
  /** Added to the denominator for stability. Default 1e-8. */
  eps: number;
  /** L2 penalty added to the gradient. Default 0. */
  weightDecay: number;
  /** Momentum on the normalized step. Default 0. */
  momentum: number;
  /** Divide by an estimate of the gradient's variance (v − ḡ²) instead of its raw second moment. Default false. */
  centered: boolean;
}

export type RMSpropState = {
  step: number;
  squareAvg: FloatArray;
  /** Only with momentum > 0. */
  momentumBuffer: FloatArray | null;
  /** Only when centered. */
  gradAvg: FloatArray | null;
};

/**
 * RMSprop (Hinton's lecture 6e; torch.optim.RMSprop): Adagrad with the sum of
 * squared gradients replaced by an exponential moving average, so old
 * gradients are forgotten and the step does not vanish.
 *
 *   for each step:
 *     g  ← grad + weightDecay·p                       (if weightDecay ≠ 0)
 *     v  ← alpha·v + (1 − alpha)·g²                   (state.squareAvg)
 *     ṽ  ← v
 *     if centered:
 *       ḡ ← alpha·ḡ + (1 − alpha)·g                   (state.gradAvg)
 *       ṽ ← v − ḡ²
 *     if momentum > 0:
 *       b ← momentum·b + g / (√ṽ + eps)               (state.momentumBuffer)
 *       p ← p − lr·b
 *     else:
 *       p ← p − lr·g / (√ṽ + eps)
 *
 * Defaults: lr 1e-2, alpha 0.99, eps 1e-8, weightDecay 0, momentum 0, centered false.
 *
 * Lesson: notebooks/src/06-optimizers.ts §4 (adaptive learning rates)
 */
export class RMSprop extends Optimizer<RMSpropOptions, RMSpropState> {
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupSpec<RMSpropOptions>>, options: Partial<RMSpropOptions> = {}) {
    super(params, withDefaults({ lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false }, options));
  }

  protected override validate(h: RMSpropOptions): void {
    checkLr(this.name, h.lr);
    checkUnitInterval(this.name, "alpha", h.alpha);
    checkEps(this.name, h.eps);
    checkWeightDecay(this.name, h.weightDecay);
    checkMomentum(this.name, h.momentum);
  }

  protected initState(param: FloatArray): RMSpropState {
    return { step: 0, squareAvg: this.stateBuffer(param), momentumBuffer: null, gradAvg: null };
  }

  protected updateParameter(p: FloatArray, grad: FloatArray, state: RMSpropState, group: ParamGroup<RMSpropOptions>): void {
    const { lr, alpha, eps, weightDecay, momentum, centered } = group;
    const v = state.squareAvg;
    // Buffers start at 0, created when their option is first on.
    const gAvg = centered ? (state.gradAvg ??= this.stateBuffer(p)) : null;
    const b = momentum > 0 ? (state.momentumBuffer ??= this.stateBuffer(p)) : null;
    for (let i = 0; i < p.length; i++) {
      const g = grad[i] + weightDecay * p[i];
      v[i] = alpha * v[i] + (1 - alpha) * g * g;
      let vTilde = v[i];
      if (gAvg !== null) {
        gAvg[i] = alpha * gAvg[i] + (1 - alpha) * g;
        vTilde -= gAvg[i] * gAvg[i];
      }
      const step = g / (Math.sqrt(vTilde) + eps);
      if (b !== null) {
        b[i] = momentum * b[i] + step;
        p[i] -= lr * b[i];
      } else {
        p[i] -= lr * step;
      }
    }
  }
}
