import type { TypedArray } from "../core/dtype";
import { type Shape, sameShape, sizeOf } from "../core/shape";
import { bernoulliMask } from "./bernoulli";
import { erf } from "./erf";
import { col2im, conv2dBackwardByProducts, conv2dByProducts, im2col } from "./conv";
import { avgPool2d, avgPool2dBackward, maxPool2d, maxPool2dBackward } from "./pool";
import { batchNormBackward, channelMoments, channelNormalize } from "./fused";
import type { BinaryOp, Kernels, UnaryOp } from "./kernels";

/**
 * The reference kernels: plain indexed loops over typed arrays, written to be
 * read, and the oracle the fast kernels (wasm/) are tested against. Each op
 * has its own loop (no per-element callbacks), so V8 compiles every loop to
 * straight machine code. Faster variants of these loops live with the fast
 * kernels (wasm/branch-free.ts, wasm/periodic.ts), not here.
 */

const indexCache = new Map<string, Int32Array>();
const INDEX_CACHE_LIMIT = 256;

function broadcastIndex(from: Shape, to: Shape): Int32Array | null {
  if (sameShape(from, to)) return null;
  // Strides of `from` seen through `to`'s axes: 0 where `from` is broadcast.
  const rank = to.length;
  const strides = new Array<number>(rank).fill(0);
  let s = 1;
  for (let i = from.length - 1; i >= 0; i--) {
    strides[rank - from.length + i] = from[i] === 1 ? 0 : s;
    s *= from[i];
  }
  return stridedIndex(0, strides, to);
}

/**
 * For every position of `shape` in row-major order, the offset into a strided
 * source: offset + Σ index[ax]·strides[ax]. Cached, since training repeats the
 * same shapes every step.
 */
function stridedIndex(offset: number, strides: readonly number[], shape: Shape): Int32Array {
  const key = `${offset}|${strides.join(",")}|${shape.join(",")}`;
  const hit = indexCache.get(key);
  if (hit) return hit;
  const rank = shape.length;
  const total = sizeOf(shape);
  const index = new Int32Array(total);
  if (rank === 0) {
    index[0] = offset;
  } else if (total > 0) {
    const counter = new Array<number>(rank).fill(0);
    const inner = shape[rank - 1];
    const innerStride = strides[rank - 1];
    let base = offset;
    for (let pos = 0; pos < total; pos += inner) {
      for (let j = 0; j < inner; j++) index[pos + j] = base + j * innerStride;
      // Advance the odometer over the outer axes.
      for (let ax = rank - 2; ax >= 0; ax--) {
        counter[ax]++;
        base += strides[ax];
        if (counter[ax] < shape[ax]) break;
        base -= strides[ax] * shape[ax];
        counter[ax] = 0;
      }
    }
  }
  if (indexCache.size >= INDEX_CACHE_LIMIT) indexCache.delete(indexCache.keys().next().value as string);
  indexCache.set(key, index);
  return index;
}

function stridedCopy(src: TypedArray, offset: number, strides: readonly number[], shape: Shape, out: TypedArray): void {
  const index = stridedIndex(offset, strides, shape);
  for (let i = 0; i < index.length; i++) out[i] = src[index[i]];
}

function binary(op: BinaryOp, a: TypedArray, ia: Int32Array | null, b: TypedArray, ib: Int32Array | null, out: TypedArray): void {
  const n = out.length;
  if (ia === null && ib === null) {
    binarySame(op, a, b, out, n);
    return;
  }
  // Broadcast case: read both operands through their index maps.
  switch (op) {
    case "add": for (let i = 0; i < n; i++) out[i] = a[ia ? ia[i] : i] + b[ib ? ib[i] : i]; return;
    case "sub": for (let i = 0; i < n; i++) out[i] = a[ia ? ia[i] : i] - b[ib ? ib[i] : i]; return;
    case "mul": for (let i = 0; i < n; i++) out[i] = a[ia ? ia[i] : i] * b[ib ? ib[i] : i]; return;
    case "div": for (let i = 0; i < n; i++) out[i] = a[ia ? ia[i] : i] / b[ib ? ib[i] : i]; return;
    default: {
      // Rarer ops: gather both operands, then run the same-shape loop.
      const ga = gather(a, ia, n, out);
      const gb = gather(b, ib, n, out);
      binarySame(op, ga, gb, out, n);
    }
  }
}

