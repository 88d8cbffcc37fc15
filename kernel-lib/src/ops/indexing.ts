import { promote } from "../core/dtype";
import { fail, fmtShape } from "../core/errors";
import { normalizeAxis } from "../core/shape";
import { kernels } from "../backend";
import { record } from "../autograd/record";
import { Tensor } from "../tensor";
import { empty, astype } from "./convert";
import { reshape } from "./shape";
import { take } from "./take";
import { checkInteger, checkPositiveInteger } from "../core/validate";

/**
 * Reading parts of a tensor: ranges (`slice`), single entries (`select`),
 * lists of positions (`indexSelect`, `gather`) and joining (`concat`, `stack`).
 * Reads go through `take`, whose backward scatters the gradient back, except
 * indexSelect, which copies whole blocks (its backward scatters them back).
 */

/** x[start:end:step] along `dim`, with Python's clamping of out-of-range bounds and negative indices. */
export function slice(x: Tensor, dim: number, start?: number, end?: number, step = 1): Tensor {
  const d = normalizeAxis("slice", dim, x.ndim);
  checkPositiveInteger("slice", "step", step);
  const n = x.shape[d];
  const bound = (v: number | undefined, fallback: number) => {
    if (v === undefined) return fallback;
    checkInteger("slice", "bound", v);
    return Math.min(Math.max(v < 0 ? v + n : v, 0), n);
  };
  const s = bound(start, 0);
  const e = bound(end, n);
  const length = Math.max(0, Math.ceil((e - s) / step));
  if (s === 0 && length === n && step === 1) return x;
  const shape = [...x.shape];
  shape[d] = length;
  const strides = [...x.strides];
  strides[d] *= step;
  return take("slice", x, kernels().stridedIndex(s * x.strides[d], strides, shape), shape);
}

/** The entry at `index` along `dim`, with that axis dropped. */
export function select(x: Tensor, dim: number, index: number): Tensor {
  const d = normalizeAxis("select", dim, x.ndim);
  const n = x.shape[d];
  if (!Number.isInteger(index) || index < -n || index >= n) fail("select", `index ${index} is out of range for axis ${d} of size ${n}`);
  const i = index < 0 ? index + n : index;
  const part = slice(x, d, i, i + 1);
  return reshape(part, x.shape.filter((_, a) => a !== d));
}

/** Entries at the given positions along `dim`, in that order (repeats allowed), like torch.index_select. */
export function indexSelect(x: Tensor, dim: number, indices: ArrayLike<number> | Tensor): Tensor {
  const d = normalizeAxis("indexSelect", dim, x.ndim);
  const idx = indices instanceof Tensor ? indices.data : indices;
  const n = x.shape[d];
  for (let j = 0; j < idx.length; j++) {
    const v = idx[j];
    if (!Number.isInteger(v) || v < 0 || v >= n) fail("indexSelect", `index ${v} at position ${j} is out of range for axis ${d} of size ${n}`);
  }
  const shape = [...x.shape];
  shape[d] = idx.length;
  // x as [outer, n, inner] (tensors are contiguous): output block (o, j) is x's block (o, idx[j]),
  // `inner` adjacent values. NOTE: copied block by block rather than through take()'s per-element
  // position map: a data loader's batch of 64 images is 64 copies of 784 values, not 50,176 lookups.
  const outer = x.shape.slice(0, d).reduce((a, b) => a * b, 1);
  const inner = x.strides[d];
  const out = empty(shape, x.dtype);
  const blocks = (visit: (from: number, to: number) => void): void => {
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < idx.length; j++) visit((o * n + idx[j]) * inner, (o * idx.length + j) * inner);
    }
  };
  const src = x.data;
  const dst = out.data;
  if (inner >= 16) blocks((from, to) => dst.set(src.subarray(from, from + inner), to));
  else blocks((from, to) => { for (let i = 0; i < inner; i++) dst[to + i] = src[from + i]; });
  return record("indexSelect", [x], out, (g) => {
    // Scatter back, adding where an index was selected more than once.
    const gx = empty(x.shape, g.dtype);
    const gd = g.data;
    const gxd = gx.data;
    blocks((from, to) => { for (let i = 0; i < inner; i++) gxd[from + i] += gd[to + i]; });
    return [gx];
  });
}

