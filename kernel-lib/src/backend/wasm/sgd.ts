import type { TypedArray } from "../../core/dtype";
import { optimizerUpdateWasm } from "./optimizer-update";
import type { WasmInstance } from "./runtime";

/** One SGD step's hyperparameters, as optim/sgd.ts holds them. */
export interface SgdKernelParams {
  lr: number;
  weightDecay: number;
  momentum: number;
  dampening: number;
  nesterov: boolean;
  /** The momentum buffer's first step: it starts from g itself, not from 0. */
  first: boolean;
}

/**
 * optim/sgd.ts's update on the WebAssembly SIMD kernel (wasm/assembly/sgd.ts)
 * when the parameter, its gradient and its momentum buffer are float32;
 * false, having done nothing, otherwise. 4 ns per value in the JavaScript
 * loop, a fraction of that with the copies here.
 */
export function sgdStepWasm(rt: WasmInstance, p: TypedArray, grad: TypedArray, buf: TypedArray | null, h: SgdKernelParams): boolean {
  // The first step starts the buffer from g: b ← 0·b + 1·g (the fresh buffer holds zeros).
  const bufDecay = h.first ? 0 : h.momentum;
  const gScale = h.first ? 1 : 1 - h.dampening;
  return optimizerUpdateWasm(rt, p, grad, [buf], (inst, pAt, gAt, [bAt]) =>
    inst.exports.sgdF32(pAt, gAt, bAt, p.length, h.lr, h.weightDecay, h.momentum, bufDecay, gScale, h.nesterov ? 1 : 0));
}
