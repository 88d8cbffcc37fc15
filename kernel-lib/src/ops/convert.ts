import { type DType, allocate } from "../core/dtype";
import { scopedAllocate } from "../backend/scoped-storage";
import { fail } from "../core/errors";
import type { Shape } from "../core/shape";
import { sizeOf } from "../core/shape";
import { record } from "../autograd/record";
import { Tensor } from "../tensor";

/**
 * A new zero-filled tensor (no history). Ops allocate their results with
 * this; inside tidy() the storage is in the kernels' WebAssembly memory.
 */
export function empty(shape: Shape, dtype: DType): Tensor {
  const size = sizeOf(shape);
  const data = scopedAllocate(dtype, size) ?? allocate(dtype, size);
  return new Tensor(data, shape);
}

export function fullLike(x: Tensor, value: number, dtype: DType = x.dtype): Tensor {
  const out = empty(x.shape, dtype);
  out.data.fill(value);
  return out;
}

export function zerosLike(x: Tensor, dtype: DType = x.dtype): Tensor {
  return empty(x.shape, dtype);
}

export function onesLike(x: Tensor, dtype: DType = x.dtype): Tensor {
  return fullLike(x, 1, dtype);
}

/** A copy with its own storage; gradients flow through unchanged. */
export function clone(x: Tensor): Tensor {
  const out = new Tensor(x.data.slice(), x.shape);
  return record("clone", [x], out, (g) => [g]);
}

/** Converts the element type; between float types gradients flow back converted. */
export function astype(x: Tensor, dtype: DType): Tensor {
  if (dtype === x.dtype) return x;
  const out = empty(x.shape, dtype);
  if (dtype === "int32") {
    // Truncation toward zero, as `tensor.int()` does in PyTorch.
    for (let i = 0; i < x.size; i++) out.data[i] = Math.trunc(x.data[i]);
    return out;
  }
  out.data.set(x.data);
  if (x.dtype === "int32") return out;
  return record("to", [x], out, (g) => [astype(g, x.dtype)]);
}

/** Refuses an int32 tensor where a float one is needed. */
export function requireFloat(op: string, x: Tensor): void {
  if (x.dtype === "int32") fail(op, "needs a float tensor, got int32; convert with .float()");
}
