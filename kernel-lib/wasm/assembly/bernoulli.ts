/**
 * Dropout's keep mask from kernel-lib's generator, xoshiro128** (src/core/
 * random.ts), reproduced bit for bit: each element takes two 32-bit outputs,
 * hi (top 27 bits) and lo (top 26 bits), makes the 53-bit uniform
 * u = (hi·2²⁶ + lo) / 2⁵³ as Generator.uniform() does, and stores
 * `value` when u ≥ p, else 0. The four state words at `state` are read at the
 * start and written back at the end, so JavaScript's generator carries on
 * from where this left off.
 */
export function bernoulliMaskF32(state: usize, p: f64, value: f32, out: usize, n: i32): void {
  // u ≥ p  ⟺  hi·2²⁶ + lo ≥ p·2⁵³: both sides exact in float64 (scaling by 2⁵³ does not round),
  // so the comparison needs no division.
  const threshold = p * 9007199254740992.0;
  let s0 = load<u32>(state), s1 = load<u32>(state, 4), s2 = load<u32>(state, 8), s3 = load<u32>(state, 12);
  for (let i = 0; i < n; i++) {
    // Two steps of xoshiro128**: result = rotl(s1·5, 7)·9, then the state update.
    const hi = (rotl<u32>(s1 * 5, 7) * 9) >>> 5;
    let t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl<u32>(s3, 11);
    const lo = (rotl<u32>(s1 * 5, 7) * 9) >>> 6;
    t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl<u32>(s3, 11);
    // hi < 2²⁷ and lo < 2²⁶ fit a signed i32, whose conversion is one instruction.
    const bits = <f64><i32>hi * 67108864.0 + <f64><i32>lo;
    store<f32>(out + <usize>i * 4, bits >= threshold ? value : 0);
  }
  store<u32>(state, s0);
  store<u32>(state, s1, 4);
  store<u32>(state, s2, 8);
  store<u32>(state, s3, 12);
}
