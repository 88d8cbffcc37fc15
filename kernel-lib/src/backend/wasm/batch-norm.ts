import type { TypedArray } from "../../core/dtype";
import * as fused from "../fused";
import type { WasmInstance } from "./runtime";
import { copyIn, copyOut, into, stage } from "./staging";

/**
 * Batch norm's kernels on WebAssembly SIMD for the common case, a float32
 * [N, C] input (BatchNorm1d on features: inner = 1), where the reference
 * loops walk each channel down a column of x. The SIMD passes go along rows,
 * four channels at a time. Other layouts and float64 use the reference
 * kernels (fused.ts), which also supply the per-channel coefficients here.
 */

function fast(x: TypedArray, inner: number): x is Float32Array {
  return inner === 1 && x instanceof Float32Array;
}

export function channelMomentsWasm(rt: WasmInstance, x: TypedArray, channels: number, inner: number, mean: Float64Array, variance: Float64Array): void {
  if (!fast(x, inner)) {
    fused.channelMoments(x, channels, inner, mean, variance);
    return;
  }
  const [xAt, meanAt, varAt] = stage(rt, [x, mean.byteLength, variance.byteLength]);
  rt.exports.channelMomentsF32(xAt, x.length / channels, channels, meanAt, varAt);
  copyOut(rt, meanAt, mean);
  copyOut(rt, varAt, variance);
}

export function channelNormalizeWasm(
  rt: WasmInstance, x: TypedArray, channels: number, inner: number, mean: Float64Array, invStd: Float64Array,
  weight: TypedArray | null, bias: TypedArray | null, out: TypedArray,
): void {
  if (!fast(x, inner) || !(out instanceof Float32Array)) {
    fused.channelNormalize(x, channels, inner, mean, invStd, weight, bias, out);
    return;
  }
  const { scale, shift } = fused.normalizeCoefficients(mean, invStd, weight, bias);
  const [xAt, scaleAt, shiftAt, outAt] = stage(rt, [x, Float32Array.from(scale), Float32Array.from(shift), into(out)]);
  rt.exports.channelAffineF32(xAt, x.length / channels, channels, scaleAt, shiftAt, outAt);
  copyOut(rt, outAt, out);
}

export function batchNormBackwardWasm(
  rt: WasmInstance, g: TypedArray, x: TypedArray, channels: number, inner: number, mean: Float64Array, invStd: Float64Array,
  weight: TypedArray | null, training: boolean, dx: TypedArray | null, dWeight: TypedArray | null, dBias: TypedArray | null,
): void {
  if (!fast(x, inner) || !(g instanceof Float32Array) || !(dx === null || dx instanceof Float32Array)) {
    fused.batchNormBackward(g, x, channels, inner, mean, invStd, weight, training, dx, dWeight, dBias);
    return;
  }
  const outer = x.length / channels;
  const sumG = new Float64Array(channels);
  const sumGXc = new Float64Array(channels);
  const perChannel = 4 * channels;
  const [gAt, xAt, meanAt, sumGAt, sumGXcAt, kAt, aAt, bAt, dxAt] = stage(rt, [
    g, x, mean, sumG.byteLength, sumGXc.byteLength, perChannel, perChannel, perChannel, dx ? into(dx) : 0,
  ]);
  rt.exports.channelGradSumsF32(gAt, xAt, outer, channels, meanAt, sumGAt, sumGXcAt);
  copyOut(rt, sumGAt, sumG);
  copyOut(rt, sumGXcAt, sumGXc);
  const { k, a, b } = fused.backwardCoefficients(sumG, sumGXc, outer, mean, invStd, weight, training, dWeight, dBias);
  if (dx === null) return;
  copyIn(rt, Float32Array.from(k), kAt);
  copyIn(rt, Float32Array.from(a), aAt);
  copyIn(rt, Float32Array.from(b), bAt);
  rt.exports.channelAffine2F32(gAt, xAt, outer, channels, kAt, aAt, bAt, dxAt);
  copyOut(rt, dxAt, dx);
}
