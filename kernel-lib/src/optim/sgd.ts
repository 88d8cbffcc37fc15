import { optimizerKernels } from "../backend";
import { fail } from "../core/errors";
import type { Tensor } from "../tensor";
import { type FloatArray, type ParamGroup, type ParamGroupSpec, Optimizer, withDefaults } from "./optimizer";
import { checkLr, checkMomentum, checkNonNegative, checkWeightDecay } from "./validate";

export interface SGDOptions {
  /** Step size. Default 1e-3 (PyTorch ≥ 2.0). */
  lr: number;
  /** Heavy-ball momentum coefficient; 0 (default) is plain gradient descent. Typical: 0.9. */
  momentum: number;
  /** Damps the gradient's share in the momentum buffer. Default 0. */
  dampening: number;
  /** L2 penalty added to the gradient. Default 0. */
  weightDecay: number;
  /** Nesterov's look-ahead momentum (needs momentum > 0 and dampening = 0). Default false. */
  nesterov: boolean;
}

export type SGDState = { step: number; momentumBuffer: FloatArray | null };

/**
 * Stochastic gradient descent, optionally with momentum (torch.optim.SGD).
 *
 *   for each step (t = state.step):
 *     g ← grad + weightDecay·p                          (if weightDecay ≠ 0)
 *     if momentum ≠ 0:
 *       b ← g                                           (first step: b is created from g)
 *       b ← momentum·b + (1 − dampening)·g              (later steps; b = state.momentumBuffer)
 *       g ← nesterov ? g + momentum·b : b
 *     p ← p − lr·g
 *
 * Defaults: lr 1e-3, momentum 0, dampening 0, weightDecay 0, nesterov false.
 * Nesterov momentum follows Sutskever et al. (2013), in PyTorch's form.
 *
 *   const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 *
 * Lesson: notebooks/src/06-optimizers.ts §2 (momentum), §1 and §3 (Nesterov)
 */
export class SGD extends Optimizer<SGDOptions, SGDState> {
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupSpec<SGDOptions>>, options: Partial<SGDOptions> = {}) {
    super(params, withDefaults({ lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false }, options));
  }

  protected override validate(h: SGDOptions): void {
    checkLr(this.name, h.lr);
    checkMomentum(this.name, h.momentum);
    checkNonNegative(this.name, "dampening", h.dampening);
    checkWeightDecay(this.name, h.weightDecay);
    if (h.nesterov && (h.momentum <= 0 || h.dampening !== 0)) {
      fail(this.name, `Nesterov momentum requires a momentum and zero dampening (got momentum ${h.momentum}, dampening ${h.dampening})`);
    }
  }

  protected initState(): SGDState {
    return { step: 0, momentumBuffer: null };
  }

  protected updateParameter(p: FloatArray, grad: FloatArray, state: SGDState, group: ParamGroup<SGDOptions>): void {
    const { lr, momentum, dampening, weightDecay, nesterov } = group;
    // The buffer appears the first time momentum is on, and then starts from g itself (not 0).
    const first = momentum !== 0 && state.momentumBuffer === null;
    const b = momentum !== 0 ? (state.momentumBuffer ??= this.stateBuffer(p)) : null;
    // Fast path: float32 on the WebAssembly SIMD kernel (backend/wasm/sgd.ts), tested equal to the loop below.
    if (optimizerKernels()?.sgd(p, grad, b, { lr, weightDecay, momentum, dampening, nesterov, first })) return;
    for (let i = 0; i < p.length; i++) {
      let g = grad[i] + weightDecay * p[i];
      if (b !== null) {
        b[i] = first ? g : momentum * b[i] + (1 - dampening) * g;
        g = nesterov ? g + momentum * b[i] : b[i];
      }
      p[i] -= lr * g;
    }
  }
}
