import { fail } from "../core/errors";
import type { Tensor } from "../tensor";
import { type FloatArray, type ParamGroup, type ParamGroupSpec, Optimizer, withDefaults } from "./optimizer";
import { checkLr } from "./validate";

export interface RpropOptions {
  /** The initial step size of every weight. Default 1e-2. */
  lr: number;
  /** [etaMinus, etaPlus]: how a weight's step size shrinks when its gradient flips sign, and grows when it keeps it. Default [0.5, 1.2]. */
  etas: readonly [number, number];
  /** [min, max] bounds of the step sizes. Default [1e-6, 50]. */
  stepSizes: readonly [number, number];
}

export type RpropState = { step: number; prev: FloatArray; stepSize: FloatArray };

/**
 * Rprop, resilient backpropagation (Riedmiller & Braun, 1993; torch.optim.Rprop):
 * each weight has its own step size and moves by it against the *sign* of its
 * gradient, ignoring the gradient's size. The step size grows by etaPlus while
 * the sign stays the same and shrinks by etaMinus when it flips (the last step
 * jumped over a minimum); after a flip the weight waits one step.
 * Full-batch only: minibatch noise flips signs at random.
 *
 *   for each step:
 *     s  = grad·prev                                 (sign agreement)
 *     Δ  ← clamp(Δ·(etaPlus if s > 0, etaMinus if s < 0, 1 if s = 0), min, max)
 *     g  ← 0 where s < 0, else grad
 *     p  ← p − sign(g)·Δ
 *     prev ← g
 *
 * Defaults: lr 1e-2, etas [0.5, 1.2], stepSizes [1e-6, 50].
 *
 * Lesson: notebooks/src/06-optimizers.ts §4 (adaptive learning rates)
 */
export class Rprop extends Optimizer<RpropOptions, RpropState> {
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupSpec<RpropOptions>>, options: Partial<RpropOptions> = {}) {
    super(params, withDefaults({ lr: 1e-2, etas: [0.5, 1.2] as const, stepSizes: [1e-6, 50] as const }, options));
  }

  protected override validate(h: RpropOptions): void {
    checkLr(this.name, h.lr);
    const [etaMinus, etaPlus] = h.etas;
    if (!(etaMinus > 0 && etaMinus < 1 && etaPlus > 1)) fail(this.name, `Invalid eta values: [${h.etas.join(", ")}] (need 0 < etaMinus < 1 < etaPlus)`);
    const [min, max] = h.stepSizes;
    if (!(min >= 0 && max >= min)) fail(this.name, `Invalid stepSizes: [${h.stepSizes.join(", ")}] (need 0 ≤ min ≤ max)`);
  }

  protected initState(param: FloatArray, group: ParamGroup<RpropOptions>): RpropState {
    const stepSize = this.stateBuffer(param);
    stepSize.fill(group.lr);
    return { step: 0, prev: this.stateBuffer(param), stepSize };
  }

  protected updateParameter(p: FloatArray, grad: FloatArray, state: RpropState, group: ParamGroup<RpropOptions>): void {
    const { etas: [etaMinus, etaPlus], stepSizes: [min, max] } = group;
    const { prev, stepSize } = state;
    for (let i = 0; i < p.length; i++) {
      const agreement = grad[i] * prev[i];
      const factor = agreement > 0 ? etaPlus : agreement < 0 ? etaMinus : 1;
      stepSize[i] = Math.min(max, Math.max(min, stepSize[i] * factor));
      const g = agreement < 0 ? 0 : grad[i];
      p[i] -= Math.sign(g) * stepSize[i];
      prev[i] = g;
    }
  }
}
