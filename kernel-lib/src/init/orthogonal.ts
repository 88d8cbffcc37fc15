import { fail, fmtShape } from "../core/errors";
import { defaultGenerator } from "../core/random";
import { noGrad } from "../autograd/grad-mode";
import type { Tensor } from "../tensor";
import type { InitOptions } from "./fill";

export interface OrthogonalOptions extends InitOptions {
  /** Multiplies the orthogonal matrix; default 1. */
  gain?: number;
}

/**
 * Saxe et al. (2014): a (semi-)orthogonal weight, so W x has the same norm
 * as x in every direction and deep linear chains neither explode nor vanish.
 * `t` is viewed as a matrix [rows, cols] with rows = t.shape[0] and
 * cols = the product of the other sizes; the result has orthonormal rows
 * (rows ≤ cols) or columns (rows > cols), times `gain`.
 *
 * Recipe (as PyTorch): A with i.i.d. N(0, 1) entries, shaped tall (m ≥ n),
 * is factored A = Q R and Q is kept, with each column's sign chosen so that
 * diag(R) > 0. That sign convention makes Q uniformly (Haar) distributed
 * over orthogonal matrices. Gram–Schmidt produces diag(R) = column norms > 0,
 * so it gives exactly that Q; we orthogonalize twice ("twice is enough",
 * Giraud et al. 2005) to stay orthogonal to rounding error in float64.
 */
export function orthogonal_(t: Tensor, options: OrthogonalOptions = {}): Tensor {
  if (t.ndim < 2) fail("orthogonal_", `needs a tensor with at least 2 dimensions, got ${fmtShape(t.shape)}`);
  if (t.dtype === "int32") fail("orthogonal_", "needs a float tensor, got int32");
  const rows = t.shape[0];
  const cols = t.size / rows;
  if (t.size === 0) return t;
  const g = options.generator ?? defaultGenerator;
  const gain = options.gain ?? 1;
  const tall = rows >= cols;
  const m = tall ? rows : cols;
  const n = tall ? cols : rows;
  // Columns of the tall m×n matrix, each stored contiguously.
  const q = new Float64Array(m * n);
  for (let i = 0; i < q.length; i++) q[i] = g.normal();
  gramSchmidt(q, m, n);
  noGrad(() => {
    const d = t.data;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        // Tall: element (r, c) is row r of column c; wide: the transpose.
        d[r * cols + c] = gain * (tall ? q[c * m + r] : q[r * m + c]);
      }
    }
  });
  return t;
}

/** Orthonormalizes the n columns (each of length m, stored contiguously) of `q` in place. */
function gramSchmidt(q: Float64Array, m: number, n: number): void {
  for (let j = 0; j < n; j++) {
    const vj = j * m;
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < j; i++) {
        const ui = i * m;
        let r = 0;
        for (let k = 0; k < m; k++) r += q[ui + k] * q[vj + k];
        for (let k = 0; k < m; k++) q[vj + k] -= r * q[ui + k];
      }
    }
    let norm = 0;
    for (let k = 0; k < m; k++) norm += q[vj + k] * q[vj + k];
    norm = Math.sqrt(norm);
    if (norm === 0) fail("orthogonal_", "the random matrix was rank-deficient (probability zero); try another seed");
    for (let k = 0; k < m; k++) q[vj + k] /= norm;
  }
}
