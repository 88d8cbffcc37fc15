import type { TypedArray } from "../../core/dtype";
import { cpuKernels } from "../cpu";
import type { BinaryOp, Kernels, UnaryOp } from "../kernels";
import * as branchFree from "./branch-free";
import { notePeriod, periodicBinary, periodicSumInto } from "./periodic";
import { batchNormBackwardWasm, channelMomentsWasm, channelNormalizeWasm } from "./batch-norm";
import { batchNormBackwardSpatialWasm, channelMomentsSpatialWasm, channelNormalizeSpatialWasm } from "./batch-norm-spatial";
import { bernoulliMaskWasm } from "./bernoulli";
import { type Floats, conv2dBackwardWasm, conv2dWasm, sameFloats } from "./conv";
import { maxPool2dBackwardWasm, maxPool2dWasm } from "./pool";
import { binaryWasm, unaryWasm } from "./elementwise";
import { gemmWasm } from "./gemm";
import { type WasmRuntime, instanceFor } from "./runtime";

export { getNumThreads, partition, setAdaptiveThreads, setNumThreads, setThreadMinWork } from "./thread-split";
export { WASM_PATH, wasmLoadError, wasmRuntime } from "./runtime";
export { type AdamKernelParams, type OptimizerKernels, type SgdKernelParams, type StateStore, makeOptimizerKernels, plainStateStore } from "./optimizers";

/**
 * Products this small stay in JavaScript: below about 4K multiply-adds the
 * copies into linear memory cost more than the SIMD kernel saves.
 */
const WASM_MIN_WORK = 4096;

/**
 * The fast kernels: the reference ones (cpu.ts) with these replaced:
 *   - matrix products: WebAssembly SIMD (float32 and float64), threads for large ones;
 *   - batch norm's passes and the common elementwise ops (add, sub, mul,
 *     div, relu and its backward, step): float32 SIMD kernels;
 *   - dropout's masks: a kernel that reproduces the generator;
 *   - convolutions: im2col and the products one image at a time, in
 *     WebAssembly (float32 and float64), images split across threads (conv.ts);
 *   - 2×2 max pooling (stride 2) and batch norm over [N, C, H·W]: float32 SIMD kernels;
 *   - relu, its backward and step below 2048 values or in float64:
 *     branch-free loops (branch-free.ts);
 *   - broadcasts of a bias row or a scalar, and sums down to one: block
 *     loops without the index map (periodic.ts).
 * Products and batch norm agree with the reference to rounding (sums run in a
 * different order), the rest exactly; test/kernel-lib/backend/wasm/gemm.test.ts
 * and test/kernel-lib/backend/fused.test.ts check it. Adam's and SGD's kernels
 * are not here: the optimizers call them as their fast path (optimizers.ts).
 */
export function makeWasmKernels(rt: WasmRuntime): Kernels {
  return {
    ...cpuKernels,
    unary(op: UnaryOp, x: TypedArray, out: TypedArray): void {
      if (unaryWasm(instanceFor(rt, [x, out]), op, x, out)) return;
      if (op === "relu") branchFree.relu(x, out);
      else if (op === "step") branchFree.step(x, out);
      else cpuKernels.unary(op, x, out);
    },
    binary(op: BinaryOp, a: TypedArray, ia: Int32Array | null, b: TypedArray, ib: Int32Array | null, out: TypedArray): void {
      if (ia === null && ib === null && binaryWasm(instanceFor(rt, [a, b, out]), op, a, b, out)) return;
      if (op === "reluBackward" && ia === null && ib === null) branchFree.reluBackward(a, b, out);
      else if (!periodicBinary(op, a, ia, b, ib, out)) cpuKernels.binary(op, a, ia, b, ib, out);
    },
    broadcastIndex: (from, to) => notePeriod(cpuKernels.broadcastIndex(from, to), from, to),
    sumInto(x: TypedArray, map: Int32Array | null, out: TypedArray): void {
      if (!periodicSumInto(x, map, out)) cpuKernels.sumInto(x, map, out);
    },
    channelMoments: (x, channels, inner, mean, variance) =>
      (inner > 1 ? channelMomentsSpatialWasm : channelMomentsWasm)(instanceFor(rt, [x]), x, channels, inner, mean, variance),
    channelNormalize: (x, channels, inner, mean, invStd, weight, bias, out) =>
      (inner > 1 ? channelNormalizeSpatialWasm : channelNormalizeWasm)(instanceFor(rt, [x, out]), x, channels, inner, mean, invStd, weight, bias, out),
    batchNormBackward: (g, x, channels, inner, mean, invStd, weight, training, dx, dWeight, dBias) =>
      (inner > 1 ? batchNormBackwardSpatialWasm : batchNormBackwardWasm)(instanceFor(rt, [g, x, dx]), g, x, channels, inner, mean, invStd, weight, training, dx, dWeight, dBias),
    bernoulliMask: (words, p, value, out) => bernoulliMaskWasm(instanceFor(rt, [out]), words, p, value, out),
    conv2d(x, weight, bias, g, out): void {
      if (!sameFloats([x, weight, bias, out])) cpuKernels.conv2d(x, weight, bias, g, out);
      else conv2dWasm(rt, x as Floats, weight as Floats, bias as Floats | null, g, out as Floats);
    },
    conv2dBackward(x, weight, dOut, g, dx, dWeight): void {
      if (!sameFloats([x, weight, dOut, dx, dWeight])) cpuKernels.conv2dBackward(x, weight, dOut, g, dx, dWeight);
      else conv2dBackwardWasm(rt, x as Floats, weight as Floats, dOut as Floats, g, dx as Floats | null, dWeight as Floats | null);
    },
    maxPool2d: (x, planes, height, width, rows, cols, out, arg) => maxPool2dWasm(instanceFor(rt, [x, out, arg]), x, planes, height, width, rows, cols, out, arg),
    maxPool2dBackward: (g, arg, planes, height, width, dx) => maxPool2dBackwardWasm(instanceFor(rt, [g, arg, dx]), g, arg, planes, height, width, dx),
    gemm(a: TypedArray, aOff: number, transA: boolean, b: TypedArray, bOff: number, transB: boolean,
      out: TypedArray, outOff: number, m: number, k: number, n: number, accumulate: boolean): void {
      const big = m * n * k >= WASM_MIN_WORK;
      if (big && out instanceof Float32Array && a instanceof Float32Array && b instanceof Float32Array) {
        gemmWasm(rt, a, aOff, transA, b, bOff, transB, out, outOff, m, k, n, accumulate);
      } else if (big && out instanceof Float64Array && a instanceof Float64Array && b instanceof Float64Array) {
        gemmWasm(rt, a, aOff, transA, b, bOff, transB, out, outOff, m, k, n, accumulate);
      } else {
        cpuKernels.gemm(a, aOff, transA, b, bOff, transB, out, outOff, m, k, n, accumulate);
      }
    },
  };
}
