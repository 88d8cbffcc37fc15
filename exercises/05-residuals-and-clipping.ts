import { notImplemented } from "./support";
/**
 * Lesson 5 exercises: residual connections and gradient clipping.
 * Replace each `notImplemented(…)` with your code, then run `npm run check -- 05`.
 *
 * Gradients are given as a list of plain arrays, one per parameter (what
 * `model.parameters().map((p) => Array.from(p.grad!.data))` gives you); the
 * clipping functions change them in place, as `clipGradNorm_` does.
 */
/*
 * Write these yourself: the grader checks, and a function that takes a shortcut scores 0.
 * - Without kernel-lib (plain numbers and arrays; its types are fine): clipGradNorm, clipGradValue, cosineSimilarity, residualForward, residualBackward, backpropNorms.
 */

/**
 * 5.1 Clipping by global norm. Treat all the arrays in `grads` as one long
 * vector g and compute its Euclidean norm ‖g‖ = √(Σ over every entry of g²).
 * Then, with coef = maxNorm / (‖g‖ + 1e-6) (the 1e-6 avoids dividing by 0, as
 * in PyTorch), multiply every entry by coef if coef < 1; otherwise leave the
 * gradients unchanged. Returns ‖g‖ as it was BEFORE clipping.
 *
 * Edge cases: an empty list, or arrays of zeros, have norm 0 and are left alone.
 * Throws an Error if maxNorm is not > 0.
 *
 *   const grads = [[3, 4], [12]];
 *   clipGradNorm(grads, 1);   // → 13, and grads ≈ [[3/13, 4/13], [12/13]]
 */
export function clipGradNorm(grads: number[][], maxNorm: number): number {
  return notImplemented("clipGradNorm", "first sum the squares over every array, then scale only if maxNorm / (norm + 1e-6) < 1");
}

/**
 * 5.2 Clipping by value. Clamp every entry of every array into
 * [−clipValue, clipValue], in place. Returns how many entries were changed
 * (those with |g_i| > clipValue).
 *
 * Throws an Error if clipValue is not > 0.
 *
 *   const grads = [[0.5, -3], [2]];
 *   clipGradValue(grads, 1);  // → 2, and grads = [[0.5, -1], [1]]
 */
export function clipGradValue(grads: number[][], clipValue: number): number {
  return notImplemented("clipGradValue", "Math.min(clipValue, Math.max(-clipValue, v)) clamps one entry; count the entries with |v| > clipValue");
}

/**
 * 5.3 The cosine of the angle between two updates, each given as a list of
 * arrays (one per parameter) and seen as one long vector:
 *
 *   cos(a, b) = Σ a_i·b_i / (‖a‖·‖b‖)
 *
 * 1 means the same direction (clipping by norm), less than 1 a turned one
 * (clipping by value). Returns 0 if either vector is all zeros. Throws an
 * Error if the two lists do not have the same shape (number of arrays and
 * length of each).
 */
export function cosineSimilarity(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): number {
  return notImplemented("cosineSimilarity", "accumulate Σ a·b, Σ a² and Σ b² in one pass over matching entries");
}

/**
 * 5.4 The forward pass of a pre-activation residual block on one input vector
 * x (length d), with a square weight W (d rows × d columns, W[i][j] connects
 * input j to output i) and a bias b (length d):
 *
 *   y = x + W·relu(x) + b,   i.e.   y_i = x_i + Σ_j W[i][j]·max(0, x_j) + b_i
 *
 * This is `new nn.Residual(new nn.Sequential(new nn.ReLU(), new nn.Linear(d, d)))`.
 */
export function residualForward(x: readonly number[], W: readonly (readonly number[])[], b: readonly number[]): number[] {
  return notImplemented("residualForward", "compute a = relu(x) first; then y_i = x_i + b_i + Σ_j W[i][j]·a_j");
}

/**
 * 5.5 The backward pass of the same block. Given the upstream gradient
 * dy = ∂L/∂y (length d), return
 *
 *   dx_j    = dy_j + 1[x_j > 0]·Σ_i W[i][j]·dy_i     (the skip passes dy through unchanged)
 *   dW[i][j] = dy_i · relu(x_j)
 *   db_i    = dy_i
 *
 * Use relu'(0) = 0 (the convention of autograd in kernel-lib and PyTorch).
 */
export function residualBackward(
  x: readonly number[],
  W: readonly (readonly number[])[],
  b: readonly number[],
  dy: readonly number[],
): { dx: number[]; dW: number[][]; db: number[] } {
  return notImplemented("residualBackward", "dx is dy (the identity path) plus Wᵀ·dy masked where x ≤ 0; dW is the outer product of dy and relu(x)");
}

/**
 * 5.6 The chain rule as a product of Jacobians. `jacobians[k]` is the Jacobian
 * of layer k+1 in forward order (rows = outputs, columns = inputs), so the
 * last one is the top layer. Starting from the row vector g (the gradient at
 * the top, length = rows of the last Jacobian), carry it down one layer at a
 * time, top layer first:
 *
 *   g ← g·J          (plain layers: (g·J)_j = Σ_i g_i·J[i][j])
 *   g ← g·(I + J)    (residual layers: g + g·J; every J must then be square)
 *
 * Return the norm ‖g‖ after each layer, in the order computed: element 0 is
 * the norm after the top layer, the last element the norm after layer 1.
 * An empty list of Jacobians returns [].
 */
export function backpropNorms(jacobians: readonly (readonly (readonly number[])[])[], g: readonly number[], residual: boolean): number[] {
  return notImplemented("backpropNorms", "loop k from jacobians.length − 1 down to 0; for residual layers add g itself to g·J before taking the norm");
}
