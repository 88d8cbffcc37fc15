import { notImplemented } from "./support";
/**
 * Lesson 3 exercises: activation functions, from scratch on plain arrays.
 * Replace each `notImplemented(…)` with your code, then run `npm run check -- 03`.
 *
 * Each activation returns its values AND its derivative at every input, the
 * two things a layer needs: `y` for the forward pass, `dydx` for backprop
 * (dL/dx = dL/dy · dydx, elementwise). At a kink (x = 0) use the derivative
 * of the NEGATIVE side, as kernel-lib and PyTorch do.
 */
/*
 * Write these yourself: the grader checks, and a function that takes a shortcut scores 0.
 * - Without kernel-lib (plain numbers and arrays; its types are fine): leakyRelu, elu, selu, geluTanh, deadFraction.
 */

/** An activation evaluated on a list of inputs: y[i] = f(x[i]) and dydx[i] = f′(x[i]). */
export interface Activated {
  y: number[];
  dydx: number[];
}

/**
 * 3.1 Leaky ReLU: f(x) = x for x > 0, negativeSlope · x otherwise
 * (default negativeSlope = 0.01). Its derivative is 1 for x > 0 and
 * negativeSlope for x ≤ 0, so a unit stuck on the negative side still
 * receives a (small) gradient.
 *
 *   leakyRelu([-2, 0, 3], 0.1)  →  { y: [-0.2, 0, 3], dydx: [0.1, 0.1, 1] }
 */
export function leakyRelu(x: readonly number[], negativeSlope = 0.01): Activated {
  return notImplemented("leakyRelu", "one loop; branch on x > 0 for both the value and the slope");
}

/**
 * 3.2 ELU (Clevert et al., 2016): f(x) = x for x > 0,
 * alpha · (eˣ − 1) otherwise (default alpha = 1). Derivative: 1 for x > 0,
 * alpha · eˣ (= f(x) + alpha) for x ≤ 0. For very negative x the output
 * tends to −alpha; for large positive x it must stay x (never compute e^x
 * there: Math.exp(1000) is Infinity).
 */
export function elu(x: readonly number[], alpha = 1): Activated {
  return notImplemented("elu", "for x ≤ 0 compute e = Math.exp(x) once; y = alpha·(e − 1), dydx = alpha·e");
}

/** SELU's constants (Klambauer et al., 2017): with them, mean 0 and variance 1 is a fixed point. */
export const SELU_ALPHA = 1.6732632423543772848170429916717;
export const SELU_SCALE = 1.0507009873554804934193349852946;

/**
 * 3.3 SELU: f(x) = SELU_SCALE · x for x > 0 and
 * SELU_SCALE · SELU_ALPHA · (eˣ − 1) otherwise, i.e. SELU_SCALE · elu(x, SELU_ALPHA).
 * Derivative: SELU_SCALE for x > 0, SELU_SCALE · SELU_ALPHA · eˣ for x ≤ 0.
 * (Note the slope for x > 0 is about 1.0507, not 1.)
 */
export function selu(x: readonly number[]): Activated {
  return notImplemented("selu", "reuse your elu with alpha = SELU_ALPHA and multiply both y and dydx by SELU_SCALE");
}

/**
 * 3.4 GELU with the tanh approximation (Hendrycks & Gimpel, 2016), as in
 * BERT and GPT-2:
 *
 *   u(x) = √(2/π) · (x + 0.044715 · x³)
 *   f(x) = 0.5 · x · (1 + tanh(u))
 *
 * Derivative (product rule, then chain rule; tanh′ = 1 − tanh²):
 *
 *   f′(x) = 0.5 · (1 + tanh(u)) + 0.5 · x · (1 − tanh(u)²) · √(2/π) · (1 + 3 · 0.044715 · x²)
 *
 * GELU is smooth and not monotonic: it dips to about −0.17 near x ≈ −0.75.
 */
export function geluTanh(x: readonly number[]): Activated {
  return notImplemented("geluTanh", "compute t = Math.tanh(u) once per input and use it in both formulas");
}

/**
 * 3.5 The fraction of dead units in a batch of ReLU activations.
 * `activations[i][j]` is unit j's output for sample i (rows = samples,
 * columns = units, like a [N, units] tensor). A unit is dead on this batch
 * when its activation is ≤ 0 for EVERY sample: it passes no signal forward
 * and (through ReLU) gets no gradient back. Returns dead units / units, in [0, 1].
 * Throws an Error when the batch has no rows or the rows have no units or
 * different lengths.
 *
 *   deadFraction([[0, 1.5, 0], [0, 0, 2]])  →  1/3   (only unit 0 never fires)
 */
export function deadFraction(activations: readonly (readonly number[])[]): number {
  return notImplemented("deadFraction", "for each column j, check whether any row has activations[i][j] > 0; count the columns where none does");
}
