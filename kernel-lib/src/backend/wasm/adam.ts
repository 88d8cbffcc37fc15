import type { TypedArray } from "../../core/dtype";
import { optimizerUpdateWasm } from "./optimizer-update";
import type { WasmInstance } from "./runtime";

/** One Adam step's hyperparameters, as optim/adam.ts holds them (t counts steps from 1). */
export interface AdamKernelParams {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  decoupledWeightDecay: boolean;
  t: number;
}

/**
 * optim/adam.ts's update on the WebAssembly SIMD kernel (wasm/assembly/adam.ts)
 * when the parameter, its gradient and its state are all float32; false,
 * having done nothing, otherwise. The division and square root, which
 * dominate the scalar loop, run four lanes at a time, in float32.
 *
 * The kernel takes the step-dependent factors worked out here, in PyTorch's
 * arrangement: lr·m̂/(√v̂ + eps) = stepSize·m/(√v·invSqrtBc2 + eps) with
 * stepSize = lr/(1 − beta1ᵗ) and invSqrtBc2 = 1/√(1 − beta2ᵗ), the same value
 * up to rounding with one division per element instead of three. Weight decay
 * becomes l2 (added to g; Adam) or shrink = 1 − lr·λ (applied to p; AdamW).
 */
export function adamStepWasm(rt: WasmInstance, p: TypedArray, grad: TypedArray, m: TypedArray, v: TypedArray, vMax: TypedArray | null, h: AdamKernelParams): boolean {
  const { lr, beta1, beta2, eps, weightDecay, decoupledWeightDecay, t } = h;
  const stepSize = lr / (1 - beta1 ** t);
  const invSqrtBc2 = 1 / Math.sqrt(1 - beta2 ** t);
  const l2 = decoupledWeightDecay ? 0 : weightDecay;
  const shrink = decoupledWeightDecay ? 1 - lr * weightDecay : 1;
  return optimizerUpdateWasm(rt, p, grad, [m, v, vMax], (inst, pAt, gAt, [mAt, vAt, maxAt]) =>
    inst.exports.adamF32(pAt, gAt, mAt, vAt, maxAt, p.length, beta1, 1 - beta1, beta2, 1 - beta2, stepSize, invSqrtBc2, eps, l2, shrink));
}
