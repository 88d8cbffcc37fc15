import { notImplemented } from "./support";
/**
 * Lesson 1 exercises: why deep networks are hard to train.
 * Replace each `notImplemented(…)` with your code, then run `npm run check -- 01`.
 */
/*
 * Write these yourself: the grader checks, and a function that takes a shortcut scores 0.
 * - Without kernel-lib (plain numbers and arrays; its types are fine): sigmoidDerivative, gradientThroughSigmoids, countParameters, fitPolynomial, errorsByDegree, sigmoidStackGradientNorms.
 */

/**
 * 1.1 The derivative of the logistic sigmoid at z: σ'(z) = σ(z)·(1 − σ(z)).
 * Its largest value is σ'(0) = 0.25.
 */
export function sigmoidDerivative(z: number): number {
  return notImplemented("sigmoidDerivative", "compute s = 1 / (1 + Math.exp(-z)) first, then s * (1 - s)");
}

/**
 * 1.2 The chain rule through a stack of layers multiplies one local
 * derivative per layer. Given each layer's pre-activation z, return the
 * product of the sigmoid derivatives: how much of the output gradient is
 * left at the first layer. With every z = 0 and 10 layers that is 0.25^10 ≈ 1e-6.
 */
export function gradientThroughSigmoids(preActivations: readonly number[]): number {
  return notImplemented("gradientThroughSigmoids", "start from 1 and multiply by sigmoidDerivative(z) for each z");
}

/**
 * 1.3 The number of parameters (weights and biases) of a fully connected
 * network with the given layer sizes, e.g. [50, 100, 100, 10] → 16,210.
 */
export function countParameters(layerSizes: readonly number[]): number {
  return notImplemented("countParameters", "each layer from n_in to n_out has n_in·n_out weights and n_out biases");
}

/**
 * 1.4 Least-squares polynomial fit. Given points (x[i], y[i]) and a degree d,
 * return the coefficients w = [w_0, w_1, …, w_d] (lowest power first) that
 * minimize Σ_i (w_0 + w_1·x_i + … + w_d·x_i^d − y_i)².
 *
 * Solve the normal equations  (Xᵀ X) w = Xᵀ y  with the design matrix
 * X[i][k] = x_i^k (k = 0..d): build the (d+1)×(d+1) matrix A = XᵀX and the
 * vector b = Xᵀy, then solve A w = b by Gaussian elimination with partial
 * pivoting (at each column, swap up the row with the largest |entry|) and
 * back-substitution. Work in plain numbers (float64).
 *
 * Assumes x.length === y.length ≥ d + 1 with at least d + 1 distinct x values
 * (so A is invertible). Degree 0 gives [mean of y]; with exactly d + 1 points
 * the polynomial passes through all of them.
 *
 *   fitPolynomial([0, 1, 2], [1, 3, 5], 1)   // [1, 2]: y = 1 + 2x
 */
export function fitPolynomial(x: readonly number[], y: readonly number[], degree: number): number[] {
  return notImplemented("fitPolynomial", "A[j][k] = Σ_i x_i^(j+k) and b[j] = Σ_i x_i^j·y_i; then eliminate below each pivot and back-substitute from the last row");
}

/** A set of one-dimensional regression points. */
export interface Points {
  x: readonly number[];
  y: readonly number[];
}

/** One row of the under/overfitting table. */
export interface DegreeErrors {
  degree: number;
  trainMse: number;
  testMse: number;
}

/**
 * 1.5 The under/overfitting table: for each degree in `degrees` (in the given
 * order), fit a polynomial to `train` with fitPolynomial and return
 * { degree, trainMse, testMse }, where MSE = (1/n) Σ_i (p(x_i) − y_i)² is the
 * mean squared error of the fitted polynomial p on that set.
 *
 *   errorsByDegree(train, test, [1, 3, 15])  // trainMse falls with the degree; testMse is U-shaped
 */
export function errorsByDegree(train: Points, test: Points, degrees: readonly number[]): DegreeErrors[] {
  return notImplemented("errorsByDegree", "evaluate p(x) = w_0 + w_1·x + … with Horner's rule: ((w_d·x + w_{d−1})·x + …)·x + w_0");
}

/**
 * 1.6 Backpropagation by hand through a stack of sigmoid layers (no biases).
 * weights[l] is layer l's matrix W_l with W_l[i][j] = weight from input j to
 * unit i (shape [nOut][nIn], as in nn.Linear). For one input vector x:
 *
 *   a_0 = x,   z_l = W_l a_{l−1},   a_l = σ(z_l)            (l = 1..L)
 *   loss  = Σ_i a_L[i]                                    (the sum of the last outputs)
 *
 * Return the Frobenius norm ‖∂loss/∂W_l‖ of every layer, in forward order
 * (first layer first). Backward, starting from ∂loss/∂a_L = (1, …, 1):
 *
 *   ∂loss/∂z_l     = ∂loss/∂a_l ⊙ σ'(z_l)      with σ'(z) = σ(z)(1 − σ(z)) = a(1 − a)
 *   ∂loss/∂W_l     = (∂loss/∂z_l) a_{l−1}ᵀ     (an outer product)
 *   ∂loss/∂a_{l−1} = W_lᵀ (∂loss/∂z_l)
 *
 * The product of these factors is why the first layers' norms vanish.
 */
export function sigmoidStackGradientNorms(x: readonly number[], weights: readonly (readonly (readonly number[])[])[]): number[] {
  return notImplemented("sigmoidStackGradientNorms", "store every a_l on the way forward; on the way back, the norm of an outer product g·aᵀ is ‖g‖·‖a‖");
}
