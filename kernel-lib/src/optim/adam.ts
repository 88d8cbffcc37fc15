import { optimizerKernels } from "../backend";
import type { Tensor } from "../tensor";
import { type FloatArray, type ParamGroup, type ParamGroupSpec, Optimizer, withDefaults } from "./optimizer";
import { checkBetas, checkEps, checkLr, checkWeightDecay } from "./validate";

export interface AdamOptions {
  /** Step size. Default 1e-3. */
  lr: number;
  /** Decay rates [beta1, beta2] of the first and second moment averages. Default [0.9, 0.999]. */
  betas: readonly [number, number];
  /** Added to the denominator for stability. Default 1e-8. */
  eps: number;
  /** Weight decay λ: an L2 term added to the gradient, or (decoupled) a shrink of p. Default 0 (AdamW: 1e-2). */
  weightDecay: number;
  /** AMSGrad: divide by the largest second moment seen so far. Default false. */
  amsgrad: boolean;
  /** Apply weight decay directly to p, outside the adaptive step (AdamW). Default false (AdamW: true). */
  decoupledWeightDecay: boolean;
}

export type AdamState = {
  step: number;
  expAvg: FloatArray;
  expAvgSq: FloatArray;
  /** Only with amsgrad. */
  maxExpAvgSq: FloatArray | null;
};

/**
 * Adam (Kingma & Ba, 2015; torch.optim.Adam): momentum on the gradient (m)
 * divided by the root of a running average of its square (v), both corrected
 * for starting at 0.
 *
 *   for each step t = state.step:
 *     if decoupledWeightDecay: p ← p − lr·weightDecay·p   (AdamW)
 *     else:                    g ← grad + weightDecay·p   (L2, if weightDecay ≠ 0)
 *     m  ← beta1·m + (1 − beta1)·g                         (state.expAvg)
 *     v  ← beta2·v + (1 − beta2)·g²                        (state.expAvgSq)
 *     m̂ ← m / (1 − beta1ᵗ)
 *     if amsgrad: vMax ← max(vMax, v);  v̂ ← vMax / (1 − beta2ᵗ)   (state.maxExpAvgSq)
 *     else:       v̂ ← v / (1 − beta2ᵗ)
 *     p  ← p − lr·m̂ / (√v̂ + eps)
 *
 * Defaults: lr 1e-3, betas [0.9, 0.999], eps 1e-8, weightDecay 0, amsgrad false,
 * decoupledWeightDecay false. AMSGrad (Reddi et al., 2018) takes the maximum of
 * the raw v and then corrects it, as PyTorch's code does.
 *
 *   const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
 *
 * Lesson: notebooks/src/06-optimizers.ts §5 (Adam)
 */
export class Adam extends Optimizer<AdamOptions, AdamState> {
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupSpec<AdamOptions>>, options: Partial<AdamOptions> = {}) {
    const defaults: AdamOptions = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, decoupledWeightDecay: false };
    super(params, withDefaults(defaults, options));
  }

  protected override validate(h: AdamOptions): void {
    checkLr(this.name, h.lr);
    checkEps(this.name, h.eps);
    checkBetas(this.name, h.betas);
    checkWeightDecay(this.name, h.weightDecay);
  }

  protected initState(param: FloatArray, group: ParamGroup<AdamOptions>): AdamState {
    return {
      step: 0,
      expAvg: this.stateBuffer(param),
      expAvgSq: this.stateBuffer(param),
      maxExpAvgSq: group.amsgrad ? this.stateBuffer(param) : null,
    };
  }

  protected updateParameter(p: FloatArray, grad: FloatArray, state: AdamState, group: ParamGroup<AdamOptions>): void {
    const { lr, eps, weightDecay, amsgrad, decoupledWeightDecay } = group;
    const [beta1, beta2] = group.betas;
    const t = state.step;
    const m = state.expAvg;
    const v = state.expAvgSq;
    const vMax = amsgrad ? (state.maxExpAvgSq ??= this.stateBuffer(p)) : null;
    // Fast path: float32 on the WebAssembly SIMD kernel (backend/wasm/adam.ts), tested equal to the loop below.
    if (optimizerKernels()?.adam(p, grad, m, v, vMax, { lr, beta1, beta2, eps, weightDecay, decoupledWeightDecay, t })) return;
    const biasCorrection1 = 1 - beta1 ** t;
    const biasCorrection2 = 1 - beta2 ** t;
    for (let i = 0; i < p.length; i++) {
      if (decoupledWeightDecay) p[i] -= lr * weightDecay * p[i];
      const g = decoupledWeightDecay ? grad[i] : grad[i] + weightDecay * p[i];
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      const mHat = m[i] / biasCorrection1;
      if (vMax !== null) vMax[i] = Math.max(vMax[i], v[i]);
      const vHat = (vMax !== null ? vMax[i] : v[i]) / biasCorrection2;
      p[i] -= (lr * mHat) / (Math.sqrt(vHat) + eps);
    }
  }
}

/**
 * AdamW (Loshchilov & Hutter, 2019; torch.optim.AdamW): Adam with decoupled
 * weight decay. The decay shrinks p directly, p ← p − lr·weightDecay·p,
 * before the Adam step, instead of entering g where Adam's division by √v̂
 * would weaken it for parameters with large gradients. Same update as
 * `Adam` with `decoupledWeightDecay: true` (see its doc for the full rule).
 *
 * Defaults: lr 1e-3, betas [0.9, 0.999], eps 1e-8, weightDecay 1e-2, amsgrad false.
 *
 * Lessons: notebooks/src/06-optimizers.ts §5 (Adam), notebooks/src/08-regularization.ts §4 (weight decay inside the optimizer)
 */
export class AdamW extends Adam {
  constructor(
    params: Iterable<Tensor> | Iterable<ParamGroupSpec<AdamOptions>>,
    options: Partial<Omit<AdamOptions, "decoupledWeightDecay">> = {},
  ) {
    super(params, { ...options, weightDecay: options.weightDecay ?? 1e-2, decoupledWeightDecay: true });
  }
}
