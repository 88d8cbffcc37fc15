import { fail, fmtShape } from "../core/errors";
import { type Shape, checkShape, normalizeAxis, sameShape, sizeOf } from "../core/shape";
import { kernels } from "../backend";
import { record } from "../autograd/record";
import { Tensor } from "../tensor";
import { take } from "./take";

/**
 * Shape manipulation. `reshape` shares storage (the data are contiguous, so
 * only the shape changes); permute and expand copy through `take`.
 */

/** Same elements, new shape; one size may be −1 to be inferred. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const target = inferShape(x, shape);
  if (sameShape(target, x.shape)) return x;
  const out = new Tensor(x.data, target);
  return record("reshape", [x], out, (g) => [reshape(g, x.shape)]);
}

function inferShape(x: Tensor, shape: readonly number[]): number[] {
  const free = shape.filter((d) => d === -1).length;
  if (free > 1) fail("reshape", `only one size can be -1, got ${fmtShape(shape)}`);
  const known = shape.filter((d) => d !== -1);
  checkShape("reshape", known);
  const knownSize = sizeOf(known);
  const target = shape.map((d) => (d === -1 ? (knownSize === 0 ? 0 : x.size / knownSize) : d));
  if (!Number.isInteger(sizeOf(target)) || sizeOf(target) !== x.size || target.some((d) => !Number.isInteger(d))) {
    fail("reshape", `cannot reshape ${fmtShape(x.shape)} (${x.size} elements) into ${fmtShape(shape)}`);
  }
  return target;
}

/** Merges axes startDim..endDim into one (PyTorch's flatten). */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normalizeAxis("flatten", startDim, x.ndim);
  const e = normalizeAxis("flatten", endDim, x.ndim);
  if (s > e) fail("flatten", `startDim ${startDim} comes after endDim ${endDim}`);
  const merged = x.shape.slice(s, e + 1).reduce((a, b) => a * b, 1);
  return reshape(x, [...x.shape.slice(0, s), merged, ...x.shape.slice(e + 1)]);
}

/** Removes an axis of size 1 (all of them when `axis` is omitted). */
export function squeeze(x: Tensor, axis?: number): Tensor {
  if (axis === undefined) return reshape(x, x.shape.filter((d) => d !== 1));
  const a = normalizeAxis("squeeze", axis, x.ndim);
  if (x.shape[a] !== 1) return x; // PyTorch leaves other sizes alone
  return reshape(x, x.shape.filter((_, i) => i !== a));
}

/** Inserts an axis of size 1 at `axis` (−1 appends). */
export function unsqueeze(x: Tensor, axis: number): Tensor {
  const a = normalizeAxis("unsqueeze", axis, x.ndim + 1);
  const shape = [...x.shape];
  shape.splice(a, 0, 1);
  return reshape(x, shape);
}

/** Reorders axes: out.shape[i] = x.shape[dims[i]]. */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  if (dims.length !== x.ndim) fail("permute", `got ${dims.length} dims for a tensor of rank ${x.ndim}: ${fmtShape(dims)}`);
  const axes = dims.map((d) => normalizeAxis("permute", d, x.ndim));
  if (new Set(axes).size !== axes.length) fail("permute", `dims ${fmtShape(dims)} repeat an axis`);
  if (axes.every((d, i) => d === i)) return x;
  const shape = axes.map((d) => x.shape[d]);
  const strides = axes.map((d) => x.strides[d]);
  return take("permute", x, kernels().stridedIndex(0, strides, shape), shape);
}

/** Swaps two axes (by default the last two: the matrix transpose of each batch entry). */
export function transpose(x: Tensor, dim0 = -2, dim1 = -1): Tensor {
  if (x.ndim < 2) return x;
  const a = normalizeAxis("transpose", dim0, x.ndim);
  const b = normalizeAxis("transpose", dim1, x.ndim);
  const dims = x.shape.map((_, i) => i);
  dims[a] = b;
  dims[b] = a;
  return permute(x, dims);
}

/** Broadcasts x to `shape` (sizes of 1 stretched, new leading axes added); −1 keeps a size. */
export function expand(x: Tensor, shape: Shape): Tensor {
  const lead = shape.length - x.ndim;
  if (lead < 0) fail("expand", `cannot expand ${fmtShape(x.shape)} to fewer dimensions ${fmtShape(shape)}`);
  const target = shape.map((d, i) => (d === -1 && i >= lead ? x.shape[i - lead] : d));
  checkShape("expand", target);
  x.shape.forEach((d, i) => {
    if (d !== 1 && d !== target[i + lead]) {
      fail("expand", `cannot expand ${fmtShape(x.shape)} to ${fmtShape(shape)}: size ${d} at axis ${i} is not 1`);
    }
  });
  const index = kernels().broadcastIndex(x.shape, target);
  if (index === null) return x;
  return take("expand", x, index, target);
}
