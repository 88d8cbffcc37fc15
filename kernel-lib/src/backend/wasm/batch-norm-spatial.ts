import type { TypedArray } from "../../core/dtype";
import * as fused from "../fused";
import type { WasmInstance } from "./runtime";
import { copyIn, copyOut, into, stage } from "./staging";

/**
 * Batch norm's kernels on WebAssembly SIMD for float32 [N, C, L] inputs with
 * L > 1 (BatchNorm2d views [N, C, H, W] as [N, C, H·W]): the sources are
 * kernel-lib/wasm/assembly/batch-norm-spatial.ts; batch-norm.ts covers
 * L = 1. float64 and other types use the reference kernels (fused.ts), which
 * also compute the per-channel coefficients. Measured on the cnn-step bench,
 * the reference loops took about a sixth of the step.
 */

interface SpatialExports {
  channelMomentsSpatialF32(x: number, outer: number, channels: number, inner: number, mean: number, variance: number): void;
  channelAffineSpatialF32(x: number, outer: number, channels: number, inner: number, scale: number, shift: number, out: number): void;
  channelGradSumsSpatialF32(g: number, x: number, outer: number, channels: number, inner: number, mean: number, sumG: number, sumGXc: number): void;
  channelAffine2SpatialF32(g: number, x: number, outer: number, channels: number, inner: number, k: number, a: number, b: number, out: number): void;
}

function spatial(rt: WasmInstance): SpatialExports {
  return rt.exports as unknown as SpatialExports;
}

export function channelMomentsSpatialWasm(rt: WasmInstance, x: TypedArray, channels: number, inner: number, mean: Float64Array, variance: Float64Array): void {
  if (!(x instanceof Float32Array)) {
    fused.channelMoments(x, channels, inner, mean, variance);
    return;
  }
  const [xAt, meanAt, varAt] = stage(rt, [x, mean.byteLength, variance.byteLength]);
  spatial(rt).channelMomentsSpatialF32(xAt, x.length / (channels * inner), channels, inner, meanAt, varAt);
  copyOut(rt, meanAt, mean);
  copyOut(rt, varAt, variance);
}

export function channelNormalizeSpatialWasm(
  rt: WasmInstance, x: TypedArray, channels: number, inner: number, mean: Float64Array, invStd: Float64Array,
  weight: TypedArray | null, bias: TypedArray | null, out: TypedArray,
): void {
  if (!(x instanceof Float32Array) || !(out instanceof Float32Array)) {
    fused.channelNormalize(x, channels, inner, mean, invStd, weight, bias, out);
    return;
  }
  const { scale, shift } = fused.normalizeCoefficients(mean, invStd, weight, bias);
  const [xAt, scaleAt, shiftAt, outAt] = stage(rt, [x, scale, shift, into(out)]);
  spatial(rt).channelAffineSpatialF32(xAt, x.length / (channels * inner), channels, inner, scaleAt, shiftAt, outAt);
  copyOut(rt, outAt, out);
}

export function batchNormBackwardSpatialWasm(
  rt: WasmInstance, g: TypedArray, x: TypedArray, channels: number, inner: number, mean: Float64Array, invStd: Float64Array,
  weight: TypedArray | null, training: boolean, dx: TypedArray | null, dWeight: TypedArray | null, dBias: TypedArray | null,
): void {
  if (!(x instanceof Float32Array) || !(g instanceof Float32Array) || !(dx === null || dx instanceof Float32Array)) {
    fused.batchNormBackward(g, x, channels, inner, mean, invStd, weight, training, dx, dWeight, dBias);
    return;
  }
  const outer = x.length / (channels * inner);
  const sumG = new Float64Array(channels);
  const sumGXc = new Float64Array(channels);
  const perChannel = 8 * channels;
  const [gAt, xAt, meanAt, sumGAt, sumGXcAt, kAt, aAt, bAt, dxAt] = stage(rt, [
    g, x, mean, perChannel, perChannel, perChannel, perChannel, perChannel, dx ? into(dx) : 0,
  ]);
  spatial(rt).channelGradSumsSpatialF32(gAt, xAt, outer, channels, inner, meanAt, sumGAt, sumGXcAt);
  copyOut(rt, sumGAt, sumG);
  copyOut(rt, sumGXcAt, sumGXc);
  const { k, a, b } = fused.backwardCoefficients(sumG, sumGXc, outer * inner, mean, invStd, weight, training, dWeight, dBias);
  if (dx === null) return;
  copyIn(rt, k, kAt);
  copyIn(rt, a, aAt);
  copyIn(rt, b, bAt);
  spatial(rt).channelAffine2SpatialF32(gAt, xAt, outer, channels, inner, kAt, aAt, bAt, dxAt);
  copyOut(rt, dxAt, dx);
}
