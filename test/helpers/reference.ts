/**
 * The one reference helper the core's tests share, so each op test is one line:
 *
 *   gradOk((a, b) => a.mul(b), [leaf([3, 1, 4]), leaf([5, 1])]);
 *
 * `gradOk` runs kernel-lib's `gradcheck` (float64, central differences) and
 * asserts a maximum relative error ≤ 1e-6; `reportGradErrors()` prints the
 * error of every check in the file once it is done.
 */
import { afterAll, expect } from "vitest";
import { Generator, Tensor, gradcheck, type GradcheckOptions, type NestedArray, type Shape } from "kernel-lib";

export const MAX_RELATIVE_ERROR = 1e-6;

export interface LeafOptions {
  /** Values are uniform in [lo, hi); default [-2, 2). */
  lo?: number;
  hi?: number;
  /** Keep every value at least `gap` away from these points (kinks, ties, poles). */
  awayFrom?: readonly number[];
  gap?: number;
  seed?: number;
}

let nextSeed = 1;

/** A float64 leaf with requiresGrad, filled with seeded uniform values. */
export function leaf(shape: Shape, options: LeafOptions = {}): Tensor {
  const { lo = -2, hi = 2, awayFrom = [], gap = 0.05 } = options;
  const g = new Generator(options.seed ?? nextSeed++);
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    let v = lo + (hi - lo) * g.uniform();
    while (awayFrom.some((k) => Math.abs(v - k) < gap)) v = lo + (hi - lo) * g.uniform();
    data[i] = v;
  }
  return new Tensor(data, shape, true);
}

/** A float64 leaf whose values are all distinct by at least 0.1 (for max/min: no ties). */
export function distinctLeaf(shape: Shape, seed = nextSeed++): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const order = new Generator(seed).permutation(size);
  const data = Float64Array.from(order, (k) => (k - size / 2) * 0.13 + 0.01);
  return new Tensor(data, shape, true);
}

const report: { name: string; error: number }[] = [];

/**
 * Asserts that autograd agrees with finite differences for `fn` at `inputs`
 * (every input must be a float64 leaf), with max relative error ≤ 1e-6.
 * Returns that error. `options.eps` widens the finite-difference step where
 * the function is nearly flat (roundoff would swamp a 1e-6 step).
 */
export function gradOk(fn: (...inputs: Tensor[]) => Tensor, inputs: readonly Tensor[], options: GradcheckOptions = {}): number {
  const name = currentName();
  const result = gradcheck(fn, inputs, options);
  report.push({ name, error: result.maxRelativeError });
  expect(result.worst, `gradcheck failed for ${name}`).toBeUndefined();
  expect(result.ok).toBe(true);
  expect(result.maxRelativeError, `max relative error of ${name}`).toBeLessThanOrEqual(MAX_RELATIVE_ERROR);
  return result.maxRelativeError;
}

function currentName(): string {
  return expect.getState().currentTestName ?? "gradcheck";
}

/**
 * Prints, once the file's tests are done, how many gradchecks ran and the
 * worst max relative error; set GRADCHECK_REPORT=full to list every check.
 */
export function reportGradErrors(title: string): void {
  afterAll(() => {
    if (report.length === 0) return;
    const worst = report.reduce((a, b) => (b.error > a.error ? b : a));
    const lines = process.env.GRADCHECK_REPORT === "full" ? report.map((r) => `\n  ${r.error.toExponential(2).padStart(9)}  ${r.name}`) : [];
    console.log(`${title}: ${report.length} checks, max relative error ≤ ${worst.error.toExponential(2)} (worst: ${worst.name})${lines.join("")}`);
  });
}

/** Asserts `actual` has `expected`'s shape and values within `tol` (absolute + relative). */
export function expectClose(actual: Tensor, expected: NestedArray | Tensor, tol = 1e-6): void {
  const e = expected instanceof Tensor ? expected : toTensor(expected);
  expect(actual.shape).toEqual(e.shape);
  for (let i = 0; i < e.size; i++) {
    const a = actual.data[i];
    const b = e.data[i];
    if (Number.isNaN(b)) expect(a).toBeNaN();
    else if (!Number.isFinite(b)) expect(a).toBe(b);
    else expect(Math.abs(a - b), `element ${i}: ${a} vs ${b}`).toBeLessThanOrEqual(tol * (1 + Math.abs(b)));
  }
}

/** Nested arrays to a float64 tensor (without going through float32). */
function toTensor(values: NestedArray): Tensor {
  const shape: number[] = [];
  let v: NestedArray = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0] ?? 0;
  }
  const flat = (Array.isArray(values) ? (values as unknown[]).flat(Infinity) : [values]) as number[];
  return new Tensor(Float64Array.from(flat), shape);
}

/** A float64 tensor without gradients (targets, constants). */
export function constant(values: NestedArray): Tensor {
  return toTensor(values);
}

/** The textbook triple loop over the last two axes, batch axes broadcast by hand (≤ 1 batch axis each). */
export function naiveMatmul(a: Tensor, b: Tensor): number[][][] {
  const batchOf = (t: Tensor) => (t.ndim === 3 ? t.shape[0] : 1);
  const batch = Math.max(batchOf(a), batchOf(b));
  const [m, k] = a.shape.slice(-2);
  const n = b.shape[b.ndim - 1];
  const at = (t: Tensor, s: number, i: number, j: number, cols: number) => t.data[(batchOf(t) === 1 ? 0 : s) * t.shape[t.ndim - 2] * cols + i * cols + j];
  const out: number[][][] = [];
  for (let s = 0; s < batch; s++) {
    out.push([]);
    for (let i = 0; i < m; i++) {
      out[s].push([]);
      for (let j = 0; j < n; j++) {
        let acc = 0;
        for (let p = 0; p < k; p++) acc += at(a, s, i, p, k) * at(b, s, p, j, n);
        out[s][i].push(acc);
      }
    }
  }
  return out;
}
