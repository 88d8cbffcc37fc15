/**
 * SGD's update over one float32 parameter, four lanes at a time (f32x4), the
 * same rule as the loop in src/optim/sgd.ts:
 *
 *   g ← grad + weightDecay·p
 *   buf = 0 (no momentum):  p ← p − lr·g
 *   else  b ← bufDecay·b + gScale·g     (0 and 1 at the first step: b starts from g)
 *         p ← p − lr·(g + momentum·b)   (nesterov ≠ 0)   or   p − lr·b
 *
 * computed in float32, as PyTorch does for float32 parameters. Every array
 * holds n floats.
 */
export function sgdF32(
  p: usize, grad: usize, buf: usize, n: i32,
  lr: f32, weightDecay: f32, momentum: f32, bufDecay: f32, gScale: f32, nesterov: i32,
): void {
  const rate = f32x4.splat(lr), decay = f32x4.splat(weightDecay);
  const vectorEnd = n & ~3;
  if (buf === 0) {
    for (let i = 0; i < vectorEnd; i += 4) {
      const at = <usize>i * 4;
      const pi = v128.load(p + at);
      const g = f32x4.add(v128.load(grad + at), f32x4.mul(decay, pi));
      v128.store(p + at, f32x4.sub(pi, f32x4.mul(rate, g)));
    }
    for (let i = vectorEnd; i < n; i++) {
      const at = <usize>i * 4;
      const pi = load<f32>(p + at);
      store<f32>(p + at, pi - lr * (load<f32>(grad + at) + weightDecay * pi));
    }
    return;
  }
  const mu = f32x4.splat(momentum), keepB = f32x4.splat(bufDecay), scaleG = f32x4.splat(gScale);
  for (let i = 0; i < vectorEnd; i += 4) {
    const at = <usize>i * 4;
    const pi = v128.load(p + at);
    const g = f32x4.add(v128.load(grad + at), f32x4.mul(decay, pi));
    const b = f32x4.add(f32x4.mul(keepB, v128.load(buf + at)), f32x4.mul(scaleG, g));
    v128.store(buf + at, b);
    // The flag is the same for every element, so this branch is always predicted.
    const step = nesterov !== 0 ? f32x4.add(g, f32x4.mul(mu, b)) : b;
    v128.store(p + at, f32x4.sub(pi, f32x4.mul(rate, step)));
  }
  for (let i = vectorEnd; i < n; i++) {
    const at = <usize>i * 4;
    const pi = load<f32>(p + at);
    const g = load<f32>(grad + at) + weightDecay * pi;
    const b = bufDecay * load<f32>(buf + at) + gScale * g;
    store<f32>(buf + at, b);
    store<f32>(p + at, pi - lr * (nesterov !== 0 ? g + momentum * b : b));
  }
}
