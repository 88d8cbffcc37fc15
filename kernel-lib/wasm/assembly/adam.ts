/**
 * Adam's update over one float32 parameter, four lanes at a time (f32x4),
 * the same rule as the loop in src/optim/adam.ts, rearranged as
 * src/backend/wasm/adam.ts explains:
 *
 *   p ← shrink·p;  g ← grad + l2·p
 *   m ← beta1·m + (1 − beta1)·g;  v ← beta2·v + (1 − beta2)·g²
 *   vMax ← max(vMax, v)                       (AMSGrad, when vMax ≠ 0)
 *   p ← p − stepSize·m / (√v·invSqrtBc2 + eps)
 *
 * computed in float32, as PyTorch does for float32 parameters. Every array
 * holds n floats; `vMax` is 0 when AMSGrad is off. a1 = 1 − beta1 and
 * a2 = 1 − beta2 come from JavaScript, worked out in float64: in float32,
 * 1 − f32(0.9) would be off by 2.4e-7 relative before any update.
 */
export function adamF32(
  p: usize, grad: usize, m: usize, v: usize, vMax: usize, n: i32,
  beta1: f32, a1: f32, beta2: f32, a2: f32, stepSize: f32, invSqrtBc2: f32, eps: f32, l2: f32, shrink: f32,
): void {
  const b1 = f32x4.splat(beta1), oneMinusB1 = f32x4.splat(a1);
  const b2 = f32x4.splat(beta2), oneMinusB2 = f32x4.splat(a2);
  const lr = f32x4.splat(stepSize), bc = f32x4.splat(invSqrtBc2), e = f32x4.splat(eps);
  const decay = f32x4.splat(l2), keep = f32x4.splat(shrink);
  const amsgrad = vMax !== 0;
  const vectorEnd = n & ~3;
  for (let i = 0; i < vectorEnd; i += 4) {
    const at = <usize>i * 4;
    const pi = f32x4.mul(v128.load(p + at), keep);
    const g = f32x4.add(v128.load(grad + at), f32x4.mul(decay, pi));
    const mi = f32x4.add(f32x4.mul(b1, v128.load(m + at)), f32x4.mul(oneMinusB1, g));
    let vi = f32x4.add(f32x4.mul(b2, v128.load(v + at)), f32x4.mul(oneMinusB2, f32x4.mul(g, g)));
    v128.store(m + at, mi);
    v128.store(v + at, vi);
    if (amsgrad) {
      vi = f32x4.max(v128.load(vMax + at), vi);
      v128.store(vMax + at, vi);
    }
    const denom = f32x4.add(f32x4.mul(f32x4.sqrt(vi), bc), e);
    v128.store(p + at, f32x4.sub(pi, f32x4.div(f32x4.mul(lr, mi), denom)));
  }
  for (let i = vectorEnd; i < n; i++) {
    const at = <usize>i * 4;
    const pi = load<f32>(p + at) * shrink;
    const g = load<f32>(grad + at) + l2 * pi;
    const mi = beta1 * load<f32>(m + at) + a1 * g;
    let vi = beta2 * load<f32>(v + at) + a2 * g * g;
    store<f32>(m + at, mi);
    store<f32>(v + at, vi);
    if (amsgrad) {
      vi = max(load<f32>(vMax + at), vi);
      store<f32>(vMax + at, vi);
    }
    store<f32>(p + at, pi - (stepSize * mi) / (sqrt<f32>(vi) * invSqrtBc2 + eps));
  }
}
