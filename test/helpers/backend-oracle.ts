/**
 * Shared by the backend tests: random float32 operands and the float32
 * tolerance for comparing a fast kernel with the reference (cpuKernels).
 *
 * Two float32 sums of the same k products in different orders differ by at
 * most about k·2⁻²⁴·Σ|terms| each (Higham, "Accuracy and Stability of
 * Numerical Algorithms", §3.1). A wrong index or a lost block gives errors of
 * the size of the terms themselves, far above that.
 */
import { expect } from "vitest";
import { Generator } from "kernel-lib";

export const F32_EPS = 2 ** -24;

/** Uniform values in [-1, 1) from a seeded generator. */
export function randomF32(size: number, seed: number): Float32Array {
  const g = new Generator(seed);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = 2 * g.uniform() - 1;
  return out;
}

/** |actual − expected| ≤ slack · (Σ-scale) elementwise, where `scale[i]` bounds the sum of |terms| behind element i. */
export function expectWithinRounding(actual: ArrayLike<number>, expected: ArrayLike<number>, scale: ArrayLike<number>, slack: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < actual.length; i++) {
    const allowed = slack * scale[i] + 1e-30;
    const excess = Math.abs(actual[i] - expected[i]) / allowed;
    if (!(excess <= 1) && !(excess <= worstExcess)) {
      worst = i;
      worstExcess = Number.isNaN(excess) ? Infinity : excess;
    }
  }
  if (worst >= 0) {
    expect.fail(`element ${worst}: got ${actual[worst]}, reference ${expected[worst]}, allowed ±${(slack * scale[worst]).toExponential(2)}`);
  }
}
