import { cpuKernels } from "./cpu";
import type { Kernels } from "./kernels";
import { type OptimizerKernels, makeOptimizerKernels, makeWasmKernels, wasmLoadError, wasmRuntime } from "./wasm";
import { Arena } from "./wasm/arena";
import { setScopeArena } from "./scoped-storage";

export type { Kernels, BinaryOp, UnaryOp, ConvShape } from "./kernels";
export { type AdamKernelParams, type OptimizerKernels, type SgdKernelParams, type StateStore, plainStateStore } from "./wasm";
export { cpuKernels } from "./cpu";
export { getNumThreads, setAdaptiveThreads, setNumThreads, setThreadMinWork } from "./wasm";

/**
 * Which kernels run: "wasm" (WebAssembly SIMD, threads for large products;
 * the default when the binary is built) or "js" (the reference loops of
 * cpu.ts). Set KERNEL_LIB_BACKEND=js to force the reference kernels.
 */
export type BackendName = "wasm" | "js";

const runtime = process.env.KERNEL_LIB_BACKEND === "js" ? null : wasmRuntime();

/** The WebAssembly kernels, or null when the binary is missing (see `backendInfo`). */
export const wasmKernels: Kernels | null = runtime ? makeWasmKernels(runtime) : null;

let active: Kernels = wasmKernels ?? cpuKernels;

const wasmOptimizers: OptimizerKernels | null = runtime ? makeOptimizerKernels(runtime) : null;

// Tensors computed inside tidy() live in the memory the split kernels share (scoped-storage.ts).
setScopeArena(runtime ? new Arena(runtime.shared) : null);

/** The kernels currently in use. Everything above the backend calls through this. */
export function kernels(): Kernels {
  return active;
}

/**
 * The optimizers' fast path (Adam and SGD in WebAssembly, float32), or null
 * when the reference kernels run: optimizers then use their own loops.
 */
export function optimizerKernels(): OptimizerKernels | null {
  return active === wasmKernels ? wasmOptimizers : null;
}

/** Swaps in another implementation of the kernels (e.g. a faster one); returns the previous. */
export function setKernels(next: Kernels): Kernels {
  const previous = active;
  active = next;
  return previous;
}

/**
 * What runs, and if the fast kernels are not available, why; `relaxedSimd`
 * says whether the WebAssembly build with fused multiply-add was loaded.
 */
export function backendInfo(): { name: BackendName; reason: string | null; relaxedSimd: boolean } {
  const name: BackendName = active === wasmKernels && wasmKernels !== null ? "wasm" : "js";
  const reason = process.env.KERNEL_LIB_BACKEND === "js" ? "KERNEL_LIB_BACKEND=js" : wasmLoadError();
  return {
    name,
    reason: name === "js" ? reason ?? "setKernels() chose other kernels" : null,
    relaxedSimd: name === "wasm" && runtime !== null && runtime.relaxedSimd,
  };
}
