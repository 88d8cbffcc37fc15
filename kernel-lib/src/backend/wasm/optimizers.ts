import type { TypedArray } from "../../core/dtype";
import { type AdamKernelParams, adamStepWasm } from "./adam";
import type { WasmRuntime } from "./runtime";
import { type SgdKernelParams, sgdStepWasm } from "./sgd";
import { WasmStateStore } from "./state-store";

export type { AdamKernelParams } from "./adam";
export type { SgdKernelParams } from "./sgd";

/** Storage for one optimizer's per-parameter state (moments, momentum). */
export interface StateStore {
  /** A zero-filled buffer with `like`'s element type and `length` values. */
  zeros(like: TypedArray, length: number): TypedArray;
}

/**
 * The optional fast path of the optimizers that have one (optim/adam.ts,
 * optim/sgd.ts): each update returns false, having done nothing, unless every
 * array is float32; the optimizer then runs its own loop. Not part of the
 * `Kernels` interface: the loops in optim/ are the reference, and these are
 * tested equal to them (test/kernel-lib/optim/fast-path.test.ts).
 */
export interface OptimizerKernels {
  /** State in WebAssembly memory, where `adam` and `sgd` update it in place (state-store.ts). */
  createStateStore(): StateStore;
  adam(p: TypedArray, grad: TypedArray, m: TypedArray, v: TypedArray, vMax: TypedArray | null, h: AdamKernelParams): boolean;
  sgd(p: TypedArray, grad: TypedArray, buf: TypedArray | null, h: SgdKernelParams): boolean;
}

export function makeOptimizerKernels(rt: WasmRuntime): OptimizerKernels {
  return {
    createStateStore: () => {
      try {
        return new WasmStateStore(rt);
      } catch {
        // No memory could be made (address space exhausted): state in ordinary arrays.
        return plainStateStore;
      }
    },
    adam: (p, grad, m, v, vMax, h) => adamStepWasm(rt.local, p, grad, m, v, vMax, h),
    sgd: (p, grad, buf, h) => sgdStepWasm(rt.local, p, grad, buf, h),
  };
}

/** State in ordinary typed arrays. */
export const plainStateStore: StateStore = {
  zeros: (like, length) => new (like.constructor as new (n: number) => TypedArray)(length),
};
