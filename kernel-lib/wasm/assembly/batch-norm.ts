/**
 * Batch normalization's passes over a float32 [outer, channels] matrix (the
 * [N, C] input of BatchNorm1d), four channels at a time. The per-channel
 * coefficients between the passes are computed in JavaScript, in float64,
 * by the same code as the reference kernels (src/backend/fused.ts); per-
 * channel sums are accumulated in float64 (f64x2), so that long batches do
 * not lose the small terms.
 *
 * Pointers are byte addresses; `mean`, `variance`, `sumG`, `sumGXc` hold
 * float64 values, every other array float32.
 */

/** mean[c] and biased variance[c]: a pass for the sums, then one for the centered squares. */
export function channelMomentsF32(x: usize, outer: i32, channels: i32, mean: usize, variance: usize): void {
  memory.fill(mean, 0, <usize>channels * 8);
  memory.fill(variance, 0, <usize>channels * 8);
  for (let o = 0; o < outer; o++) {
    const row = x + <usize>(o * channels) * 4;
    let c = 0;
    for (; c + 4 <= channels; c += 4) {
      const v = v128.load(row + <usize>c * 4);
      addF64(mean + <usize>c * 8, promoteLow(v), promoteHigh(v));
    }
    for (; c < channels; c++) store<f64>(mean + <usize>c * 8, load<f64>(mean + <usize>c * 8) + <f64>load<f32>(row + <usize>c * 4));
  }
  // Divided, not multiplied by 1/outer: the reference's rounding, so the moments match it exactly
  // (the sums run in the same order: rows one after another).
  const m = <f64>outer;
  for (let c = 0; c < channels; c++) store<f64>(mean + <usize>c * 8, load<f64>(mean + <usize>c * 8) / m);
  for (let o = 0; o < outer; o++) {
    const row = x + <usize>(o * channels) * 4;
    let c = 0;
    for (; c + 4 <= channels; c += 4) {
      const v = v128.load(row + <usize>c * 4);
      const lo = f64x2.sub(promoteLow(v), v128.load(mean + <usize>c * 8));
      const hi = f64x2.sub(promoteHigh(v), v128.load(mean + <usize>c * 8, 16));
      addF64(variance + <usize>c * 8, f64x2.mul(lo, lo), f64x2.mul(hi, hi));
    }
    for (; c < channels; c++) {
      const d = <f64>load<f32>(row + <usize>c * 4) - load<f64>(mean + <usize>c * 8);
      store<f64>(variance + <usize>c * 8, load<f64>(variance + <usize>c * 8) + d * d);
    }
  }
  for (let c = 0; c < channels; c++) store<f64>(variance + <usize>c * 8, load<f64>(variance + <usize>c * 8) / m);
}

/** out[o, c] = x[o, c]·scale[c] + shift[c]. */
export function channelAffineF32(x: usize, outer: i32, channels: i32, scale: usize, shift: usize, out: usize): void {
  for (let o = 0; o < outer; o++) {
    const at = <usize>(o * channels) * 4;
    let c = 0;
    for (; c + 4 <= channels; c += 4) {
      const q = <usize>c * 4;
      v128.store(out + at + q, f32x4.add(f32x4.mul(v128.load(x + at + q), v128.load(scale + q)), v128.load(shift + q)));
    }
    for (; c < channels; c++) {
      const q = <usize>c * 4;
      store<f32>(out + at + q, load<f32>(x + at + q) * load<f32>(scale + q) + load<f32>(shift + q));
    }
  }
}

/** sumG[c] = Σ_o g[o, c] and sumGXc[c] = Σ_o g[o, c]·(x[o, c] − mean[c]), in float64. */
export function channelGradSumsF32(g: usize, x: usize, outer: i32, channels: i32, mean: usize, sumG: usize, sumGXc: usize): void {
  memory.fill(sumG, 0, <usize>channels * 8);
  memory.fill(sumGXc, 0, <usize>channels * 8);
  for (let o = 0; o < outer; o++) {
    const at = <usize>(o * channels) * 4;
    let c = 0;
    for (; c + 4 <= channels; c += 4) {
      const q = <usize>c * 4;
      const gv = v128.load(g + at + q);
      const xv = v128.load(x + at + q);
      const gLo = promoteLow(gv), gHi = promoteHigh(gv);
      addF64(sumG + <usize>c * 8, gLo, gHi);
      const xLo = f64x2.sub(promoteLow(xv), v128.load(mean + <usize>c * 8));
      const xHi = f64x2.sub(promoteHigh(xv), v128.load(mean + <usize>c * 8, 16));
      addF64(sumGXc + <usize>c * 8, f64x2.mul(gLo, xLo), f64x2.mul(gHi, xHi));
    }
    for (; c < channels; c++) {
      const gi = <f64>load<f32>(g + at + <usize>c * 4);
      const xc = <f64>load<f32>(x + at + <usize>c * 4) - load<f64>(mean + <usize>c * 8);
      store<f64>(sumG + <usize>c * 8, load<f64>(sumG + <usize>c * 8) + gi);
      store<f64>(sumGXc + <usize>c * 8, load<f64>(sumGXc + <usize>c * 8) + gi * xc);
    }
  }
}

/** out[o, c] = g[o, c]·k[c] + x[o, c]·a[c] + b[c]: batch norm's input gradient once the coefficients are known. */
export function channelAffine2F32(g: usize, x: usize, outer: i32, channels: i32, k: usize, a: usize, b: usize, out: usize): void {
  for (let o = 0; o < outer; o++) {
    const at = <usize>(o * channels) * 4;
    let c = 0;
    for (; c + 4 <= channels; c += 4) {
      const q = <usize>c * 4;
      const gk = f32x4.mul(v128.load(g + at + q), v128.load(k + q));
      const xa = f32x4.mul(v128.load(x + at + q), v128.load(a + q));
      v128.store(out + at + q, f32x4.add(f32x4.add(gk, xa), v128.load(b + q)));
    }
    for (; c < channels; c++) {
      const q = <usize>c * 4;
      store<f32>(out + at + q, load<f32>(g + at + q) * load<f32>(k + q) + load<f32>(x + at + q) * load<f32>(a + q) + load<f32>(b + q));
    }
  }
}

/** Lanes 0–1 of a f32x4 as f64x2. */
// @ts-ignore: decorator
@inline
export function promoteLow(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

/** Lanes 2–3 of a f32x4 as f64x2. */
// @ts-ignore: decorator
@inline
export function promoteHigh(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3));
}

/** The four float64 at `at` += lo (first two), hi (last two). */
// @ts-ignore: decorator
@inline
function addF64(at: usize, lo: v128, hi: v128): void {
  v128.store(at, f64x2.add(v128.load(at), lo));
  v128.store(at, f64x2.add(v128.load(at, 16), hi), 16);
}