/** out[…, j, …] = x[…, index[…, j, …], …] along `dim`; `index` has x's rank (torch.gather). */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  const d = normalizeAxis("gather", dim, x.ndim);
  if (index.ndim !== x.ndim) fail("gather", `index must have the same rank as the input: ${fmtShape(index.shape)} vs ${fmtShape(x.shape)}`);
  index.shape.forEach((s, a) => {
    if (a !== d && s > x.shape[a]) fail("gather", `index ${fmtShape(index.shape)} is larger than input ${fmtShape(x.shape)} at axis ${a}`);
  });
  const positions = new Int32Array(index.size);
  const coord = new Array<number>(index.ndim).fill(0);
  for (let i = 0; i < index.size; i++) {
    let rest = i;
    for (let a = index.ndim - 1; a >= 0; a--) {
      coord[a] = rest % index.shape[a];
      rest = Math.floor(rest / index.shape[a]);
    }
    const v = index.data[i];
    if (!Number.isInteger(v) || v < 0 || v >= x.shape[d]) fail("gather", `index value ${v} is out of range for axis ${d} of size ${x.shape[d]}`);
    coord[d] = v;
    positions[i] = coord.reduce((off, c, a) => off + c * x.strides[a], 0);
  }
  return take("gather", x, positions, index.shape);
}

/** Joins tensors along an existing axis; all other sizes must match. */
export function concat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) fail("concat", "needs at least one tensor");
  const first = tensors[0];
  const d = normalizeAxis("concat", dim, first.ndim);
  tensors.forEach((t, i) => {
    if (t.ndim !== first.ndim || t.shape.some((s, a) => a !== d && s !== first.shape[a])) {
      fail("concat", `tensor ${i} has shape ${fmtShape(t.shape)}, incompatible with ${fmtShape(first.shape)} outside axis ${d}`);
    }
  });
  const dtype = tensors.map((t) => t.dtype).reduce((a, b) => (a === b ? a : promote(a, b)));
  const shape = [...first.shape];
  shape[d] = tensors.reduce((s, t) => s + t.shape[d], 0);
  const out = empty(shape, dtype);
  // Copy block by block: for each outer index, each input contributes a contiguous run.
  const outer = first.shape.slice(0, d).reduce((a, b) => a * b, 1);
  let offset = 0;
  for (let o = 0; o < outer; o++) {
    for (const t of tensors) {
      const run = t.shape[d] * t.strides[d];
      out.data.set(t.data.subarray(o * run, (o + 1) * run), offset);
      offset += run;
    }
  }
  const starts: number[] = [];
  tensors.reduce((s, t) => (starts.push(s), s + t.shape[d]), 0);
  return record("concat", tensors, out, (g) =>
    tensors.map((t, i) => (t.requiresGrad ? astype(slice(g, d, starts[i], starts[i] + t.shape[d]), t.dtype) : null)),
  );
}

/** Joins tensors of one shape along a new axis. */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) fail("stack", "needs at least one tensor");
  const first = tensors[0];
  tensors.forEach((t, i) => {
    if (t.ndim !== first.ndim || t.shape.some((s, a) => s !== first.shape[a])) fail("stack", `tensor ${i} has shape ${fmtShape(t.shape)}, expected ${fmtShape(first.shape)}`);
  });
  const d = normalizeAxis("stack", dim, first.ndim + 1);
  return concat(tensors.map((t) => reshape(t, [...t.shape.slice(0, d), 1, ...t.shape.slice(d)])), d);
}
