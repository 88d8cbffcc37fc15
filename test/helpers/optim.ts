import { expect } from "vitest";
import { tensor, type Tensor, optim } from "kernel-lib";

/** The quadratic f(p) = ½·Σ a_i·p_i², whose gradient is a ⊙ p. */
export const A = [2, 0.5];
export const P0 = [1.5, -2];

/**
 * Runs `steps` optimizer steps on the quadratic, with the gradient computed by
 * autograd, and returns p after each step (float64 parameters).
 */
export function quadraticTrajectory(makeOptimizer: (p: Tensor) => optim.Optimizer, steps: number, a = A, p0 = P0): number[][] {
  const p = tensor(p0, { dtype: "float64", requiresGrad: true });
  const aT = tensor(a, { dtype: "float64" });
  const opt = makeOptimizer(p);
  const out: number[][] = [];
  for (let s = 0; s < steps; s++) {
    opt.zeroGrad();
    p.mul(p).mul(aT).mul(0.5).sum().backward();
    opt.step();
    out.push(p.toFlatArray());
  }
  return out;
}

/** Runs steps with given gradients (one array per step), returning p after each step. */
export function stepsWithGrads(makeOptimizer: (p: Tensor) => optim.Optimizer, p0: number[], grads: number[][]): number[][] {
  const p = tensor(p0, { dtype: "float64", requiresGrad: true });
  const opt = makeOptimizer(p);
  return grads.map((g) => {
    p.grad = tensor(g, { dtype: "float64" });
    opt.step();
    return p.toFlatArray();
  });
}

/** Elementwise |actual − expected| ≤ tol·max(1, |expected|). */
export function expectAllClose(actual: readonly number[], expected: readonly number[], tol = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((x, i) => {
    const bound = tol * Math.max(1, Math.abs(expected[i]));
    if (!(Math.abs(x - expected[i]) <= bound)) {
      throw new Error(`element ${i}: got ${x}, expected ${expected[i]} (|diff| ${Math.abs(x - expected[i])} > ${bound})`);
    }
  });
}
