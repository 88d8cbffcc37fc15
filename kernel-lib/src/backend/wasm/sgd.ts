import type { TypedArray } from "../../core/dtype";
import { type SgdStepParams, sgdStep } from "../sgd-step";
import { optimizerUpdateWasm } from "./optimizer-update";
import type { WasmInstance } from "./runtime";

/**
 * SGD on the WebAssembly SIMD kernel when the parameter, its gradient and
 * its momentum buffer are float32 (the reference loop otherwise): 4 ns per
 * value in the JavaScript loop, a fraction of that with the copies here.
 */
export function sgdStepWasm(rt: WasmInstance, p: TypedArray, grad: TypedArray, buf: TypedArray | null, h: SgdStepParams): void {
  // The first step starts the buffer from g: b ← 0·b + 1·g (the fresh buffer holds zeros).
  const bufDecay = h.first ? 0 : h.momentum;
  const gScale = h.first ? 1 : 1 - h.dampening;
  const done = optimizerUpdateWasm(rt, p, grad, [buf], (inst, pAt, gAt, [bAt]) =>
    inst.exports.sgdF32(pAt, gAt, bAt, p.length, h.lr, h.weightDecay, h.momentum, bufDecay, gScale, h.nesterov ? 1 : 0));
  if (!done) sgdStep(p, grad, buf, h);
}
