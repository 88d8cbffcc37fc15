import { fail, fmtShape } from "../core/errors";
import type { Generator } from "../core/random";
import { onesLike } from "../ops/convert";
import { mul } from "../ops/elementwise";
import { concat } from "../ops/indexing";
import { reshape } from "../ops/shape";
import { Tensor } from "../tensor";
import { pickGenerator } from "./sampling";
import { checkNonNegative, checkPositiveInteger, invalid } from "../core/validate";

/**
 * Noisy samples of a known polynomial, and the features that let a Linear
 * layer fit polynomials (Lesson: notebooks/src/01-why-deep-is-hard.ts §2 (underfitting and overfitting); a
 * degree-1 fit underfits a cubic, a degree-15 fit through 20 noisy points
 * overfits it, and the validation error shows both).
 */

export interface PolynomialRegressionOptions {
  /** Number of samples. Default 20. */
  n?: number;
  /** The true function's coefficients c, lowest power first: f(x) = c[0] + c[1]·x + … + c[d]·x^d. */
  coefficients?: readonly number[];
  /** Without `coefficients`: the degree d of a polynomial whose d + 1 coefficients are drawn from N(0, 1). Default 3. */
  degree?: number;
  /** Standard deviation of the Gaussian noise added to the targets. Default 0.1. */
  noise?: number;
  /** Interval the inputs are drawn from, uniformly. Default [−1, 1]. */
  xRange?: readonly [number, number];
  generator?: Generator;
}

export interface RegressionData {
  /** Inputs, float32 [n, 1]. */
  x: Tensor;
  /** Targets f(x) + noise, float32 [n, 1]: the shape a Linear(…, 1) layer outputs, so MSE needs no reshape. */
  y: Tensor;
  /** The true coefficients, lowest power first. */
  coefficients: number[];
  /** The noise-free function f, to plot next to the fit or to measure the irreducible error. */
  trueFunction: (x: number) => number;
}

/**
 * Draws x uniformly from `xRange` and returns y = f(x) + noise · ε with
 * ε ~ N(0, 1) and f the polynomial with `coefficients` (evaluated by Horner's
 * rule in float64 on the float32 value of x, so with noise 0, y is exactly
 * f(x) rounded to float32). Draw order: coefficients (if random), then all x,
 * then all noise.
 *
 *   const { x, y, trueFunction } = makePolynomialRegression({ n: 20, coefficients: [0, 1, 0, -2], noise: 0.1, generator: g });
 */
export function makePolynomialRegression(options: PolynomialRegressionOptions = {}): RegressionData {
  const op = "makePolynomialRegression";
  const { n = 20, noise = 0.1, xRange = [-1, 1] } = options;
  checkPositiveInteger(op, "n", n);
  checkNonNegative(op, "noise", noise);
  const [lo, hi] = xRange;
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) invalid(op, "xRange", [lo, hi], "finite with lo < hi");
  const g = pickGenerator(options.generator);
  let coefficients: number[];
  if (options.coefficients !== undefined) {
    coefficients = [...options.coefficients];
    if (coefficients.length === 0 || coefficients.some((c) => !Number.isFinite(c))) {
      fail(op, `coefficients must be a non-empty list of finite numbers, got [${coefficients.join(", ")}]`);
    }
  } else {
    const degree = options.degree ?? 3;
    if (!Number.isInteger(degree) || degree < 0) invalid(op, "degree", degree, "an integer ≥ 0");
    coefficients = Array.from({ length: degree + 1 }, () => g.normal());
  }
  const trueFunction = (t: number): number => {
    let value = 0;
    for (let k = coefficients.length - 1; k >= 0; k--) value = value * t + coefficients[k];
    return value;
  };
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = lo + (hi - lo) * g.uniform();
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = trueFunction(x[i]) + noise * g.normal();
  return { x: new Tensor(x, [n, 1]), y: new Tensor(y, [n, 1]), coefficients, trueFunction };
}

/**
 * The powers of a single feature as columns, so that Linear(degree, 1) fits
 * a degree-`degree` polynomial: for x of shape [n] or [n, 1],
 *   out[i] = [x_i, x_i², …, x_i^degree]          (shape [n, degree])
 * or, with `includeBias`, [1, x_i, …, x_i^degree] (scikit-learn's default; off
 * here because Linear has its own bias). Built from mul and concat, so
 * gradients flow to x. Keep x within about [−1, 1] (or standardize the
 * columns): x^15 of x = 3 is 1.4e7, and gradient descent then stalls.
 *
 *   polynomialFeatures(tensor([[2], [3]]), 3)  // [[2, 4, 8], [3, 9, 27]]
 */
export function polynomialFeatures(x: Tensor, degree: number, options: { includeBias?: boolean } = {}): Tensor {
  if (!(x.ndim === 1 || (x.ndim === 2 && x.shape[1] === 1))) {
    fail("polynomialFeatures", `expects one feature, shape [n] or [n, 1], got ${fmtShape(x.shape)}; expand each feature separately`);
  }
  checkPositiveInteger("polynomialFeatures", "degree", degree);
  const column = reshape(x, [x.shape[0], 1]);
  const columns = [column];
  for (let k = 2; k <= degree; k++) columns.push(mul(columns[columns.length - 1], column));
  if (options.includeBias) columns.unshift(onesLike(column));
  return concat(columns, 1);
}
