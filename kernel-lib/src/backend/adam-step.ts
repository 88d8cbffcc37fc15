import type { TypedArray } from "../core/dtype";

/**
 * One Adam step's numbers with the step-dependent factors already worked out
 * (optim/adam.ts derives them from lr, betas and t):
 *   stepSize = lr / (1 − beta1ᵗ),  invSqrtBc2 = 1 / √(1 − beta2ᵗ),
 *   l2 = the L2 weight decay added to g (0 for AdamW), shrink = 1 − lr·λ (1 unless AdamW).
 */
export interface AdamStepParams {
  beta1: number;
  beta2: number;
  stepSize: number;
  invSqrtBc2: number;
  eps: number;
  l2: number;
  shrink: number;
}

/**
 * The reference Adam update over one parameter's storage, in place:
 *   p ← shrink·p;  g ← grad + l2·p
 *   m ← beta1·m + (1 − beta1)·g;  v ← beta2·v + (1 − beta2)·g²
 *   vMax ← max(vMax, v)  (AMSGrad, when vMax is given; it replaces v below)
 *   p ← p − stepSize·m / (√v·invSqrtBc2 + eps)
 * which is p − lr·m̂/(√v̂ + eps) with one division per element (PyTorch's arrangement).
 */
export function adamStep(p: TypedArray, grad: TypedArray, m: TypedArray, v: TypedArray, vMax: TypedArray | null, h: AdamStepParams): void {
  const { beta1, beta2, stepSize, invSqrtBc2, eps, l2, shrink } = h;
  const a1 = 1 - beta1;
  const a2 = 1 - beta2;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i] * shrink;
    const g = grad[i] + l2 * pi;
    const mi = beta1 * m[i] + a1 * g;
    let vi = beta2 * v[i] + a2 * g * g;
    m[i] = mi;
    v[i] = vi;
    if (vMax !== null) vi = vMax[i] = Math.max(vMax[i], vi);
    p[i] = pi - (stepSize * mi) / (Math.sqrt(vi) * invSqrtBc2 + eps);
  }
}
