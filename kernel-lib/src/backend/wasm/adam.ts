import type { TypedArray } from "../../core/dtype";
import { type AdamStepParams, adamStep } from "../adam-step";
import type { WasmInstance } from "./runtime";
import { WasmStateStore } from "./state-store";
import { copyOut, stage } from "./staging";

/**
 * Adam on the WebAssembly SIMD kernel when the parameter, its gradient and
 * its state are all float32 (the reference loop otherwise): copy p and grad
 * in (and the moments too, unless they live in a WasmStateStore's memory,
 * as an optimizer's do), update four values per instruction, copy back. The copies are plain memcpy; the division and square root, which
 * dominate the scalar loop, run four lanes at a time.
 */
export function adamStepWasm(rt: WasmInstance, p: TypedArray, grad: TypedArray, m: TypedArray, v: TypedArray, vMax: TypedArray | null, h: AdamStepParams): void {
  if (!(p instanceof Float32Array && grad instanceof Float32Array && m instanceof Float32Array && v instanceof Float32Array
    && (vMax === null || vMax instanceof Float32Array))) {
    adamStep(p, grad, m, v, vMax, h);
    return;
  }
  const store = WasmStateStore.of(m);
  if (store !== undefined && WasmStateStore.of(v) === store && (vMax === null || WasmStateStore.of(vMax) === store)) {
    // The moments already live in the store's memory: only p and grad travel.
    const [pAt, gAt] = stage(store, [p, grad]);
    store.exports.adamF32(pAt, gAt, m.byteOffset, v.byteOffset, vMax === null ? 0 : vMax.byteOffset, p.length,
      h.beta1, 1 - h.beta1, h.beta2, 1 - h.beta2, h.stepSize, h.invSqrtBc2, h.eps, h.l2, h.shrink);
    copyOut(store, pAt, p);
    return;
  }
  const [pAt, gAt, mAt, vAt, maxAt] = stage(rt, [p, grad, m, v, vMax ?? 0]);
  rt.exports.adamF32(pAt, gAt, mAt, vAt, vMax === null ? 0 : maxAt, p.length, h.beta1, 1 - h.beta1, h.beta2, 1 - h.beta2, h.stepSize, h.invSqrtBc2, h.eps, h.l2, h.shrink);
  copyOut(rt, pAt, p);
  copyOut(rt, mAt, m);
  copyOut(rt, vAt, v);
  if (vMax !== null) copyOut(rt, maxAt, vMax);
}
