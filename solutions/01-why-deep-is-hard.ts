/**
 * Lesson 1 exercises: why deep networks are hard to train.
 * Replace each `notImplemented(…)` with your code, then run `npm run check -- 01`.
 */

/**
 * 1.1 The derivative of the logistic sigmoid at z: σ'(z) = σ(z)·(1 − σ(z)).
 * Its largest value is σ'(0) = 0.25.
 */
export function sigmoidDerivative(z: number): number {
  // BEGIN SOLUTION hint: compute s = 1 / (1 + Math.exp(-z)) first, then s * (1 - s)
  const s = 1 / (1 + Math.exp(-z));
  return s * (1 - s);
  // END SOLUTION
}

/**
 * 1.2 The chain rule through a stack of layers multiplies one local
 * derivative per layer. Given each layer's pre-activation z, return the
 * product of the sigmoid derivatives: how much of the output gradient is
 * left at the first layer. With every z = 0 and 10 layers that is 0.25^10 ≈ 1e-6.
 */
export function gradientThroughSigmoids(preActivations: readonly number[]): number {
  // BEGIN SOLUTION hint: start from 1 and multiply by sigmoidDerivative(z) for each z
  return preActivations.reduce((g, z) => g * sigmoidDerivative(z), 1);
  // END SOLUTION
}

/**
 * 1.3 The number of parameters (weights and biases) of a fully connected
 * network with the given layer sizes, e.g. [50, 100, 100, 10] → 16,210.
 */
export function countParameters(layerSizes: readonly number[]): number {
  // BEGIN SOLUTION hint: each layer from n_in to n_out has n_in·n_out weights and n_out biases
  let total = 0;
  for (let i = 1; i < layerSizes.length; i++) total += layerSizes[i - 1] * layerSizes[i] + layerSizes[i];
  return total;
  // END SOLUTION
}
