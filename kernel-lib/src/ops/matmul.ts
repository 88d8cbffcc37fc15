import { promote } from "../core/dtype";
import { fail, fmtShape } from "../core/errors";
import { broadcastShapes, sizeOf } from "../core/shape";
import { kernels } from "../backend";
import { record } from "../autograd/record";
import type { Tensor } from "../tensor";
import { astype, empty } from "./convert";
import { sumToShape } from "./reduce";
import { reshape } from "./shape";

/**
 * Matrix product with PyTorch's rules: 2-D × 2-D; batched [..., m, k] × [..., k, n]
 * with broadcast batch axes; a 1-D operand is treated as a row (left) or column
 * (right) vector and that axis is dropped from the result.
 * Backward: dA = dOut · Bᵀ, dB = Aᵀ · dOut (summed over broadcast batch axes).
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 0 || b.ndim === 0) fail("matmul", `both operands need at least 1 dimension, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}; use mul for scalars`);
  checkAligned(a, b);
  const a2 = a.ndim === 1 ? reshape(a, [1, a.shape[0]]) : a;
  const b2 = b.ndim === 1 ? reshape(b, [b.shape[0], 1]) : b;
  const out = batchedMatmul(a2, false, b2, false);
  const shape = [...out.shape];
  if (b.ndim === 1) shape.splice(shape.length - 1, 1);
  if (a.ndim === 1) shape.splice(shape.length - (b.ndim === 1 ? 1 : 2), 1);
  return reshape(out, shape);
}

/** Errors name the shapes the caller passed (not the 2-D views of 1-D operands). */
function checkAligned(a: Tensor, b: Tensor): void {
  const ka = a.shape[a.ndim - 1];
  const kb = b.shape[Math.max(b.ndim - 2, 0)];
  if (ka !== kb) fail("matmul", `cannot multiply ${fmtShape(a.shape)} by ${fmtShape(b.shape)}: inner sizes ${ka} and ${kb} differ`);
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  for (let i = 1; i <= Math.min(batchA.length, batchB.length); i++) {
    const da = batchA[batchA.length - i];
    const db = batchB[batchB.length - i];
    if (da !== db && da !== 1 && db !== 1) {
      fail("matmul", `cannot multiply ${fmtShape(a.shape)} by ${fmtShape(b.shape)}: batch shapes ${fmtShape(batchA)} and ${fmtShape(batchB)} do not broadcast`);
    }
  }
}

/** op(A) · op(B) over broadcast batch axes, recorded for autograd; op transposes the last two axes when asked. */
function batchedMatmul(a: Tensor, transA: boolean, b: Tensor, transB: boolean): Tensor {
  const [m, ka] = matrixDims(a, transA);
  const [kb, n] = matrixDims(b, transB);
  if (ka !== kb) {
    fail("matmul", `cannot multiply ${fmtShape(a.shape)} by ${fmtShape(b.shape)}: inner sizes ${ka} and ${kb} differ`);
  }
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  const batch = broadcastShapes("matmul", batchA, batchB);
  const out = empty([...batch, m, n], promote(a.dtype, b.dtype));
  const k = kernels();
  const ia = k.broadcastIndex(batchA, batch);
  const ib = k.broadcastIndex(batchB, batch);
  const A = a.dtype === out.dtype ? a.data : astype(a, out.dtype).data;
  const B = b.dtype === out.dtype ? b.data : astype(b, out.dtype).data;
  for (let t = 0; t < sizeOf(batch); t++) {
    const ta = ia ? ia[t] : t;
    const tb = ib ? ib[t] : t;
    k.gemm(A, ta * m * ka, transA, B, tb * ka * n, transB, out.data, t * m * n, m, ka, n, false);
  }
  return record("matmul", [a, b], out, (g) => [
    // Gradients are taken in the layout each input is stored in.
    a.requiresGrad ? sumToShape(transA ? batchedMatmul(b, transB, g, true) : batchedMatmul(g, false, b, !transB), a.shape) : null,
    b.requiresGrad ? sumToShape(transB ? batchedMatmul(g, true, a, transA) : batchedMatmul(a, !transA, g, false), b.shape) : null,
  ]);
}

function matrixDims(x: Tensor, trans: boolean): [number, number] {
  const r = x.shape[x.ndim - 2];
  const c = x.shape[x.ndim - 1];
  return trans ? [c, r] : [r, c];
}

/** x · Wᵀ without materializing the transpose: the product Linear layers compute. */
export function matmulTransposedB(x: Tensor, w: Tensor): Tensor {
  checkLinearShapes(x, w);
  return batchedMatmul(x, false, w, true);
}

/** Fails unless x [..., in] can be multiplied by Wᵀ for a weight W [out, in] (the product Linear layers compute). */
export function checkLinearShapes(x: Tensor, w: Tensor): void {
  if (w.ndim !== 2) fail("linear", `weight must be 2-D [out, in], got ${fmtShape(w.shape)}`);
  if (x.ndim < 2) fail("linear", `input must be at least 2-D [batch, in], got ${fmtShape(x.shape)}`);
  if (x.shape[x.ndim - 1] !== w.shape[1]) {
    fail("linear", `input ${fmtShape(x.shape)} has ${x.shape[x.ndim - 1]} features but the weight ${fmtShape(w.shape)} expects ${w.shape[1]}`);
  }
}
