import { type DType, type TypedArray, dtypeOf } from "./core/dtype";
import { fail, fmtShape } from "./core/errors";
import { type Shape, sizeOf, stridesOf } from "./core/shape";
import { backward as runBackward } from "./autograd/engine";
import { isGradEnabled } from "./autograd/grad-mode";
import * as ew from "./ops/elementwise";
import * as red from "./ops/reduce";
import * as sh from "./ops/shape";
import * as ix from "./ops/indexing";
import { matmul } from "./ops/matmul";
import { astype, clone } from "./ops/convert";
import { formatTensor } from "./format";
import { noteTensor } from "./backend/scoped-storage";

/** A number or arbitrarily nested arrays of numbers, as `toArray()` returns. */
export type NestedArray = number | NestedArray[];

/** Either a tensor or a plain number (broadcast like a 0-d tensor of the other's dtype). */
export type TensorLike = Tensor | number;

/** How an operation's result is differentiated: the recorded inputs and the backward rule. */
export interface GradFn {
  readonly op: string;
  readonly inputs: readonly Tensor[];
  /** Given dLoss/dOutput, returns dLoss/dInput for each input (null where none is needed). */
  backward(grad: Tensor): readonly (Tensor | null)[];
}

export interface ReduceOptions {
  keepdims?: boolean;
}

export interface VarOptions extends ReduceOptions {
  /** Bessel's correction: divide by N−1 (true, PyTorch's default) or by N (false). */
  unbiased?: boolean;
}

/**
 * An n-dimensional array of numbers that can record the operations applied
 * to it and differentiate through them (reverse-mode autograd).
 *
 * Storage is one contiguous typed array in row-major order; `strides` say how
 * far apart neighbours along each axis are. Operations never modify their
 * inputs; methods ending in `_` (like PyTorch) work in place.
 */
export class Tensor {
  readonly data: TypedArray;
  readonly shape: Shape;
  readonly strides: Shape;
  /** Whether gradients flow to this tensor during `backward()`. */
  requiresGrad: boolean;
  /** The accumulated gradient dLoss/dThis after `backward()`, for leaves (and `retainGrad()` tensors). */
  grad: Tensor | null = null;
  /** The operation that produced this tensor; null for leaves (created by the user). */
  gradFn: GradFn | null = null;
  /** Set by `retainGrad()`: keep `grad` on this non-leaf tensor too. */
  retainsGrad = false;
  /** An optional label shown by `toString()` and in error messages (parameters get their module path). */
  name: string | undefined;

  constructor(data: TypedArray, shape: Shape, requiresGrad = false) {
    if (data.length !== sizeOf(shape)) {
      fail("Tensor", `data has ${data.length} elements but shape ${fmtShape(shape)} needs ${sizeOf(shape)}`);
    }
    if (requiresGrad && dtypeOf(data) === "int32") {
      fail("Tensor", "only float tensors can require gradients; convert with .float() first");
    }
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.strides = Object.freeze(stridesOf(shape));
    this.requiresGrad = requiresGrad;
    noteTensor(this);
  }

