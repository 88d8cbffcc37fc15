/**
 * Batch normalization's passes over a float32 [outer, channels, inner] input
 * (BatchNorm2d's [N, C, H·W]): channel c owns `outer` runs of `inner`
 * consecutive values, walked four at a time. The per-channel coefficients
 * between the passes come from JavaScript in float64 (src/backend/fused.ts),
 * as for the [N, C] kernels of batch-norm.ts; sums are accumulated in float64.
 * Pointers are byte addresses; mean, variance, sumG, sumGXc, scale, shift,
 * k, a, b hold float64 values, x, g and out float32.
 */

/**
 * NOTE: the sums run value by value in the reference's order (fused.ts), not
 * four lanes at a time, so that the moments and the weight gradient equal the
 * reference exactly, as those of batch-norm.ts do (test/backend-fused.test.ts
 * checks it); the passes that write a value per element use SIMD.
 */
export function channelMomentsSpatialF32(x: usize, outer: i32, channels: i32, inner: i32, mean: usize, variance: usize): void {
  const m = <f64>outer * <f64>inner;
  for (let c = 0; c < channels; c++) {
    let s: f64 = 0;
    for (let o = 0; o < outer; o++) {
      const at = x + <usize>((o * channels + c) * inner) * 4;
      for (let i = 0; i < inner; i++) s += <f64>load<f32>(at + <usize>i * 4);
    }
    const mu = s / m;
    let q: f64 = 0;
    for (let o = 0; o < outer; o++) {
      const at = x + <usize>((o * channels + c) * inner) * 4;
      for (let i = 0; i < inner; i++) {
        const d = <f64>load<f32>(at + <usize>i * 4) - mu;
        q += d * d;
      }
    }
    store<f64>(mean + <usize>c * 8, mu);
    store<f64>(variance + <usize>c * 8, q / m);
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

/** sumG[c] = Σ g and sumGXc[c] = Σ g·(x − mean[c]) over the channel's values, in float64 and the reference's order. */
export function channelGradSumsSpatialF32(g: usize, x: usize, outer: i32, channels: i32, inner: i32, mean: usize, sumG: usize, sumGXc: usize): void {
  for (let c = 0; c < channels; c++) {
    const mu = load<f64>(mean + <usize>c * 8);
    let sg: f64 = 0;
    let sgx: f64 = 0;
    for (let o = 0; o < outer; o++) {
      const at = <usize>((o * channels + c) * inner) * 4;
      for (let i = 0; i < inner; i++) {
        const q = at + <usize>i * 4;
        const gi = <f64>load<f32>(g + q);
        sg += gi;
        sgx += gi * (<f64>load<f32>(x + q) - mu);
      }
    }
    store<f64>(sumG + <usize>c * 8, sg);
    store<f64>(sumGXc + <usize>c * 8, sgx);
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
