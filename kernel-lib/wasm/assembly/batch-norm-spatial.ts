/**
 * Batch normalization's passes over a float32 [outer, channels, inner] input
 * (BatchNorm2d's [N, C, H·W]): channel c owns `outer` runs of `inner`
 * consecutive values, walked four at a time. The per-channel coefficients
 * between the passes come from JavaScript in float64 (src/backend/fused.ts),
 * as for the [N, C] kernels of batch-norm.ts; sums are accumulated in float64.
 * Pointers are byte addresses; mean, variance, sumG, sumGXc, scale, shift,
 * k, a, b hold float64 values, x, g and out float32.
 */
import { promoteHigh, promoteLow } from "./batch-norm";

/**
 * NOTE: the sums run four values at a time, in float64 (each f32x4 widened
 * to two f64x2 accumulators), so they differ from the reference's
 * value-by-value sums in the last float64 bits only (the test allows float64
 * rounding). Measured on the cnn-step's first batch norm ([64, 32, 28·28],
 * one thread, CPU time, two alternating runs each): moments 3.3 → 1.9 ms,
 * backward 6.9 → 5.5 ms (the rest of it is copying g, x and dx); the scalar
 * float64 additions were one long dependency chain.
 */

/** The sum of a f64x2's two lanes. */
// @ts-ignore: decorator
@inline
function lanesSum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

export function channelMomentsSpatialF32(x: usize, outer: i32, channels: i32, inner: i32, mean: usize, variance: usize): void {
  const m = <f64>outer * <f64>inner;
  for (let c = 0; c < channels; c++) {
    let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
    let s: f64 = 0;
    for (let o = 0; o < outer; o++) {
      const at = x + <usize>((o * channels + c) * inner) * 4;
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const v = v128.load(at + <usize>i * 4);
        s0 = f64x2.add(s0, promoteLow(v));
        s1 = f64x2.add(s1, promoteHigh(v));
      }
      for (; i < inner; i++) s += <f64>load<f32>(at + <usize>i * 4);
    }
    const mu = (lanesSum(s0) + lanesSum(s1) + s) / m;
    const muv = f64x2.splat(mu);
    let q0 = f64x2.splat(0), q1 = f64x2.splat(0);
    let q: f64 = 0;
    for (let o = 0; o < outer; o++) {
      const at = x + <usize>((o * channels + c) * inner) * 4;
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const v = v128.load(at + <usize>i * 4);
        const d0 = f64x2.sub(promoteLow(v), muv);
        const d1 = f64x2.sub(promoteHigh(v), muv);
        q0 = f64x2.add(q0, f64x2.mul(d0, d0));
        q1 = f64x2.add(q1, f64x2.mul(d1, d1));
      }
      for (; i < inner; i++) {
        const d = <f64>load<f32>(at + <usize>i * 4) - mu;
        q += d * d;
      }
    }
    store<f64>(mean + <usize>c * 8, mu);
    store<f64>(variance + <usize>c * 8, (lanesSum(q0) + lanesSum(q1) + q) / m);
  }
}

/** out = x·scale[c] + shift[c] over each run of channel c. */
export function channelAffineSpatialF32(x: usize, outer: i32, channels: i32, inner: i32, scale: usize, shift: usize, out: usize): void {
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const at = <usize>((o * channels + c) * inner) * 4;
      const s = <f32>load<f64>(scale + <usize>c * 8);
      const t = <f32>load<f64>(shift + <usize>c * 8);
      const sv = f32x4.splat(s);
      const tv = f32x4.splat(t);
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const q = at + <usize>i * 4;
        v128.store(out + q, f32x4.add(f32x4.mul(v128.load(x + q), sv), tv));
      }
      for (; i < inner; i++) {
        const q = at + <usize>i * 4;
        store<f32>(out + q, load<f32>(x + q) * s + t);
      }
    }
  }
}

/** sumG[c] = Σ g and sumGXc[c] = Σ g·(x − mean[c]) over the channel's values, in float64, four at a time. */
export function channelGradSumsSpatialF32(g: usize, x: usize, outer: i32, channels: i32, inner: i32, mean: usize, sumG: usize, sumGXc: usize): void {
  for (let c = 0; c < channels; c++) {
    const mu = load<f64>(mean + <usize>c * 8);
    const muv = f64x2.splat(mu);
    let sg0 = f64x2.splat(0), sg1 = f64x2.splat(0), sx0 = f64x2.splat(0), sx1 = f64x2.splat(0);
    let sg: f64 = 0;
    let sgx: f64 = 0;
    for (let o = 0; o < outer; o++) {
      const at = <usize>((o * channels + c) * inner) * 4;
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const q = at + <usize>i * 4;
        const gv = v128.load(g + q);
        const xv = v128.load(x + q);
        const g0 = promoteLow(gv), g1 = promoteHigh(gv);
        sg0 = f64x2.add(sg0, g0);
        sg1 = f64x2.add(sg1, g1);
        sx0 = f64x2.add(sx0, f64x2.mul(g0, f64x2.sub(promoteLow(xv), muv)));
        sx1 = f64x2.add(sx1, f64x2.mul(g1, f64x2.sub(promoteHigh(xv), muv)));
      }
      for (; i < inner; i++) {
        const q = at + <usize>i * 4;
        const gi = <f64>load<f32>(g + q);
        sg += gi;
        sgx += gi * (<f64>load<f32>(x + q) - mu);
      }
    }
    store<f64>(sumG + <usize>c * 8, lanesSum(sg0) + lanesSum(sg1) + sg);
    store<f64>(sumGXc + <usize>c * 8, lanesSum(sx0) + lanesSum(sx1) + sgx);
  }
}

/** out = g·k[c] + x·a[c] + b[c] over each run of channel c: batch norm's input gradient. */
export function channelAffine2SpatialF32(g: usize, x: usize, outer: i32, channels: i32, inner: i32, k: usize, a: usize, b: usize, out: usize): void {
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const at = <usize>((o * channels + c) * inner) * 4;
      const kc = <f32>load<f64>(k + <usize>c * 8);
      const ac = <f32>load<f64>(a + <usize>c * 8);
      const bc = <f32>load<f64>(b + <usize>c * 8);
      const kv = f32x4.splat(kc);
      const av = f32x4.splat(ac);
      const bv = f32x4.splat(bc);
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const q = at + <usize>i * 4;
        v128.store(out + q, f32x4.add(f32x4.add(f32x4.mul(v128.load(g + q), kv), f32x4.mul(v128.load(x + q), av)), bv));
      }
      for (; i < inner; i++) {
        const q = at + <usize>i * 4;
        store<f32>(out + q, load<f32>(g + q) * kc + load<f32>(x + q) * ac + bc);
      }
    }
  }
}