  get dtype(): DType {
    return dtypeOf(this.data);
  }
  /** Number of elements (PyTorch's `numel()`). */
  get size(): number {
    return this.data.length;
  }
  numel(): number {
    return this.data.length;
  }
  /** Number of axes. */
  get ndim(): number {
    return this.shape.length;
  }
  /** A leaf has no recorded history: created by the user, or by `detach()`. */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  // ---- values out -------------------------------------------------------
  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) fail("item", `only one-element tensors convert to a number; this one has shape ${fmtShape(this.shape)}`);
    return this.data[0];
  }
  /** Nested arrays of numbers with this tensor's shape. */
  toArray(): NestedArray {
    const build = (axis: number, offset: number): NestedArray => {
      if (axis === this.ndim) return this.data[offset];
      const out: NestedArray[] = [];
      for (let i = 0; i < this.shape[axis]; i++) out.push(build(axis + 1, offset + i * this.strides[axis]));
      return out;
    };
    return build(0, 0);
  }
  /** The values in row-major order as a plain array. */
  toFlatArray(): number[] {
    return Array.from(this.data);
  }
  toString(): string {
    return formatTensor(this);
  }

  // ---- autograd ---------------------------------------------------------
  /**
   * Computes the gradient of this tensor with respect to every leaf that
   * requires it, adding into their `.grad`. A non-scalar needs the upstream
   * gradient `grad` (same shape), as in PyTorch.
   */
  backward(grad?: Tensor): void {
    runBackward(this, grad);
  }
  /** Keep `.grad` on this intermediate tensor after backward (normally only leaves keep it). */
  retainGrad(): this {
    this.retainsGrad = true;
    return this;
  }
  /** Sets `.grad` back to null, ready for the next backward pass. */
  zeroGrad(): void {
    this.grad = null;
  }
  /** The same values with no history: gradients do not flow through the result. Shares storage. */
  detach(): Tensor {
    return new Tensor(this.data, this.shape, false);
  }
  /** Marks this leaf as needing gradients (or not), in place. */
  requiresGrad_(flag = true): this {
    if (!this.isLeaf) fail("requiresGrad_", "can only be changed on leaf tensors; use detach() first");
    if (flag && this.dtype === "int32") fail("requiresGrad_", "only float tensors can require gradients; convert with .float() first");
    this.requiresGrad = flag;
    return this;
  }
  clone(): Tensor {
    return clone(this);
  }

  // ---- dtype ------------------------------------------------------------
  to(dtype: DType): Tensor {
    return astype(this, dtype);
  }
  float(): Tensor {
    return astype(this, "float32");
  }
  double(): Tensor {
    return astype(this, "float64");
  }
  int(): Tensor {
    return astype(this, "int32");
  }

  // ---- elementwise ------------------------------------------------------
  add(other: TensorLike): Tensor { return ew.add(this, other); }
  sub(other: TensorLike): Tensor { return ew.sub(this, other); }
  mul(other: TensorLike): Tensor { return ew.mul(this, other); }
  div(other: TensorLike): Tensor { return ew.div(this, other); }
  pow(exponent: TensorLike): Tensor { return ew.pow(this, exponent); }
  maximum(other: TensorLike): Tensor { return ew.maximum(this, other); }
  minimum(other: TensorLike): Tensor { return ew.minimum(this, other); }
  neg(): Tensor { return ew.neg(this); }
  exp(): Tensor { return ew.exp(this); }
  log(): Tensor { return ew.log(this); }
  sqrt(): Tensor { return ew.sqrt(this); }
  square(): Tensor { return ew.mul(this, this); }
  abs(): Tensor { return ew.abs(this); }
  sign(): Tensor { return ew.sign(this); }
  sin(): Tensor { return ew.sin(this); }
  cos(): Tensor { return ew.cos(this); }
  tanh(): Tensor { return ew.tanh(this); }
  sigmoid(): Tensor { return ew.sigmoid(this); }
  relu(): Tensor { return ew.relu(this); }
  clamp(min?: number, max?: number): Tensor { return ew.clamp(this, min, max); }
  eq(other: TensorLike): Tensor { return ew.compare("eq", this, other); }
  ne(other: TensorLike): Tensor { return ew.compare("ne", this, other); }
  lt(other: TensorLike): Tensor { return ew.compare("lt", this, other); }
  le(other: TensorLike): Tensor { return ew.compare("le", this, other); }
  gt(other: TensorLike): Tensor { return ew.compare("gt", this, other); }
  ge(other: TensorLike): Tensor { return ew.compare("ge", this, other); }
  isnan(): Tensor { return ew.isnan(this); }

  // ---- reductions -------------------------------------------------------
  sum(axis?: number | readonly number[], options?: ReduceOptions): Tensor { return red.sum(this, axis, options); }
  mean(axis?: number | readonly number[], options?: ReduceOptions): Tensor { return red.mean(this, axis, options); }
  var(axis?: number | readonly number[], options?: VarOptions): Tensor { return red.variance(this, axis, options); }
  std(axis?: number | readonly number[], options?: VarOptions): Tensor { return red.std(this, axis, options); }
  max(axis?: number | readonly number[], options?: ReduceOptions): Tensor { return red.max(this, axis, options); }
  min(axis?: number | readonly number[], options?: ReduceOptions): Tensor { return red.min(this, axis, options); }
  argmax(axis?: number, options?: ReduceOptions): Tensor { return red.argmax(this, axis, options); }
  argmin(axis?: number, options?: ReduceOptions): Tensor { return red.argmin(this, axis, options); }
  logsumexp(axis?: number | readonly number[], options?: ReduceOptions): Tensor { return red.logsumexp(this, axis, options); }
  norm(): Tensor { return red.sum(ew.mul(this, this)).sqrt(); }

  // ---- shape ------------------------------------------------------------
  reshape(...shape: number[] | [readonly number[]]): Tensor { return sh.reshape(this, flatShapeArgs(shape)); }
  view(...shape: number[] | [readonly number[]]): Tensor { return sh.reshape(this, flatShapeArgs(shape)); }
  flatten(startDim = 0, endDim = -1): Tensor { return sh.flatten(this, startDim, endDim); }
  squeeze(axis?: number): Tensor { return sh.squeeze(this, axis); }
  unsqueeze(axis: number): Tensor { return sh.unsqueeze(this, axis); }
  permute(...dims: number[]): Tensor { return sh.permute(this, dims); }
  transpose(dim0 = -2, dim1 = -1): Tensor { return sh.transpose(this, dim0, dim1); }
  /** The transpose of a 2-D tensor (matrix). */
  get T(): Tensor {
    if (this.ndim !== 2) fail("T", `.T needs a 2-D tensor, got shape ${fmtShape(this.shape)}; use transpose(dim0, dim1)`);
    return sh.transpose(this, 0, 1);
  }
  expand(...shape: number[] | [readonly number[]]): Tensor { return sh.expand(this, flatShapeArgs(shape)); }
  matmul(other: Tensor): Tensor { return matmul(this, other); }

  // ---- indexing ---------------------------------------------------------
  /** Elements start, start+step, … before end along `dim` (Python's x[start:end:step]); negatives count from the end. */
  slice(dim: number, start?: number, end?: number, step = 1): Tensor { return ix.slice(this, dim, start, end, step); }
  narrow(dim: number, start: number, length: number): Tensor { return ix.slice(this, dim, start, start + length, 1); }
  /** The sub-tensor at `index` along `dim`, with that axis removed (x[i] for dim 0). */
  select(dim: number, index: number): Tensor { return ix.select(this, dim, index); }
  /** Picks entries along `dim` by position, e.g. the rows of a mini-batch: x.indexSelect(0, [3, 1, 4]). */
  indexSelect(dim: number, indices: ArrayLike<number> | Tensor): Tensor { return ix.indexSelect(this, dim, indices); }
  /** out[i][j] = x[i][index[i][j]] for dim 1 (torch.gather). */
  gather(dim: number, index: Tensor): Tensor { return ix.gather(this, dim, index); }

  // ---- in place (for optimizers and initializers; refused where autograd would be fooled) ----
  /** Copies the values of `src` (same number of elements) into this tensor. */
  copy_(src: Tensor | ArrayLike<number>): this {
    checkInPlace(this, "copy_");
    const values = src instanceof Tensor ? src.data : src;
    if (values.length !== this.size) fail("copy_", `source has ${values.length} elements, destination ${fmtShape(this.shape)} has ${this.size}`);
    this.data.set(values);
    return this;
  }
  fill_(value: number): this {
    checkInPlace(this, "fill_");
    this.data.fill(value);
    return this;
  }
  zero_(): this {
    return this.fill_(0);
  }
}

/** In-place writes on a tensor that autograd is tracking would silently corrupt gradients. */
function checkInPlace(t: Tensor, op: string): void {
  if (t.requiresGrad && isGradEnabled()) {
    fail(op, "cannot modify a tensor that requires grad while gradients are recorded; wrap the update in noGrad(() => …)");
  }
}

/** reshape(2, 3) and reshape([2, 3]) both work, as in PyTorch. */
function flatShapeArgs(args: number[] | [readonly number[]]): number[] {
  if (args.length === 1 && Array.isArray(args[0])) return [...(args[0] as readonly number[])];
  return args as number[];
}

/**
 * Points `t` at other storage of the same length and dtype. Only for tidy()
 * (memory/tidy.ts), which moves tensors out of the memory it frees; ops never
 * swap a tensor's storage.
 */
export function replaceStorage(t: Tensor, data: TypedArray): void {
  (t as unknown as { data: TypedArray }).data = data;
}
