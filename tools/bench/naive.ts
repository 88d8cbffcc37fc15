/**
 * The baseline every library should beat: C = A·B for row-major n×n
 * Float32Arrays in the i-k-j loop order, so the inner loop walks B and C
 * along rows (contiguous memory) while A[i, k] stays in a register.
 */
export function naiveMatmul(a: Float32Array, b: Float32Array, n: number): Float32Array {
  const c = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    const rowC = i * n;
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      const rowB = k * n;
      for (let j = 0; j < n; j++) c[rowC + j] += aik * b[rowB + j];
    }
  }
  return c;
}
