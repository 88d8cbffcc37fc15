import type { TypedArray } from "../../core/dtype";
import { type AdamStepParams, adamStep } from "../adam-step";
import { optimizerUpdateWasm } from "./optimizer-update";
import type { WasmInstance } from "./runtime";

/**
 * Adam on the WebAssembly SIMD kernel when the parameter, its gradient and
 * its state are all float32 (the reference loop otherwise). The division and
 * square root, which dominate the scalar loop, run four lanes at a time.
 */
export function adamStepWasm(rt: WasmInstance, p: TypedArray, grad: TypedArray, m: TypedArray, v: TypedArray, vMax: TypedArray | null, h: AdamStepParams): void {
  const done = optimizerUpdateWasm(rt, p, grad, [m, v, vMax], (inst, pAt, gAt, [mAt, vAt, maxAt]) =>
    inst.exports.adamF32(pAt, gAt, mAt, vAt, maxAt, p.length, h.beta1, 1 - h.beta1, h.beta2, 1 - h.beta2, h.stepSize, h.invSqrtBc2, h.eps, h.l2, h.shrink));
  if (!done) adamStep(p, grad, m, v, vMax, h);
}
