/**
 * Lesson 6 exercises: one step of five optimizers, on plain arrays.
 * Replace each `notImplemented(…)` with your code, then run `npm run check -- 06`.
 *
 * Every function is pure: it returns NEW arrays for the parameters and the
 * optimizer state, and leaves its arguments untouched. All operations are
 * per coordinate: w[i] only ever meets g[i], v[i], m[i], s[i].
 */

export interface MomentumHyper {
  /** η, the learning rate. */
  lr: number;
  /** α, the momentum ("friction") coefficient, e.g. 0.9. */
  momentum: number;
}

/**
 * 6.1 One step of gradient descent with momentum, in the lecture's velocity form:
 *
 *   v ← momentum·v + lr·g
 *   w ← w − v            (with the NEW v)
 *
 * Start from v = zeros for the first step. (PyTorch's `optim.SGD` stores
 * b = v / lr instead; for a constant lr the weights are the same.)
 *
 *   momentumStep([1, -2], [0.5, 0.5], [0, 0], { lr: 0.1, momentum: 0.9 })
 *   // → { w: [0.95, -2.05], v: [0.05, 0.05] }
 */
export function momentumStep(
  w: readonly number[],
  g: readonly number[],
  v: readonly number[],
  hyper: MomentumHyper,
): { w: number[]; v: number[] } {
  // BEGIN SOLUTION hint: build the new velocity first with v.map(...), then subtract it from w
  const vNext = v.map((vi, i) => hyper.momentum * vi + hyper.lr * g[i]);
  return { w: w.map((wi, i) => wi - vNext[i]), v: vNext };
  // END SOLUTION
}

/**
 * 6.2 One step of Nesterov's accelerated gradient, in the lecture's form:
 * the gradient is evaluated at the look-ahead point w − momentum·v.
 *
 *   g ← gradAt(w − momentum·v)       (call gradAt exactly once per step)
 *   v ← momentum·v + lr·g
 *   w ← w − v
 *
 * `gradAt(point)` returns ∇L at `point` (an array like w).
 */
export function nesterovStep(
  w: readonly number[],
  v: readonly number[],
  gradAt: (point: number[]) => number[],
  hyper: MomentumHyper,
): { w: number[]; v: number[] } {
  // BEGIN SOLUTION hint: build the look-ahead point w − momentum·v, ask gradAt for the gradient THERE, then proceed as in momentumStep
  const lookAhead = w.map((wi, i) => wi - hyper.momentum * v[i]);
  const g = gradAt(lookAhead);
  const vNext = v.map((vi, i) => hyper.momentum * vi + hyper.lr * g[i]);
  return { w: w.map((wi, i) => wi - vNext[i]), v: vNext };
  // END SOLUTION
}

export interface RMSpropHyper {
  lr: number;
  /** ρ, the decay of the running average of g² (PyTorch calls it `alpha`, default 0.99; Keras `rho`, 0.9). */
  rho: number;
  /** ε, added to the square root (outside it, as PyTorch does). */
  eps: number;
}

/**
 * 6.3 One step of RMSProp:
 *
 *   s ← rho·s + (1 − rho)·g²
 *   w ← w − lr·g / (√s + eps)     (with the NEW s)
 *
 * Start from s = zeros. No bias correction (as in PyTorch and Keras).
 */
export function rmspropStep(
  w: readonly number[],
  g: readonly number[],
  s: readonly number[],
  hyper: RMSpropHyper,
): { w: number[]; s: number[] } {
  // BEGIN SOLUTION hint: update s first; the step divides g by Math.sqrt(s) + eps, coordinate by coordinate
  const sNext = s.map((si, i) => hyper.rho * si + (1 - hyper.rho) * g[i] * g[i]);
  return { w: w.map((wi, i) => wi - (hyper.lr * g[i]) / (Math.sqrt(sNext[i]) + hyper.eps)), s: sNext };
  // END SOLUTION
}

export interface AdamHyper {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
}