function gather(x: TypedArray, index: Int32Array | null, n: number, like: TypedArray): TypedArray {
  if (index === null) return x;
  const g = new (like.constructor as { new (n: number): TypedArray })(n);
  for (let i = 0; i < n; i++) g[i] = x[index[i]];
  return g;
}

function binarySame(op: BinaryOp, a: TypedArray, b: TypedArray, out: TypedArray, n: number): void {
  switch (op) {
    case "add": for (let i = 0; i < n; i++) out[i] = a[i] + b[i]; return;
    case "sub": for (let i = 0; i < n; i++) out[i] = a[i] - b[i]; return;
    case "mul": for (let i = 0; i < n; i++) out[i] = a[i] * b[i]; return;
    case "div": for (let i = 0; i < n; i++) out[i] = a[i] / b[i]; return;
    case "pow": for (let i = 0; i < n; i++) out[i] = Math.pow(a[i], b[i]); return;
    // NOTE: NaN propagates through maximum/minimum, as in torch.maximum.
    case "maximum": for (let i = 0; i < n; i++) out[i] = a[i] !== a[i] || b[i] !== b[i] ? NaN : a[i] > b[i] ? a[i] : b[i]; return;
    case "minimum": for (let i = 0; i < n; i++) out[i] = a[i] !== a[i] || b[i] !== b[i] ? NaN : a[i] < b[i] ? a[i] : b[i]; return;
    case "eq": for (let i = 0; i < n; i++) out[i] = a[i] === b[i] ? 1 : 0; return;
    case "ne": for (let i = 0; i < n; i++) out[i] = a[i] !== b[i] ? 1 : 0; return;
    case "lt": for (let i = 0; i < n; i++) out[i] = a[i] < b[i] ? 1 : 0; return;
    case "le": for (let i = 0; i < n; i++) out[i] = a[i] <= b[i] ? 1 : 0; return;
    case "gt": for (let i = 0; i < n; i++) out[i] = a[i] > b[i] ? 1 : 0; return;
    case "ge": for (let i = 0; i < n; i++) out[i] = a[i] >= b[i] ? 1 : 0; return;
    case "reluBackward": for (let i = 0; i < n; i++) out[i] = a[i] * (b[i] > 0 ? 1 : 0); return;
  }
}

function unary(op: UnaryOp, x: TypedArray, out: TypedArray): void {
  const n = x.length;
  switch (op) {
    case "neg": for (let i = 0; i < n; i++) out[i] = -x[i]; return;
    case "exp": for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]); return;
    case "log": for (let i = 0; i < n; i++) out[i] = Math.log(x[i]); return;
    case "sqrt": for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]); return;
    case "abs": for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]); return;
    case "sign": for (let i = 0; i < n; i++) out[i] = Math.sign(x[i]); return;
    case "sin": for (let i = 0; i < n; i++) out[i] = Math.sin(x[i]); return;
    case "cos": for (let i = 0; i < n; i++) out[i] = Math.cos(x[i]); return;
    case "tanh": for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]); return;
    // σ(x) = 1/(1+e^(−x)) for x ≥ 0 and e^x/(1+e^x) otherwise: never exp of a large positive number.
    case "sigmoid":
      for (let i = 0; i < n; i++) {
        const v = x[i];
        if (v >= 0) out[i] = 1 / (1 + Math.exp(-v));
        else {
          const e = Math.exp(v);
          out[i] = e / (1 + e);
        }
      }
      return;
    case "relu": for (let i = 0; i < n; i++) out[i] = x[i] > 0 ? x[i] : x[i] !== x[i] ? NaN : 0; return;
    // NOTE: the derivative of relu at exactly 0 is taken as 0, as PyTorch does.
    case "step": for (let i = 0; i < n; i++) out[i] = x[i] > 0 ? 1 : 0; return;
    case "erf": for (let i = 0; i < n; i++) out[i] = erf(x[i]); return;
    case "log1p": for (let i = 0; i < n; i++) out[i] = Math.log1p(x[i]); return;
    case "expm1": for (let i = 0; i < n; i++) out[i] = Math.expm1(x[i]); return;
    // softplus(x) = log(1 + e^x) = max(x, 0) + log1p(e^(−|x|)), stable for any x.
    case "softplus": for (let i = 0; i < n; i++) out[i] = Math.max(x[i], 0) + Math.log1p(Math.exp(-Math.abs(x[i]))); return;
    case "isnan": for (let i = 0; i < n; i++) out[i] = x[i] !== x[i] ? 1 : 0; return;
    case "floor": for (let i = 0; i < n; i++) out[i] = Math.floor(x[i]); return;
    case "round": for (let i = 0; i < n; i++) out[i] = Math.round(x[i]); return;
  }
}

