/**
 * Lesson 5 exercises: residual connections and gradient clipping.
 * Replace each `notImplemented(…)` with your code, then run `npm run check -- 05`.
 *
 * Gradients are given as a list of plain arrays, one per parameter (what
 * `model.parameters().map((p) => Array.from(p.grad!.data))` gives you); the
 * clipping functions change them in place, as `clipGradNorm_` does.
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
  // BEGIN SOLUTION hint: first sum the squares over every array, then scale only if maxNorm / (norm + 1e-6) < 1
  if (!(maxNorm > 0)) throw new Error(`maxNorm must be > 0, got ${maxNorm}`);
  let squares = 0;
  for (const g of grads) for (const v of g) squares += v * v;
  const total = Math.sqrt(squares);
  const coef = maxNorm / (total + 1e-6);
  if (coef < 1) {
    for (const g of grads) for (let i = 0; i < g.length; i++) g[i] *= coef;
  }
  return total;
  // END SOLUTION
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
  // BEGIN SOLUTION hint: Math.min(clipValue, Math.max(-clipValue, v)) clamps one entry; count the entries with |v| > clipValue
  if (!(clipValue > 0)) throw new Error(`clipValue must be > 0, got ${clipValue}`);
  let changed = 0;
  for (const g of grads) {
    for (let i = 0; i < g.length; i++) {
      if (Math.abs(g[i]) > clipValue) {
        g[i] = Math.sign(g[i]) * clipValue;
        changed++;
      }
    }
  }
  return changed;
  // END SOLUTION
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
  // BEGIN SOLUTION hint: accumulate Σ a·b, Σ a² and Σ b² in one pass over matching entries
  if (a.length !== b.length || a.some((g, k) => g.length !== b[k].length)) {
    throw new Error("cosineSimilarity: a and b must have the same number of arrays, of the same lengths");
  }
  let ab = 0, aa = 0, bb = 0;
  a.forEach((g, k) => {
    for (let i = 0; i < g.length; i++) {
      ab += g[i] * b[k][i];
      aa += g[i] * g[i];
      bb += b[k][i] * b[k][i];
    }
  });
  if (aa === 0 || bb === 0) return 0;
  return ab / Math.sqrt(aa * bb);
  // END SOLUTION
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
  // BEGIN SOLUTION hint: compute a = relu(x) first; then y_i = x_i + b_i + Σ_j W[i][j]·a_j
  const a = x.map((v) => Math.max(0, v));
  return x.map((xi, i) => {
    let s = xi + b[i];
    for (let j = 0; j < a.length; j++) s += W[i][j] * a[j];
    return s;
  });
  // END SOLUTION
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
  // BEGIN SOLUTION hint: dx is dy (the identity path) plus Wᵀ·dy masked where x ≤ 0; dW is the outer product of dy and relu(x)
  void b; // the bias does not enter the gradients
  const d = x.length;
  const a = x.map((v) => Math.max(0, v));
  const dx = x.map((xj, j) => {
    let back = 0;
    for (let i = 0; i < d; i++) back += W[i][j] * dy[i];
    return dy[j] + (xj > 0 ? back : 0);
  });
  const dW = dy.map((dyi) => a.map((aj) => dyi * aj));
  return { dx, dW, db: [...dy] };
  // END SOLUTION
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
  // BEGIN SOLUTION hint: loop k from jacobians.length − 1 down to 0; for residual layers add g itself to g·J before taking the norm
  const norms: number[] = [];
  let current = [...g];
  for (let k = jacobians.length - 1; k >= 0; k--) {
    const J = jacobians[k];
    const cols = J[0].length;
    const next = new Array<number>(cols).fill(0);
    for (let i = 0; i < J.length; i++) for (let j = 0; j < cols; j++) next[j] += current[i] * J[i][j];
    if (residual) for (let j = 0; j < cols; j++) next[j] += current[j];
    current = next;
    norms.push(Math.sqrt(current.reduce((s, v) => s + v * v, 0)));
  }
  return norms;
  // END SOLUTION
}