/**
 * 6.4 One step of Adam with bias correction, at step t (t = 1 for the first
 * step, 2 for the second, …):
 *
 *   m ← beta1·m + (1 − beta1)·g
 *   v ← beta2·v + (1 − beta2)·g²
 *   m̂ = m / (1 − beta1ᵗ),   v̂ = v / (1 − beta2ᵗ)
 *   w ← w − lr·m̂ / (√v̂ + eps)
 *
 * Start from m = v = zeros. Return the NEW m and v (not m̂, v̂: the hats are
 * recomputed at every step). Throws an Error if t is not an integer ≥ 1
 * (at t = 0 the correction would divide by zero).
 */
export function adamStep(
  w: readonly number[],
  g: readonly number[],
  m: readonly number[],
  v: readonly number[],
  t: number,
  hyper: AdamHyper,
): { w: number[]; m: number[]; v: number[] } {
  // BEGIN SOLUTION hint: update m and v first; the corrections 1 − beta1 ** t and 1 − beta2 ** t are the same for every coordinate
  if (!Number.isInteger(t) || t < 1) throw new Error(`adamStep: t must be an integer ≥ 1 (the step number), got ${t}`);
  const { lr, beta1, beta2, eps } = hyper;
  const mNext = m.map((mi, i) => beta1 * mi + (1 - beta1) * g[i]);
  const vNext = v.map((vi, i) => beta2 * vi + (1 - beta2) * g[i] * g[i]);
  const correction1 = 1 - beta1 ** t;
  const correction2 = 1 - beta2 ** t;
  const wNext = w.map((wi, i) => wi - (lr * (mNext[i] / correction1)) / (Math.sqrt(vNext[i] / correction2) + eps));
  return { w: wNext, m: mNext, v: vNext };
  // END SOLUTION
}

export interface AdamWHyper extends AdamHyper {
  /** λ, the decoupled weight decay (PyTorch's AdamW default: 0.01). */
  weightDecay: number;
}

/**
 * 6.5 One step of AdamW (Loshchilov & Hutter, 2019): Adam with weight decay
 * DECOUPLED from the gradient. The moments see only the loss gradient g;
 * the decay shrinks w directly, scaled by lr but not by the adaptive 1/√v̂:
 *
 *   m ← beta1·m + (1 − beta1)·g
 *   v ← beta2·v + (1 − beta2)·g²
 *   m̂ = m / (1 − beta1ᵗ),   v̂ = v / (1 − beta2ᵗ)
 *   w ← w − lr·( m̂ / (√v̂ + eps) + weightDecay·w )       (w on the right is the OLD w)
 *
 * This is `optim.AdamW` (and PyTorch's). It is NOT Adam + L2, which adds
 * weightDecay·w to g before the moments: there the decay is divided by √v̂,
 * so weights with large gradients are barely decayed. Same conventions as
 * adamStep: t ≥ 1 (an Error otherwise), new arrays, inputs untouched.
 */
export function adamwStep(
  w: readonly number[],
  g: readonly number[],
  m: readonly number[],
  v: readonly number[],
  t: number,
  hyper: AdamWHyper,
): { w: number[]; m: number[]; v: number[] } {
  // BEGIN SOLUTION hint: exactly adamStep's m, v and hats from g alone; then subtract lr·(adaptive step + weightDecay·w)
  if (!Number.isInteger(t) || t < 1) throw new Error(`adamwStep: t must be an integer ≥ 1 (the step number), got ${t}`);
  const { lr, beta1, beta2, eps, weightDecay } = hyper;
  const mNew = m.map((mi, i) => beta1 * mi + (1 - beta1) * g[i]);
  const vNew = v.map((vi, i) => beta2 * vi + (1 - beta2) * g[i] ** 2);
  const c1 = 1 - beta1 ** t;
  const c2 = 1 - beta2 ** t;
  const wNew = w.map((wi, i) => wi - lr * (mNew[i] / c1 / (Math.sqrt(vNew[i] / c2) + eps) + weightDecay * wi));
  return { w: wNew, m: mNew, v: vNew };
  // END SOLUTION
}