function clamp(x: TypedArray, lo: number, hi: number, out: TypedArray): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    out[i] = v < lo ? lo : v > hi ? hi : v;
  }
}

function where(c: TypedArray, ic: Int32Array | null, a: TypedArray, ia: Int32Array | null, b: TypedArray, ib: Int32Array | null, out: TypedArray): void {
  for (let i = 0; i < out.length; i++) {
    out[i] = c[ic ? ic[i] : i] !== 0 ? a[ia ? ia[i] : i] : b[ib ? ib[i] : i];
  }
}

function sumInto(x: TypedArray, map: Int32Array | null, out: TypedArray): void {
  if (map === null) {
    for (let i = 0; i < x.length; i++) out[i] += x[i];
    return;
  }
  for (let i = 0; i < x.length; i++) out[map[i]] += x[i];
}

function maxInto(x: TypedArray, map: Int32Array | null, out: TypedArray, arg: Int32Array | null, sign: 1 | -1): void {
  // `seen` counts how many inputs each output has received: the argmax is the
  // position within the reduced block (PyTorch's convention), first one on ties.
  const seen = new Int32Array(out.length);
  for (let i = 0; i < x.length; i++) {
    const o = map ? map[i] : i;
    const v = sign * x[i];
    const k = seen[o]++;
    if (k === 0 || v > sign * out[o] || (v !== v && out[o] === out[o])) {
      out[o] = x[i];
      if (arg) arg[o] = k;
    }
  }
}

function gemm(
  a: TypedArray, aOff: number, transA: boolean,
  b: TypedArray, bOff: number, transB: boolean,
  out: TypedArray, outOff: number,
  m: number, k: number, n: number, accumulate: boolean,
): void {
  // Element (i, p) of op(A) and (p, j) of op(B), through row/column strides.
  const ars = transA ? 1 : k, acs = transA ? m : 1;
  const brs = transB ? 1 : n, bcs = transB ? k : 1;
  if (!accumulate) out.fill(0, outOff, outOff + m * n);
  if (bcs === 1) {
    // i-p-j order: the inner loop walks a row of B and a row of the output.
    for (let i = 0; i < m; i++) {
      const orow = outOff + i * n;
      for (let p = 0; p < k; p++) {
        const aip = a[aOff + i * ars + p * acs];
        if (aip === 0) continue;
        const brow = bOff + p * brs;
        for (let j = 0; j < n; j++) out[orow + j] += aip * b[brow + j];
      }
    }
    return;
  }
  // B transposed: each output is a dot product of a row of op(A) and a row of B's storage.
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      const bcol = bOff + j * bcs;
      for (let p = 0; p < k; p++) s += a[aOff + i * ars + p * acs] * b[bcol + p];
      out[outOff + i * n + j] += s;
    }
  }
}

/** Convolutions: im2col, then one product per group on the gemm above (conv.ts). */
const conv2d: Kernels["conv2d"] = (x, weight, bias, g, out) => conv2dByProducts(gemm, x, weight, bias, g, out);
const conv2dBackward: Kernels["conv2dBackward"] = (x, weight, dOut, g, dx, dWeight) =>
  conv2dBackwardByProducts(gemm, x, weight, dOut, g, dx, dWeight);

export const cpuKernels: Kernels = {
  broadcastIndex, binary, unary, clamp, where, sumInto, maxInto, gemm, stridedIndex, stridedCopy,
  channelMoments, channelNormalize, batchNormBackward, bernoulliMask,
  im2col, col2im, conv2d, conv2dBackward, maxPool2d, maxPool2dBackward, avgPool2d, avgPool2dBackward,
};
